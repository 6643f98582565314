/**
 * Walks the bundled trust store (certs/) and writes certs/README.md: what the folders mean, how trust works,
 * how to add a CA, then one table per category (government / public) listing every certificate.
 *
 *   node dist/server/tools/certs-readme.js [certsDir]      (npm run certs:readme; default: ./certs)
 *
 * Provenance comes from certs/SOURCES.json (a map keyed by file name), so nothing outside certs/ is read.
 * The output has no timestamp: the same files always give the same README (test/certs.test.ts relies on it).
 */
import { X509Certificate, createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Category = 'government' | 'public';
export const CATEGORIES: readonly Category[] = ['government', 'public'];

/** Extensions read as certificate files (PEM or DER). Anything else (README, .gitkeep) is ignored. */
export const CERT_EXTENSIONS = ['.crt', '.cer', '.pem', '.der'];

export interface SourceInfo {
  repository: string | null;
  path: string | null;
  commit: string | null;
  commitDate?: string;
  licence?: string;
  upstream?: string;
  note?: string;
  retrieved?: string;
}

export interface CertEntry {
  category: Category;
  /** First sub-folder under the category folder; null for a file at the top of it. */
  provider: string | null;
  /** Path relative to the certs folder, with forward slashes. */
  relPath: string;
  /** Base name of the file (the SOURCES.json key). */
  file: string;
  /** Index of the certificate inside a multi-certificate PEM file (0 otherwise). */
  index: number;
  cert: X509Certificate;
  subject: string;
  issuer: string;
  notBefore: string; // ISO 8601
  notAfter: string; // ISO 8601
  key: string;
  signatureAlgorithm: string;
  sha256: string; // lowercase hex of the DER
  selfSigned: boolean;
  isCa: boolean;
}

/** Splits a file into DER certificates: every PEM CERTIFICATE block, else the whole file as DER. */
export function readCertificates(buf: Buffer): Buffer[] {
  const text = buf.toString('latin1');
  const re = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;
  const out: Buffer[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(Buffer.from(m[1].replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  return out.length > 0 ? out : [buf];
}

/** Files under dir, recursively, sorted, with a certificate extension. */
function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => cmp(a.name, b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile() && CERT_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) out.push(p);
  }
  return out;
}

const SIG_ALGS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
};

/** Reads one DER TLV header at off: [tag, content start, content end]. */
function tlv(der: Buffer, off: number): [number, number, number] {
  const tag = der[off];
  let len = der[off + 1];
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i];
    start += n;
  }
  return [tag, start, start + len];
}

/** The outer signatureAlgorithm OID of a certificate (node 20's X509Certificate does not expose it). */
export function signatureAlgorithmOf(der: Buffer): string {
  try {
    const [, certStart] = tlv(der, 0); // Certificate SEQUENCE
    const [, , tbsEnd] = tlv(der, certStart); // tbsCertificate
    const [, algStart] = tlv(der, tbsEnd); // AlgorithmIdentifier SEQUENCE
    const [tag, oidStart, oidEnd] = tlv(der, algStart);
    if (tag !== 0x06) return 'unknown';
    const b = der.subarray(oidStart, oidEnd);
    const arcs: number[] = [Math.floor(b[0] / 40), b[0] % 40];
    let v = 0;
    for (let i = 1; i < b.length; i++) {
      v = v * 128 + (b[i] & 0x7f);
      if (!(b[i] & 0x80)) {
        arcs.push(v);
        v = 0;
      }
    }
    const oid = arcs.join('.');
    return SIG_ALGS[oid] ?? oid;
  } catch {
    return 'unknown';
  }
}

export function keyDescription(cert: X509Certificate): string {
  const k = cert.publicKey;
  const d = k.asymmetricKeyDetails ?? {};
  switch (k.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return `RSA-${d.modulusLength ?? '?'}`;
    case 'ec':
      return `EC ${d.namedCurve ?? '?'}`;
    default:
      return String(k.asymmetricKeyType ?? 'unknown').toUpperCase();
  }
}

/** A DN as one line, in the order it is encoded (node prints RFC 4514-escaped values, one RDN a line). */
export function dnLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

/** Code-point order: the same on every machine, whatever the ICU locale. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sha256Hex(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

export function isSelfSigned(cert: X509Certificate): boolean {
  return cert.checkIssued(cert) && cert.verify(cert.publicKey);
}

/** Every certificate under certsDir/government and certsDir/public. */
export function scanCerts(certsDir: string): CertEntry[] {
  const entries: CertEntry[] = [];
  for (const category of CATEGORIES) {
    const base = path.join(certsDir, category);
    for (const file of walk(base)) {
      const parts = path.relative(base, file).split(path.sep);
      const provider = parts.length > 1 ? parts[0] : null;
      readCertificates(fs.readFileSync(file)).forEach((der, index) => {
        const cert = new X509Certificate(der);
        entries.push({
          category,
          provider,
          relPath: path.relative(certsDir, file).split(path.sep).join('/'),
          file: path.basename(file),
          index,
          cert,
          subject: dnLine(cert.subject),
          issuer: dnLine(cert.issuer),
          notBefore: new Date(cert.validFrom).toISOString(),
          notAfter: new Date(cert.validTo).toISOString(),
          key: keyDescription(cert),
          signatureAlgorithm: signatureAlgorithmOf(cert.raw),
          sha256: sha256Hex(cert.raw),
          selfSigned: isSelfSigned(cert),
          isCa: cert.ca,
        });
      });
    }
  }
  return entries;
}

export function loadSources(certsDir: string): Record<string, SourceInfo> {
  const p = path.join(certsDir, 'SOURCES.json');
  return fs.existsSync(p) ? (JSON.parse(fs.readFileSync(p, 'utf8')) as Record<string, SourceInfo>) : {};
}

/** Escapes a table cell: pipes and line breaks would break the row. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(s: string): string {
  return '`' + s.replace(/\|/g, '\\|').replace(/`/g, "'") + '`';
}

function sourceCell(src: SourceInfo | undefined): string {
  if (!src) return 'chưa rõ / unknown';
  if (src.repository && src.path && src.commit) {
    const url = `https://github.com/${src.repository}/blob/${src.commit}/${src.path.split('/').map(encodeURIComponent).join('/')}`;
    return `[github:${src.repository}](${url}) ${code(src.path)} @${src.commit.slice(0, 8)}`;
  }
  return cell(src.note ?? 'unknown');
}

function cn(dn: string): string {
  const m = /(?:^|\n)CN=([^\n]*)/.exec(dn);
  return m ? m[1] : dnLine(dn);
}

function table(entries: CertEntry[], sources: Record<string, SourceInfo>): string {
  const head =
    '| Nhà cung cấp (provider) | Tệp (file) | Chủ thể (subject) | Tổ chức cấp (issuer) | Hiệu lực (validity, UTC) | Khóa (key) | Thuật toán ký | SHA-256 | Loại (kind) | Nguồn (source) |\n' +
    '|---|---|---|---|---|---|---|---|---|---|\n';
  const rows = entries.map((e) => {
    const kind = e.selfSigned ? 'gốc (root)' : 'trung gian (intermediate)';
    const file = e.index > 0 ? `${e.relPath}#${e.index}` : e.relPath;
    return (
      `| ${cell(e.provider ?? '—')} | ${code(file)} | ${code(e.subject)} | ${code(e.issuer)} | ` +
      `${e.notBefore.slice(0, 10)} → ${e.notAfter.slice(0, 10)} | ${e.key} | ${e.signatureAlgorithm} | ` +
      `\`${e.sha256}\` | ${kind} | ${sourceCell(sources[e.file])} |`
    );
  });
  return head + rows.join('\n') + '\n';
}

/** Providers holding a root first (NEAC before the CAs under it), then by name; roots first within a provider. */
function sortEntries(entries: CertEntry[]): CertEntry[] {
  const rootProviders = new Set(entries.filter((e) => e.selfSigned).map((e) => e.provider ?? ''));
  const rank = (e: CertEntry) => (rootProviders.has(e.provider ?? '') ? 0 : 1);
  return [...entries].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      cmp(a.provider ?? '', b.provider ?? '') ||
      Number(b.selfSigned) - Number(a.selfSigned) ||
      cmp(a.relPath, b.relPath) ||
      a.index - b.index,
  );
}

export function renderReadme(entries: CertEntry[], sources: Record<string, SourceInfo>): string {
  const by = (c: Category) => sortEntries(entries.filter((e) => e.category === c));
  const gov = by('government');
  const pub = by('public');
  const count = (es: CertEntry[]) =>
    `${es.length} chứng thư: ${es.filter((e) => e.selfSigned).length} gốc, ${es.filter((e) => !e.selfSigned).length} trung gian`;
  const roots = (es: CertEntry[]) =>
    es
      .filter((e) => e.selfSigned)
      .map((e) => `  - ${cn(e.cert.subject)} (${e.notBefore.slice(0, 4)}–${e.notAfter.slice(0, 4)})`)
      .join('\n');

  return `# Kho chứng thư tin cậy của kiemky (\`certs/\`)

> Tệp này được sinh tự động bởi \`npm run certs:readme\` (\`server/tools/certs-readme.ts\`). Đừng sửa tay:
> thêm/bớt chứng thư rồi chạy lại lệnh. Bài kiểm thử \`test/certs.test.ts\` báo lỗi khi README lệch với các tệp.

Thư mục này là **kho tin cậy (trust store)** mà kiemky dùng để xếp loại chữ ký số trên văn bản đi:
chữ ký dựng được chuỗi chứng thư tới một chứng thư gốc trong \`government/\` là **chuyên dùng Chính phủ**,
tới một gốc trong \`public/\` là **công cộng**, còn lại là **không tin cậy**.

## Các thư mục

| thư mục | ý nghĩa |
|---|---|
| \`government/<nhà cung cấp>/\` | CA chuyên dùng Chính phủ (nay là "chuyên dùng công vụ", NĐ 68/2024) của **Ban Cơ yếu Chính phủ**: gốc G1 (2010–2030), gốc G2 (2018–2048) và các CA cấp dưới. Chữ ký chuỗi về đây được xếp loại \`government\`. |
| \`public/<nhà cung cấp>/\` | Gốc quốc gia NEAC (\`public/NEAC/\`) và các CA công cộng được cấp phép dưới các gốc đó (VNPT-CA, Viettel-CA, BkavCA, FPT-CA, CA2, SmartSign, …). Chữ ký chuỗi về đây được xếp loại \`public\`. |
| \`crl/\` | Danh sách thu hồi (CRL), dạng PEM hoặc DER. Mọi tệp CRL đặt vào đây được dùng để kiểm tra thu hồi tại thời điểm ký (cùng với CRL nhúng trong chữ ký/DSS). Hiện để trống. |

- **Tên thư mục con đầu tiên** dưới \`government/\` hoặc \`public/\` là **tên nhà cung cấp** hiện trong báo cáo
  (cột "nhà cung cấp CA" của đoàn kiểm tra), ví dụ \`public/VNPT-CA/\` → \`VNPT-CA\`.
- Chứng thư **tự ký** (self-signed) là **gốc được ghim** (pinned root); chứng thư khác là **CA trung gian**, chỉ dùng
  để nối chuỗi và phải chuỗi được (bằng khóa) tới một gốc cùng loại.
- Kho chỉ chứa chứng thư **CA** (basicConstraints CA:TRUE). Chứng thư người dùng cuối (cá nhân, tổ chức) không đặt ở đây.
- Nguồn gốc từng tệp (kho mã, đường dẫn, commit, giấy phép) nằm trong \`SOURCES.json\`; cột "Nguồn" bên dưới lấy từ đó.

## Tin cậy theo khóa, không theo tên

kiemky xác định loại chữ ký bằng **khóa công khai** của gốc mà chuỗi chứng thư dựng tới (chữ ký của từng chứng thư
được kiểm bằng khóa của chứng thư cấp trên), **không bao giờ bằng tên**. Một chứng thư mang đúng tên của một CA thật
(ví dụ "MIC National Root CA", "Co quan chung thuc so Chinh phu") nhưng có **khóa khác** là **không tin cậy**:
các gốc giả mạo như vậy có thật ngoài thực tế. Vì vậy hãy đối chiếu dấu vân tay SHA-256 trong bảng dưới đây
với nguồn chính thức trước khi thêm hay tin một chứng thư.

## Thêm một CA

1. Lấy chứng thư CA từ nguồn chính thức (Ban Cơ yếu: https://ca.gov.vn/pki/pub/crt/ ; NEAC: https://rootca.gov.vn/crt/),
   kiểm tra dấu vân tay SHA-256.
2. Đặt tệp PEM hoặc DER (\`.crt\`, \`.cer\`, \`.pem\`, \`.der\`) vào thư mục nhà cung cấp: \`government/<nhà cung cấp>/\`
   hoặc \`public/<nhà cung cấp>/\` (tạo thư mục mới nếu là nhà cung cấp mới; tên thư mục là tên hiện trong báo cáo).
   Nên để mỗi tệp một chứng thư.
3. Ghi nguồn của tệp vào \`SOURCES.json\` (khóa là tên tệp), chạy \`npm run certs:readme\` rồi \`npx jest test/certs.test.ts\`.
4. Một kho khác (ví dụ của riêng một tỉnh) có cùng cấu trúc thư mục có thể được chỉ định bằng \`kiemky check … --certs DIR\`.

## Tóm tắt

- \`government/\`: ${count(gov)}. Gốc:
${roots(gov)}
- \`public/\`: ${count(pub)}. Gốc:
${roots(pub)}

Các CA đã hết hạn (ví dụ các CA công cộng thế hệ dưới gốc MIC 2008) vẫn được giữ để kiểm tra những văn bản đã ký khi
chúng còn hiệu lực: hiệu lực được xét tại thời điểm ký, không phải thời điểm kiểm tra.

## Chuyên dùng Chính phủ (\`government/\`)

${table(gov, sources)}
## Công cộng (\`public/\`)

${table(pub, sources)}
---

*English summary.* This is kiemky's bundled trust store. \`government/\` holds the Ban Cơ yếu Chính phủ (BCY) G1 and
G2 roots and sub-CAs, \`public/\` the NEAC national roots and the licensed public CAs; the first sub-folder is the
provider name shown in reports; self-signed certificates are pinned roots, the others intermediates; \`crl/\` takes
CRL files (PEM or DER) used for revocation at signing time. Trust is by key: a certificate carrying a real CA's
name with another key is untrusted. To add a CA, drop its PEM/DER file in the provider folder, record its source in
\`SOURCES.json\` and run \`npm run certs:readme\`. Fingerprints are SHA-256 of the DER encoding.
`;
}

export function main(argv: string[]): number {
  const certsDir = path.resolve(argv[0] ?? path.join(process.cwd(), 'certs'));
  const entries = scanCerts(certsDir);
  const sources = loadSources(certsDir);
  const out = path.join(certsDir, 'README.md');
  fs.writeFileSync(out, renderReadme(entries, sources));
  const missing = [...new Set(entries.map((e) => e.file))].filter((f) => !sources[f]);
  process.stdout.write(`${out}: ${entries.length} certificates\n`);
  if (missing.length) process.stderr.write(`no SOURCES.json entry for: ${missing.join(', ')}\n`);
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
