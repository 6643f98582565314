import * as fs from 'node:fs';
import * as path from 'node:path';
import { digestPlan, finishSignature, prepareSignature } from '../../worker/cms/index';
import { digestBytes } from '../../worker/pki/digest-hash';
import { analyzePdf } from '../../worker/pdf';
import { BufferSource } from '../../worker/source';
import { CORPUS_DIR, PDFS_DIR, describeShared, extractSignatures, signedBytes } from '../pki/helpers';

function pdfFiles(): string[] {
  return [
    ...fs.readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.pdf')).map((f) => path.join(CORPUS_DIR, f)),
    ...fs.readdirSync(PDFS_DIR).filter((f) => f.endsWith('.pdf')).map((f) => path.join(PDFS_DIR, f)),
  ];
}

/** Run the whole CMS flow the way verify.ts does: plan, hash the byte ranges, finish. */
function runAll(pdf: Buffer, sig: { byteRange: number[]; contents: Buffer; subFilter: string | null; cert?: (Buffer | null)[] | null }) {
  const p = prepareSignature(sig.contents, sig.subFilter, sig.cert ?? null);
  if ('error' in p) return { error: p.error };
  const plan = digestPlan(p);
  const covered = sig.byteRange.length === 4 ? signedBytes(pdf, sig.byteRange) : Buffer.alloc(0);
  const digests = new Map(plan.algorithms.map((a) => [a, digestBytes(a, covered)] as const));
  return { facts: finishSignature(p, digests, plan.needsContent ? covered : null, []), plan };
}

describeShared('CMS over the shared PDF corpus', () => {
  const expectedValid = new Map<string, boolean>(); // file → pdfsig said "Signature is Valid." for all sigs
  beforeAll(() => {
    const rows = fs.readFileSync(path.join(CORPUS_DIR, 'pdfsig.tsv'), 'utf8').split('\n').slice(1);
    for (const r of rows) {
      const c = r.split('\t');
      if (c.length < 14 || !c[0]) continue;
      const ok = c[13] === 'Signature is Valid.';
      expectedValid.set(c[0], (expectedValid.get(c[0]) ?? true) && ok);
    }
  });

  test('every signature either prepares and finishes, or yields a coded problem; nothing throws', () => {
    let prepared = 0;
    let errors = 0;
    for (const file of pdfFiles()) {
      const pdf = fs.readFileSync(file);
      for (const sig of extractSignatures(pdf)) {
        const r = runAll(pdf, sig);
        if ('error' in r && r.error) {
          errors++;
          expect(r.error.code).toMatch(/^[A-Z_]+$/);
        } else {
          prepared++;
          for (const pr of r.facts!.problems) expect(pr.code).toMatch(/^[A-Z0-9_]+$/);
        }
      }
    }
    expect(prepared).toBeGreaterThan(100);
    expect(errors).toBeLessThan(prepared);
  });

  test('signatures poppler judges valid verify here too (digest and signature)', () => {
    const checked: string[] = [];
    const failures: string[] = [];
    for (const file of pdfFiles()) {
      const name = path.basename(file);
      if (expectedValid.get(name) !== true) continue;
      const pdf = fs.readFileSync(file);
      for (const sig of extractSignatures(pdf)) {
        if (sig.byteRange.length !== 4 || sig.subFilter === 'ETSI.RFC3161') continue;
        const r = runAll(pdf, sig);
        if (!r.facts) {
          failures.push(`${name}: ${r.error?.code}`);
          continue;
        }
        checked.push(name);
        if (!r.facts.digestMatches || !r.facts.signatureValid) failures.push(`${name}: ${r.facts.problems.map((p) => p.code).join(',')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked.length).toBeGreaterThan(20);
  });

  test('the Vietnamese fixture PDFs verify (all signatures, integrity only)', () => {
    for (const f of fs.readdirSync(PDFS_DIR).filter((x) => x.endsWith('.pdf'))) {
      const pdf = fs.readFileSync(path.join(PDFS_DIR, f));
      const sigs = extractSignatures(pdf);
      expect(sigs.length).toBeGreaterThan(0);
      for (const sig of sigs) {
        const r = runAll(pdf, sig);
        expect(r.facts?.problems).toEqual([]);
        expect(r.facts?.digestMatches).toBe(true);
        expect(r.facts?.signatureValid).toBe(true);
        expect(r.facts?.signerCertificate?.subject.get('CN')).toBeTruthy();
      }
    }
  });

  test('a changed signed byte is a MESSAGE_DIGEST_MISMATCH, never valid', () => {
    const file = path.join(PDFS_DIR, 'paperless_sample.signed_fpt-test-eseal.pdf');
    const pdf = Buffer.from(fs.readFileSync(file));
    const sig = extractSignatures(pdf)[0]!;
    pdf[100] = pdf[100]! ^ 0x01;
    const r = runAll(pdf, sig);
    expect(r.facts?.digestMatches).toBe(false);
    expect(r.facts?.problems.map((p) => p.code)).toContain('MESSAGE_DIGEST_MISMATCH');
  });

  test('specific corpus cases', () => {
    const one = (name: string) => {
      const pdf = fs.readFileSync(path.join(CORPUS_DIR, name));
      return extractSignatures(pdf).map((s) => runAll(pdf, s));
    };
    // Signed without signed attributes: the signature covers the bytes directly.
    const noAttrs = one('pyhanko__sig-no-signed-attrs.pdf')[0]!;
    expect(noAttrs.facts?.signedAttributesPresent).toBe(false);
    expect(noAttrs.facts?.signatureValid).toBe(true);
    // SKI signer identifier.
    const ski = one('pyhanko__sig-with-ski-sid.pdf')[0]!;
    expect(ski.facts?.signatureValid).toBe(true);
    // A signature OID written as the SignerInfo digest algorithm (sha1WithRSAEncryption) is read as its hash.
    const odd = one('dss__wrong-digest-algo.pdf')[0]!;
    expect(odd.facts).toMatchObject({ digestAlgorithm: 'SHA-1', digestMatches: true, signatureValid: true, weakAlgorithm: true });
    // Document timestamp (ETSI.RFC3161): imprint over the signed bytes, token signature, genTime.
    const docTs = one('dss__Signature-P-SK-1_HASH_FAILURE_.pdf').at(-1)!;
    expect(docTs.facts?.timestamp?.genTime.toISOString()).toBe('2011-05-05T11:14:38.000Z');
    expect(docTs.facts?.digestMatches).toBe(true);
    expect(docTs.facts?.signatureValid).toBe(true);
    // A signature timestamp token: imprint over the SignerInfo signature value.
    const withTs = one('dss__Signature-P-SK-1_HASH_FAILURE_.pdf')[0]!;
    expect(withTs.facts?.timestamp?.imprintMatches).toBe(true);
    expect(withTs.facts?.timestamp?.signatureValid).toBe(true);
    expect(withTs.facts?.timestamp?.tsaCertificate).not.toBeNull();
    // RSA-PSS with SHA3-256, ECDSA, Ed25519.
    for (const f of ['itext__sample-pss-sha3_256.pdf', 'itext__sample-nistp256-sha256.pdf', 'itext__sample-ed25519-sha512.pdf']) {
      const r = one(f)[0]!;
      expect(r.facts?.signatureValid).toBe(true);
      expect(r.facts?.digestMatches).toBe(true);
    }
    expect(one('itext__sample-pss-sha3_256.pdf')[0]!.facts?.signatureAlgorithm).toBe('RSA-PSS with SHA3-256');
    expect(one('itext__sample-nistp256-sha256.pdf')[0]!.facts?.signatureAlgorithm).toBe('ECDSA with SHA-256');
    expect(one('itext__sample-ed25519-sha512.pdf')[0]!.facts).toMatchObject({ digestAlgorithm: 'SHA-512', signatureAlgorithm: 'Ed25519', weakAlgorithm: false });
    // Ed448 over signed attributes digested with id-shake256: SHAKE256 at 512 bits (RFC 8419).
    const ed448 = one('pyhanko__ed448-shake256-nolen.pdf')[0]!;
    expect(ed448.plan?.algorithms).toEqual(['shake256-512']);
    expect(ed448.facts?.problems).toEqual([]);
    expect(ed448.facts).toMatchObject({ digestAlgorithm: 'SHAKE256', signatureAlgorithm: 'Ed448', digestMatches: true, signatureValid: true, weakAlgorithm: false });
    // adbe.pkcs7.detached whose SignedData encapsulates an empty eContent: the messageDigest matches the PDF bytes,
    // but CMS checks it against the eContent. Not a detached signature of the document.
    const withContent = one('pyhanko__pdf-sig-with-econtent.pdf')[0]!;
    expect(withContent.facts?.problems.map((p) => p.code)).toEqual(['ECONTENT_IN_DETACHED']);
    // adbe.x509.rsa_sha1: a bare RSA signature over a SHA-1 DigestInfo, its certificates in the dictionary's /Cert,
    // which only the PDF layer reads (the crude extraction here would miss it).
    for (const [f, certs] of [
      ['endesive__pdf-adobe-webcapture-x509.rsa_sha1.pdf', 1],
      ['itext__adbe.x509.rsa_sha1_signature.pdf', 3],
    ] as const) {
      const pdf = fs.readFileSync(path.join(CORPUS_DIR, f));
      const sig = analyzePdf(new BufferSource(pdf)).structure.signatures[0]!;
      expect(sig.subFilter).toBe('adbe.x509.rsa_sha1');
      const r = runAll(pdf, { byteRange: sig.byteRange!, contents: sig.contents!, subFilter: sig.subFilter, cert: sig.cert });
      expect({ f, problems: r.facts?.problems }).toEqual({ f, problems: [] });
      expect(r.facts).toMatchObject({ digestAlgorithm: 'SHA-1', digestMatches: true, signatureValid: true, weakAlgorithm: true });
      expect({ f, certificates: r.facts?.certificates.length }).toEqual({ f, certificates: certs });
      // Without its /Cert the same signature has no signer.
      expect(runAll(pdf, { byteRange: sig.byteRange!, contents: sig.contents!, subFilter: sig.subFilter }).facts?.problems.map((p) => p.code)).toEqual(['SIGNER_NOT_FOUND']);
    }
    // BSI TR-03111 plain ECDSA: the signature value is r‖s.
    const plainEc = one('dss__TeleSec_PKS_eIDAS_QES_CA_1-baseline-b.pdf').find((r) => r.facts)!;
    expect(plainEc.facts?.problems).toEqual([]);
    expect(plainEc.facts).toMatchObject({ signatureAlgorithm: 'ECDSA (plain) with SHA-256', digestMatches: true, signatureValid: true });
  });
});
