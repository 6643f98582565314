/**
 * The bundled trust store certs/: every file is a CA certificate that parses, chains by key to a pinned root of its
 * own category, and is listed in certs/README.md (with its SHA-256) and certs/SOURCES.json.
 */
import { X509Certificate, createHash, generateKeyPairSync, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSources, renderReadme, scanCerts } from '../server/tools/certs-readme';

const CERTS = path.join(__dirname, '..', 'certs');
type Category = 'government' | 'public';
const CATEGORIES: Category[] = ['government', 'public'];

interface Loaded {
  category: Category;
  rel: string; // relative to certs/, forward slashes
  file: string;
  cert: X509Certificate;
  sha256: string;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.isFile() ? [p] : [];
  });
}

function toDer(buf: Buffer): Buffer[] {
  const text = buf.toString('latin1');
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  return blocks.length ? blocks.map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64')) : [buf];
}

/** Every file under certs/government and certs/public: the store takes any file there as a certificate. */
const files: { category: Category; abs: string; rel: string }[] = CATEGORIES.flatMap((category) =>
  walk(path.join(CERTS, category)).map((abs) => ({
    category,
    abs,
    rel: path.relative(CERTS, abs).split(path.sep).join('/'),
  })),
);

const loaded: Loaded[] = files.flatMap(({ category, abs, rel }) =>
  toDer(fs.readFileSync(abs)).map((der) => {
    const cert = new X509Certificate(der);
    return { category, rel, file: path.basename(abs), cert, sha256: createHash('sha256').update(cert.raw).digest('hex') };
  }),
);

const issues = (child: X509Certificate, parent: X509Certificate) =>
  child.checkIssued(parent) && child.verify(parent.publicKey);
const selfSigned = (c: X509Certificate) => issues(c, c);

/**
 * The pinned roots, by SHA-256 of the DER: trust is by key, never by name, so a root is exactly these bytes (a
 * look-alike with a real CA's name and another key is not one of them). A new root is a deliberate change.
 */
const PINNED_ROOTS: Record<Category, Record<string, string>> = {
  government: {
    f7bc89054cec7f12730d7b8cd3eb7955b163835087e5eb873edfb584763b3f90: 'BCY G1 RootCA (2010–2030)',
    f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8: 'BCY RootCA G2 (2018–2048)',
  },
  public: {
    ca918d635bb130bec97639e6aabf7edbc4eb1310f8058b9419f467ae0230ad8c: 'MIC National Root CA (2008)',
    bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7: 'Vietnam National Root CA (2014)',
    '7b3269e7d79aebbfae5095f45bbb7074771e690cb7df02b441062b12f7690ece': 'Vietnam National Root CA G3 (2024)',
    '12afeba2545f6fc0f31ec130f31bf2d16184a2b5b7cebcb43cfd1ba35dd4ea46': 'VIETNAM NATIONAL ROOT CA - RS',
    '41803135f13a6359866e7e6f76dafd598d496836944a52dd1fad66b3bf2ee63b': 'VIETNAM NATIONAL ROOT CA - USBTOKEN',
    c75535d65c0ff7480a3d6f393d56da5f7c92ddcc071f4e9166c3f8d660ef836c: 'VIETNAM NATIONAL ROOT CA - MOBILEPKI',
    d343b3c5132f7d1676c3560025aefef036fceec073c33f18e075b3a21c8f8552: 'VIETNAM NATIONAL ROOT CA - TSA',
    '0d765aedfe7b12c7d11c7b5737507f24db22f8afe24be140eb5801cb0853a8f9': 'VIETNAM NATIONAL ROOT CA - EMA',
  },
};

/** Minimal DER: the TLV at off (header start, content start, end). */
function tlvAt(der: Buffer, off: number): { start: number; content: number; end: number } {
  let len = der[off + 1];
  let content = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[content + i];
    content += n;
  }
  return { start: off, content, end: content + len };
}
function childrenOf(der: Buffer, t: { content: number; end: number }): Buffer[] {
  const out: Buffer[] = [];
  for (let off = t.content; off < t.end; ) {
    const c = tlvAt(der, off);
    out.push(der.subarray(c.start, c.end));
    off = c.end;
  }
  return out;
}
function encode(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : (() => {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    return Buffer.from([0x80 | bytes.length, ...bytes]);
  })();
  return Buffer.concat([Buffer.from([tag]), len, content]);
}
/** The same tbsCertificate (name, serial, SKI, dates) with a fresh RSA key, self-signed with it (sha256WithRSA). */
function lookAlike(rootDer: Buffer): X509Certificate {
  const cert = childrenOf(rootDer, tlvAt(rootDer, 0));
  const tbs = cert[0];
  const fields = childrenOf(tbs, tlvAt(tbs, 0));
  const spkiIndex = fields[0][0] === 0xa0 ? 6 : 5;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fields[spkiIndex] = publicKey.export({ type: 'spki', format: 'der' });
  const newTbs = encode(0x30, Buffer.concat(fields));
  const sig = sign('sha256', newTbs, privateKey);
  return new X509Certificate(encode(0x30, Buffer.concat([newTbs, cert[1], encode(0x03, Buffer.concat([Buffer.from([0]), sig]))])));
}

describe('certs/ trust store', () => {
  test('has the expected layout', () => {
    expect(fs.existsSync(path.join(CERTS, 'crl'))).toBe(true);
    expect(fs.existsSync(path.join(CERTS, 'crl', '.gitkeep'))).toBe(true);
    // The BCY hierarchy (G1 root + 6 subs, G2 root + 3 subs) and the NEAC roots sit where the loader expects them.
    const count = (prefix: string) => loaded.filter((l) => l.rel.startsWith(prefix)).length;
    expect(count('government/Ban Cơ yếu Chính phủ/')).toBeGreaterThanOrEqual(10);
    expect(count('public/NEAC/')).toBeGreaterThanOrEqual(10);
    for (const p of ['VNPT-CA', 'Viettel-CA', 'BkavCA', 'CA2', 'FPT-CA', 'SmartSign', 'NEWTEL-CA', 'SAFE-CA', 'EFY-CA', 'TrustCA'])
      expect(count(`public/${p}/`)).toBeGreaterThanOrEqual(1);
    expect(loaded.length).toBe(files.length); // one certificate a file
  });

  test.each(files.map((f) => [f.rel, f] as const))('%s parses as an X.509 certificate', (_rel, f) => {
    const ders = toDer(fs.readFileSync(f.abs));
    expect(ders.length).toBeGreaterThanOrEqual(1);
    for (const der of ders) expect(() => new X509Certificate(der)).not.toThrow();
  });

  test('holds no end-entity certificate (basicConstraints CA:TRUE on every file)', () => {
    const ee = loaded.filter((l) => !l.cert.ca).map((l) => l.rel);
    expect(ee).toEqual([]);
  });

  test('self-signed certificates are exactly the pinned roots of their category, by key', () => {
    for (const c of CATEGORIES) {
      const roots = loaded.filter((l) => l.category === c && selfSigned(l.cert));
      expect(Object.fromEntries(roots.map((r) => [r.sha256, r.rel]))).toEqual(
        Object.fromEntries(Object.keys(PINNED_ROOTS[c]).map((k) => [k, expect.any(String)])),
      );
    }
  });

  test.each(loaded.filter((l) => !selfSigned(l.cert)).map((l) => [l.rel, l] as const))(
    '%s is issued (by key) within its category and chains to a root of it',
    (_rel, leaf) => {
      const sameCategory = loaded.filter((l) => l.category === leaf.category);
      const otherCategory = loaded.filter((l) => l.category !== leaf.category);
      // Never signed by a key of the other category.
      expect(otherCategory.filter((o) => issues(leaf.cert, o.cert)).map((o) => o.rel)).toEqual([]);

      let cur = leaf;
      const seen = new Set<string>([cur.sha256]);
      for (let depth = 0; depth < 10 && !selfSigned(cur.cert); depth++) {
        const parents = sameCategory.filter((p) => p.sha256 !== cur.sha256 && issues(cur.cert, p.cert));
        expect(parents.map((p) => p.rel)).not.toEqual([]);
        // Prefer a parent not seen yet (no cycles).
        const next = parents.find((p) => !seen.has(p.sha256));
        expect(next).toBeDefined();
        cur = next!;
        seen.add(cur.sha256);
      }
      expect(selfSigned(cur.cert)).toBe(true);
      expect(PINNED_ROOTS[leaf.category][cur.sha256]).toBeDefined();
    },
  );

  test('each intermediate verifies under at most one root key', () => {
    const roots = loaded.filter((l) => selfSigned(l.cert));
    for (const l of loaded.filter((x) => !selfSigned(x.cert))) {
      expect(roots.filter((r) => l.cert.verify(r.cert.publicKey)).length).toBeLessThanOrEqual(1);
    }
  });

  test('a look-alike root (same name and SKI, another key) is not an issuer by key and is not pinned', () => {
    const realRoot = loaded.find((l) => l.rel.endsWith('bcy-g2-root_rootca-chuyen-dung-chinh-phu-g2.crt'))!;
    const sub = loaded.find((l) => l.rel.endsWith('bcy-g2-sub_ca-phuc-vu-cac-co-quan-nha-nuoc-g2.crt'))!;
    const fake = lookAlike(realRoot.cert.raw);
    expect(fake.subject).toBe(realRoot.cert.subject);
    expect(selfSigned(fake)).toBe(true); // a perfectly good self-signed root…
    expect(sub.cert.checkIssued(fake)).toBe(true); // …whose names (and key identifiers) match…
    expect(sub.cert.verify(fake.publicKey)).toBe(false); // …but whose key did not sign the sub-CA
    expect(sub.cert.verify(realRoot.cert.publicKey)).toBe(true);
    const fakeSha = createHash('sha256').update(fake.raw).digest('hex');
    expect(PINNED_ROOTS.government[fakeSha]).toBeUndefined();
  });

  describe('README.md', () => {
    const readmePath = path.join(CERTS, 'README.md');
    const readme = fs.existsSync(readmePath) ? fs.readFileSync(readmePath, 'utf8') : '';

    test('lists every certificate file with its SHA-256, and nothing else', () => {
      const rows = [...readme.matchAll(/^\| [^|\n]* \| `([^`\n]+)` \|.*\| `([0-9a-f]{64})` \|/gm)].map((m) => ({
        rel: m[1],
        sha256: m[2],
      }));
      const want = loaded.map((l) => ({ rel: l.rel, sha256: l.sha256 }));
      const key = (r: { rel: string }) => r.rel;
      expect([...rows].sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual(
        [...want].sort((a, b) => (key(a) < key(b) ? -1 : 1)),
      );
    });

    test('is what certs-readme generates today (run `npm run certs:readme` after changing certs/)', () => {
      expect(readme).toBe(renderReadme(scanCerts(CERTS), loadSources(CERTS)));
    });

    test('is Vietnamese first and explains the folders, trust by key and how to add a CA', () => {
      expect(readme).toMatch(/^# Kho chứng thư tin cậy/);
      expect(readme).toContain('crl/');
      expect(readme).toMatch(/theo khóa/i);
      expect(readme).toMatch(/Thêm một CA/);
    });
  });

  test('SOURCES.json has an entry for every file', () => {
    const sources = JSON.parse(fs.readFileSync(path.join(CERTS, 'SOURCES.json'), 'utf8')) as Record<
      string,
      { repository: string | null; path: string | null; commit: string | null; note?: string }
    >;
    const missing = files.map((f) => path.basename(f.abs)).filter((f) => !sources[f]);
    expect(missing).toEqual([]);
    for (const f of files) {
      const s = sources[path.basename(f.abs)];
      // Either a full repository/path/commit, or a note saying why it could not be named.
      if (s.repository) {
        expect(s.path).toBeTruthy();
        expect(s.commit).toMatch(/^[0-9a-f]{40}$/);
      } else {
        expect(s.note).toBeTruthy();
      }
    }
    // No stale entries either.
    const names = new Set(files.map((f) => path.basename(f.abs)));
    expect(Object.keys(sources).filter((k) => !names.has(k))).toEqual([]);
  });
});
