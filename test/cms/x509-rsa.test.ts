import * as crypto from 'node:crypto';
import { nul, octets, oid, seq } from '../../samples/lib/der';
import { signDetached } from '../../samples/lib/cms-pkijs';
import { loadTestPki, type TestIdentity } from '../../samples/lib/test-pki';
import { type RawRsaOptions, signX509RsaSha1 } from '../../samples/lib/x509-rsa-builder';
import { digestPlan, finishSignature, prepareSignature, type PreparedSignature } from '../../worker/cms/index';
import type { CmsSignatureFacts } from '../../worker/cms/types';
import { digestBytes } from '../../worker/pki/digest-hash';
import { integrityHolds } from '../../worker/integrity/holds';

/**
 * adbe.x509.rsa_sha1: a bare PKCS#1 v1.5 signature in /Contents, its certificates in /Cert. Valid when the
 * DigestInfo it holds is well formed and is the digest of the signed bytes, under the first /Cert key; weak when
 * that digest is SHA-1 or weaker.
 */

const pki = loadTestPki();
const leader = pki.units[0]!.leader;
const bytes = crypto.randomBytes(7000);
const SUBFILTER = 'adbe.x509.rsa_sha1';

function prepare(contents: Buffer, cert: (Buffer | null)[] | null): PreparedSignature {
  const p = prepareSignature(contents, SUBFILTER, cert);
  if ('error' in p) throw new Error(`prepare failed: ${p.error.code} ${p.error.detail}`);
  return p;
}

/** The whole flow, as collectFacts runs it: plan, digests of the signed bytes, finish. */
function verify(contents: Buffer, cert: (Buffer | null)[] | null = [leader.cert, pki.govSub.cert], signed: Buffer = bytes): CmsSignatureFacts {
  const p = prepare(contents, cert);
  const plan = digestPlan(p);
  expect(plan.needsContent).toBe(false);
  return finishSignature(p, new Map(plan.algorithms.map((a) => [a, digestBytes(a, signed)] as const)), null, []);
}

const holds = (f: CmsSignatureFacts): boolean =>
  integrityHolds({ byteRange: { problems: [] }, cmsError: null, cms: f });
const codes = (f: CmsSignatureFacts): string[] => f.problems.map((p) => p.code);
const padded = (b: Buffer, n = 4000): Buffer => Buffer.concat([b, Buffer.alloc(n)]);
const sign = (o: Partial<RawRsaOptions> = {}, signer: TestIdentity = leader): Buffer => signX509RsaSha1(bytes, { signer, ...o });

/** DigestInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING }, built by hand for the malformed ones. */
const digestInfo = (algOid: string, digest: Buffer, ...params: Buffer[]): Buffer => seq(seq(oid(algOid), ...params), octets(digest));
const SHA1 = '1.3.14.3.2.26';
const SHA256 = '2.16.840.1.101.3.4.2.1';

describe('adbe.x509.rsa_sha1', () => {
  test('a SHA-1 signature in an OCTET STRING, zero padded: valid, weak, the /Cert certificates are the pool', () => {
    const contents = padded(sign());
    expect(digestPlan(prepare(contents, [leader.cert]))).toEqual({ algorithms: ['sha1'], needsContent: false });
    const f = verify(contents);
    expect(f.problems).toEqual([]);
    expect(f).toMatchObject({
      digestMatches: true,
      signatureValid: true,
      digestAlgorithm: 'SHA-1',
      signatureAlgorithm: 'RSA with SHA-1',
      weakAlgorithm: true,
      signedAttributesPresent: false,
      signingCertificateAttribute: 'absent',
      claimedSigningTime: null,
      timestamp: null,
    });
    expect(f.signerCertificate?.der.equals(leader.cert)).toBe(true);
    expect(f.certificates.map((c) => c.der)).toEqual([leader.cert, pki.govSub.cert]);
    expect(holds(f)).toBe(true);
  });

  test('the bare value, with or without zero padding after it', () => {
    const bare = sign({ wrap: false });
    expect(bare.length).toBe(256);
    expect(verify(bare)).toMatchObject({ digestMatches: true, signatureValid: true, problems: [] });
    expect(verify(padded(bare))).toMatchObject({ digestMatches: true, signatureValid: true, problems: [] });
    // Anything but zeros after a bare value: not a signature of this form.
    const junk = Buffer.concat([bare, Buffer.from([0, 0, 7])]);
    expect(codes(verify(junk))).toEqual(['CMS_MALFORMED']);
  });

  test('a bare value whose first bytes read as an OCTET STRING header is still found', () => {
    // About one value in 512 starts 04 nn with nn < 0x80, the header of a short DER OCTET STRING.
    let hit: { data: Buffer; value: Buffer } | null = null;
    for (let i = 0; i < 5000 && hit === null; i++) {
      const data = Buffer.concat([bytes, Buffer.from(String(i))]);
      const value = signX509RsaSha1(data, { signer: leader, wrap: false });
      if (value[0] === 0x04 && value[1]! < 0x80) hit = { data, value };
    }
    expect(hit).not.toBeNull();
    expect(verify(padded(hit!.value), [leader.cert], hit!.data)).toMatchObject({ digestMatches: true, signatureValid: true, problems: [] });
  });

  test('the digest is the one the DigestInfo names: SHA-256 is valid and not weak', () => {
    const contents = padded(sign({ digest: 'sha256' }));
    expect(digestPlan(prepare(contents, [leader.cert])).algorithms).toEqual(['sha256']);
    expect(verify(contents)).toMatchObject({ digestMatches: true, signatureValid: true, digestAlgorithm: 'SHA-256', signatureAlgorithm: 'RSA with SHA-256', weakAlgorithm: false, problems: [] });
  });

  test('a changed signed byte, a changed signature value, another key: invalid', () => {
    const contents = padded(sign());
    const changed = Buffer.from(bytes);
    changed[3000] = changed[3000]! ^ 0x10;
    const moved = verify(contents, undefined, changed);
    expect(moved).toMatchObject({ digestMatches: false, signatureValid: false });
    expect(codes(moved)).toEqual(['MESSAGE_DIGEST_MISMATCH']);
    expect(holds(moved)).toBe(false);

    const flipped = Buffer.from(contents);
    flipped[100] = flipped[100]! ^ 0x01;
    expect(codes(verify(flipped))).toEqual(['SIGNATURE_INVALID']);
    // The signer is the first /Cert entry, whatever else the array holds.
    expect(codes(verify(contents, [pki.units[1]!.leader.cert, leader.cert]))).toEqual(['SIGNATURE_INVALID']);
  });

  test('only a well-formed DigestInfo: parameters absent or NULL, nothing after it, its algorithm and length', () => {
    const d1 = crypto.createHash('sha1').update(bytes).digest();
    const ok = (di: (d: Buffer) => Buffer): CmsSignatureFacts => verify(padded(sign({ digestInfo: di })));
    expect(ok((d) => digestInfo(SHA1, d, nul()))).toMatchObject({ signatureValid: true, problems: [] });
    expect(ok((d) => digestInfo(SHA1, d))).toMatchObject({ signatureValid: true, problems: [] });
    for (const [why, di] of [
      ['parameters that are an OCTET STRING', (d: Buffer) => digestInfo(SHA1, d, octets(Buffer.from('hidden')))],
      ['bytes after the DigestInfo', (d: Buffer) => Buffer.concat([digestInfo(SHA1, d, nul()), Buffer.from([0])])],
      ['no DigestInfo, the bare digest', (d: Buffer) => d],
    ] as const) {
      expect({ why, codes: codes(ok(di)) }).toEqual({ why, codes: ['SIGNATURE_INVALID'] });
    }
    // SHA-256 named, the SHA-1 value held: the SHA-256 of the bytes is computed and does not match.
    const misnamed = ok(() => digestInfo(SHA256, d1));
    expect(misnamed.digestAlgorithm).toBe('SHA-256');
    expect(codes(misnamed)).toEqual(['MESSAGE_DIGEST_MISMATCH']);
    // MD5 is computed, and weak; MD2 and SHAKE256 are not computed, so never valid.
    const md5 = ok(() => digestInfo('1.2.840.113549.2.5', crypto.createHash('md5').update(bytes).digest(), nul()));
    expect(md5).toMatchObject({ signatureValid: true, weakAlgorithm: true, digestAlgorithm: 'MD5' });
    const md2 = ok(() => digestInfo('1.2.840.113549.2.2', Buffer.alloc(16), nul()));
    expect(md2).toMatchObject({ signatureValid: false, weakAlgorithm: true });
    expect(codes(md2)).toEqual(['UNSUPPORTED_ALGORITHM']);
    const shake = ok(() => digestInfo('2.16.840.1.101.3.4.2.12', digestBytes('shake256-512', bytes)));
    expect(codes(shake)).toEqual(['UNSUPPORTED_ALGORITHM']);
  });

  test('no signer certificate: /Cert absent, empty, not a string, not a certificate; a key that is not RSA', () => {
    const contents = padded(sign());
    for (const cert of [null, [], [null, leader.cert], [Buffer.from('not a certificate'), leader.cert]]) {
      const f = verify(contents, cert);
      expect({ cert: cert?.length, codes: codes(f), signer: f.signerCertificate }).toEqual({ cert: cert?.length, codes: ['SIGNER_NOT_FOUND'], signer: null });
    }
    // A chain certificate that does not parse is only left out.
    expect(verify(contents, [leader.cert, Buffer.from('junk'), pki.govSub.cert]).certificates).toHaveLength(2);
    const ec = verify(contents, [pki.ecLeader.cert]);
    expect(codes(ec)).toEqual(['UNSUPPORTED_ALGORITHM']);
    expect(ec.signerCertificate?.der.equals(pki.ecLeader.cert)).toBe(true);
  });

  test('a CMS in /Contents under this SubFilter is not read as CMS', () => {
    const f = verify(padded(signDetached(bytes, { signer: leader })));
    expect(f.signatureValid).toBe(false);
    expect(holds(f)).toBe(false);
  });

  test('fuzz: a byte changed in the value or its header never throws and never leaves a valid signature', () => {
    const contents = padded(sign(), 64);
    let seed = 99;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 400; i++) {
      const m = Buffer.from(contents);
      const at = rnd(260); // the OCTET STRING header and value
      m[at] = m[at]! ^ (1 + rnd(255));
      const p = prepareSignature(m, SUBFILTER, [leader.cert]);
      if ('error' in p) continue;
      const plan = digestPlan(p);
      const f = finishSignature(p, new Map(plan.algorithms.map((a) => [a, digestBytes(a, bytes)] as const)), null, []);
      expect({ at, valid: holds(f) }).toEqual({ at, valid: false });
    }
  });
});
