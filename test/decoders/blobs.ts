/**
 * Every DER object the cross-checks read: certificates, CRLs, OCSP responses, CMS SignedData and RFC 3161 tokens,
 * gathered from ../shared (corpus PDFs, vn-pki certificates and PDFs), the committed trust store (certs/), the test
 * PKI (samples/pki) and PDFs the caller built in memory (the scenarios of `npm run samples`).
 *
 * PDFs are opened with the project's own reader (their /Contents, /Cert and /DSS); what a CMS carries (certificates,
 * CRLs, OCSP responses, timestamp tokens) is found with kiemky's SignedData walk, so the objects inside a CMS kiemky
 * refuses are not reached (the CMS itself still is, and is compared). Deduplicated by SHA-256.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { timestampTokens, revocationInfoArchival } from '../../worker/cms/attributes';
import { parseSignedDataContentInfo } from '../../worker/cms/signed-data';
import { analyzePdf } from '../../worker/pdf';
import { pemBlocks } from '../../worker/pki/pem';
import { BufferSource } from '../../worker/source';
import { REPO_ROOT, SHARED_DIR } from '../helpers/shared';

export type BlobKind = 'certificate' | 'crl' | 'ocsp' | 'cms' | 'timestamp';

export interface Blob {
  kind: BlobKind;
  der: Buffer;
  /** Where it was first found (file, and what inside it). */
  from: string;
}

function walk(dir: string, keep: (f: string) => boolean, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, keep, out);
    else if (keep(e.name)) out.push(p);
  }
  return out;
}

class Collector {
  private readonly seen = new Set<string>();
  readonly blobs: Blob[] = [];

  add(kind: BlobKind, der: Buffer, from: string): void {
    const key = `${kind}:${crypto.createHash('sha256').update(der).digest('hex')}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.blobs.push({ kind, der: Buffer.from(der), from });
  }

  /** A CMS blob and what it carries; a timestamp token is also a CMS blob. */
  cms(der: Buffer, from: string, kind: 'cms' | 'timestamp' = 'cms'): void {
    this.add(kind, der, from);
    try {
      const sd = parseSignedDataContentInfo(der);
      sd.certificates.forEach((c, i) => this.add('certificate', c.der, `${from} certificate #${i}`));
      sd.crls.forEach((c, i) => this.add('crl', c, `${from} crl #${i}`));
      sd.ocsps.forEach((c, i) => this.add('ocsp', c, `${from} ocsp #${i}`));
      for (const si of sd.signerInfos) {
        const rev = revocationInfoArchival(si.signedAttrs);
        rev.crls.forEach((c, i) => this.add('crl', c, `${from} adbe-revocation crl #${i}`));
        rev.ocsps.forEach((c, i) => this.add('ocsp', c, `${from} adbe-revocation ocsp #${i}`));
        timestampTokens(si.unsignedAttrs).forEach((t, i) => this.cms(t, `${from} timestamp #${i}`, 'timestamp'));
      }
    } catch {
      // kiemky cannot read it: the comparison will say whether pkijs can.
    }
  }

  pdf(file: string, bytes: Buffer = fs.readFileSync(file)): void {
    let structure;
    try {
      structure = analyzePdf(new BufferSource(bytes)).structure;
    } catch {
      return; // not a readable PDF (the samples include a deliberate non-PDF)
    }
    const name = path.isAbsolute(file) ? path.relative(REPO_ROOT, file) : file;
    structure.signatures.forEach((s, i) => {
      if (!s.contents) return;
      // The padding after the ContentInfo is the PDF's, not the signature's: cut it so both decoders see one object.
      const at = `${name} signature #${i}`;
      if (s.subFilter === 'adbe.x509.rsa_sha1') {
        (s.cert ?? []).forEach((c, j) => c && this.add('certificate', c, `${at} /Cert #${j}`));
        return;
      }
      this.cms(trimPadding(s.contents), at, s.subFilter === 'ETSI.RFC3161' ? 'timestamp' : 'cms');
    });
    for (const dss of structure.dss ? [structure.dss] : []) {
      dss.certificates.forEach((c, j) => this.add('certificate', c, `${name} DSS certificate #${j}`));
      dss.crls.forEach((c, j) => this.add('crl', c, `${name} DSS crl #${j}`));
      dss.ocsps.forEach((c, j) => this.add('ocsp', c, `${name} DSS ocsp #${j}`));
    }
  }

  pemOrDer(file: string, labels: readonly string[], kind: 'certificate' | 'crl'): void {
    const data = fs.readFileSync(file);
    const name = path.relative(REPO_ROOT, file);
    if (data.subarray(0, 64).toString('latin1').includes('-----BEGIN')) pemBlocks(data.toString('latin1'), labels).forEach((d, i) => this.add(kind, d, `${name} #${i}`));
    else this.add(kind, data, name);
  }
}

/** The outer element of a /Contents string, its zero padding cut (read from the length octets alone). */
function trimPadding(buf: Buffer): Buffer {
  const first = buf[1] ?? 0;
  if (first < 0x80) return buf.subarray(0, Math.min(buf.length, 2 + first));
  const n = first & 0x7f;
  if (n > 0 && n <= 4 && buf.length > 2 + n) {
    const len = buf.readUIntBE(2, n);
    return buf.subarray(0, Math.min(buf.length, 2 + n + len));
  }
  // Indefinite length (BER): cut the zero padding but keep the two end-of-contents octets.
  let end = buf.length;
  while (end > 0 && buf[end - 1] === 0) end--;
  return buf.subarray(0, Math.min(buf.length, end + 4));
}

const CERT_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE'];

export interface Sources {
  shared: boolean;
  /** PDFs built in memory (the scenarios `npm run samples` writes), by name. */
  pdfs?: readonly { name: string; bytes: Buffer }[];
}

export function collectBlobs(sources: Sources): Blob[] {
  const c = new Collector();
  const certLike = (f: string): boolean => /\.(crt|cer|pem|der)$/i.test(f) && !/key\.pem$/i.test(f) && !/\.crl\.pem$/i.test(f);
  const crlLike = (f: string): boolean => /\.crl(\.pem)?$/i.test(f);
  const roots = [path.join(REPO_ROOT, 'certs'), path.join(REPO_ROOT, 'samples', 'pki')];
  if (sources.shared) roots.push(path.join(SHARED_DIR, 'vn-pki', 'certs'));
  for (const r of roots) {
    for (const f of walk(r, certLike)) c.pemOrDer(f, CERT_LABELS, 'certificate');
    for (const f of walk(r, crlLike)) c.pemOrDer(f, ['X509 CRL'], 'crl');
  }
  const pdfDirs: string[] = [];
  if (sources.shared) pdfDirs.push(path.join(SHARED_DIR, 'corpus'), path.join(SHARED_DIR, 'vn-pki', 'pdfs'));
  for (const d of pdfDirs) for (const f of walk(d, (n) => n.toLowerCase().endsWith('.pdf'))) c.pdf(f);
  for (const p of sources.pdfs ?? []) c.pdf(p.name, p.bytes);
  return c.blobs;
}
