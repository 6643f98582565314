/**
 * Every option of the sample CMS builder (samples/lib/cms-pkijs.ts): PSS, ECDSA DER and plain, Ed448 with SHAKE256,
 * no signed attributes, the negative variants, revocation archival, SignedData CRLs, timestamps. Before the
 * hand-written builder (cms-builder.ts) was deleted, the two were held to the same bytes on every option set below
 * (signData replaced by a deterministic stand-in, so the randomised PSS/ECDSA signatures did not hide the encoding);
 * what remains is that kiemky and pkijs read each of them alike, and that each negative variant is the one edit it says.
 */
import { createHash } from 'node:crypto';
import { OID, signDetached, signPkcs7Sha1, type SignOptions } from '../../samples/lib/cms-pkijs';
import { loadTestPki, type TestIdentity } from '../../samples/lib/test-pki';
import { issueWithPkijs, pkijsCertificates } from '../../samples/lib/x509-pkijs';
import { pkijsRevocation } from '../../samples/lib/revocation-pkijs';
import { parseSignedDataContentInfo } from '../../worker/cms/signed-data';
import { readWithKiemky } from '../decoders/kiemky-view';
import { readWithPkijs } from '../decoders/pkijs-view';

const pki = loadTestPki();
const u = pki.units[0]!;
const at = new Date('2026-03-10T02:15:00.300Z');
const content = Buffer.from('%PDF bytes');
let ocsp: Buffer;
let ed25519: TestIdentity;
let p384: TestIdentity;
beforeAll(async () => {
  const r = await pkijsRevocation();
  ocsp = r.makeOcspResponse(pki.govSub, { cert: u.leader.cert, status: 'good', producedAt: at });
  await pkijsCertificates();
  const issue = (keyType: 'ed25519' | 'ec-p384'): TestIdentity =>
    issueWithPkijs({ subject: { CN: `${keyType} TEST` }, issuer: pki.govSub, keyType, notBefore: new Date('2024-01-01Z'), notAfter: new Date('2028-01-01Z') });
  ed25519 = issue('ed25519');
  p384 = issue('ec-p384');
});

const CASES: [string, () => SignOptions][] = [
  ['RSA PKCS#1 v1.5', () => ({ signer: u.leader, signingTime: at })],
  ['RSA-PSS SHA-256', () => ({ signer: u.leader, signingTime: at, scheme: 'pss' })],
  ['RSA-PSS SHA-1 (empty RSASSA-PSS-params)', () => ({ signer: u.leader, signingTime: at, scheme: 'pss', digest: 'sha1' })],
  ['RSA-PSS SHA-512', () => ({ signer: u.leader, signingTime: at, scheme: 'pss', digest: 'sha512' })],
  ['ECDSA P-256', () => ({ signer: pki.ecLeader, signingTime: at })],
  ['ECDSA P-384 with SHA-384', () => ({ signer: p384, signingTime: at, digest: 'sha384' })],
  ['Ed25519 (SHA-512 signed attributes)', () => ({ signer: ed25519, signingTime: at })],
  ['plain ECDSA SHA-384', () => ({ signer: pki.ecLeader, signingTime: at, ecdsa: 'plain', digest: 'sha384' })],
  ['plain ECDSA, r and s one byte too long', () => ({ signer: pki.ecLeader, signingTime: at, ecdsa: 'plain', tamper: 'plainRsLength' })],
  ['Ed448 with SHAKE256', () => ({ signer: pki.ed448Leader, signingTime: at })],
  ['Ed448 with id-shake256-len 256', () => ({ signer: pki.ed448Leader, signingTime: at, shake256OutputBits: 256 })],
  ['Ed448 with a signature timestamp', () => ({ signer: pki.ed448Leader, signingTime: at, timestamp: { tsa: pki.govTsa, genTime: at } })],
  ['no signed attributes', () => ({ signer: u.leader, signedAttributes: false })],
  ['no signed attributes, signer by key identifier', () => ({ signer: u.leader, signedAttributes: false, sid: 'ski' })],
  ['a flipped signature bit', () => ({ signer: u.leader, signingTime: at, tamper: 'signature' })],
  ['a wrong messageDigest, signed', () => ({ signer: u.leader, signingTime: at, tamper: 'messageDigest' })],
  ['signingCertificateV2 of another certificate', () => ({ signer: u.agency, signingTime: at, signingCertificateOf: u.leader.cert })],
  ['a detached signature that encapsulates', () => ({ signer: u.agency, signingTime: at, encapsulate: Buffer.from('khác') })],
  ['a detached signature that encapsulates nothing', () => ({ signer: u.agency, signingTime: at, encapsulate: Buffer.alloc(0) })],
  ['CRLs and an OCSP response archived', () => ({ signer: u.leader, signingTime: at, crls: [pki.govSubCrl, pki.govRootCrl], ocsps: [ocsp] })],
  ['an OCSP response archived', () => ({ signer: u.leader, signingTime: at, ocsps: [ocsp] })],
  ['CRLs in SignedData', () => ({ signer: u.leader, signingTime: at, signedDataCrls: [pki.govSubCrl, pki.govRootCrl] })],
  ['no certificates', () => ({ signer: u.leader, signingTime: at, embedCertificates: false })],
  ['the whole chain', () => ({ signer: u.leader, signingTime: at, chain: u.leader.chain })],
  ['RSA-PSS with a signature timestamp, no signingTime', () => ({ signer: u.leader, signingTime: null, scheme: 'pss', timestamp: { tsa: pki.govTsa, genTime: at } })],
];

test.each(CASES)('%s: kiemky and pkijs read the detached and adbe.pkcs7.sha1 forms alike', (_, o) => {
  for (const der of [signDetached(content, o()), signPkcs7Sha1(content, o())]) {
    expect(readWithKiemky('cms', der)).toEqual({ ...readWithPkijs('cms', der), notes: [] });
  }
});

const signer = (der: Buffer) => parseSignedDataContentInfo(der, true).signerInfos[0]!;
const attr = (der: Buffer, oid: string) => signer(der).signedAttrs?.find((a) => a.oid === oid);

test('each negative variant differs from the honest signature only where it says', () => {
  const honest = signDetached(content, { signer: u.leader, signingTime: at });
  // The signature value: the same length, its last bit flipped.
  const flipped = signer(signDetached(content, { signer: u.leader, signingTime: at, tamper: 'signature' })).signature;
  const good = signer(honest).signature;
  expect(Buffer.compare(flipped.subarray(0, -1), good.subarray(0, -1))).toBe(0);
  expect(flipped[flipped.length - 1]! ^ good[good.length - 1]!).toBe(1);
  // messageDigest: SHA-256 of the content with its last bit flipped.
  const md = createHash('sha256').update(content).digest();
  md[md.length - 1]! ^= 1;
  expect(attr(signDetached(content, { signer: u.leader, signingTime: at, tamper: 'messageDigest' }), OID.messageDigest)?.values[0]?.content).toEqual(md);
  // signingCertificateOf: the agency signs, the ESSCertIDv2 hashes the leader's certificate.
  const of = attr(signDetached(content, { signer: u.agency, signingTime: at, signingCertificateOf: u.leader.cert }), OID.signingCertificateV2)!;
  expect(of.values[0]!.raw.includes(createHash('sha256').update(u.leader.cert).digest())).toBe(true);
  expect(of.values[0]!.raw.includes(createHash('sha256').update(u.agency.cert).digest())).toBe(false);
});
