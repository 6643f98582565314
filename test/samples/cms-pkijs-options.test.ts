/**
 * Every option of the hand-written CMS builder (cms-builder.ts), encoded by both it and the pkijs builder
 * (cms-pkijs.ts): PSS, ECDSA DER and plain, Ed448 with SHAKE256, no signed attributes, the negative variants,
 * revocation archival, SignedData CRLs, timestamps. PSS and ECDSA signatures are randomised, so signData is replaced by
 * a deterministic stand-in here: what is compared is the encoding around the signature, which is what the two builders
 * do differently. Kept until every caller has moved to the pkijs builder and cms-builder.ts is deleted.
 */
jest.mock('../../samples/lib/pki-alg', () => {
  const actual = jest.requireActual('../../samples/lib/pki-alg');
  const { createHash } = jest.requireActual('node:crypto');
  return { ...actual, signData: (_k: unknown, h: string, d: Buffer) => createHash('sha512').update(h).update(d).digest() };
});
import * as hand from '../../samples/lib/cms-builder';
import * as pk from '../../samples/lib/cms-pkijs';
import { loadTestPki } from '../../samples/lib/test-pki';
import { pkijsRevocation } from '../../samples/lib/revocation-pkijs';

const pki = loadTestPki();
const u = pki.units[0]!;
const at = new Date('2026-03-10T02:15:00.300Z');
const content = Buffer.from('%PDF bytes');
let ocsp: Buffer;
beforeAll(async () => {
  const r = await pkijsRevocation();
  ocsp = r.makeOcspResponse(pki.govSub, { cert: u.leader.cert, status: 'good', producedAt: at });
});
const cases: [string, () => hand.SignOptions][] = [
  ['plain', () => ({ signer: u.leader, signingTime: at })],
  ['pss', () => ({ signer: u.leader, signingTime: at, scheme: 'pss' })],
  ['pss sha1', () => ({ signer: u.leader, signingTime: at, scheme: 'pss', digest: 'sha1' })],
  ['pss sha512', () => ({ signer: u.leader, signingTime: at, scheme: 'pss', digest: 'sha512' })],
  ['ec', () => ({ signer: pki.ecLeader, signingTime: at })],
  ['ec plain 384', () => ({ signer: pki.ecLeader, signingTime: at, ecdsa: 'plain', digest: 'sha384' })],
  ['ec plain widen', () => ({ signer: pki.ecLeader, signingTime: at, ecdsa: 'plain', tamper: 'plainRsLength' })],
  ['ed448', () => ({ signer: pki.ed448Leader, signingTime: at })],
  ['ed448 len', () => ({ signer: pki.ed448Leader, signingTime: at, shake256OutputBits: 256 })],
  ['ed448 ts', () => ({ signer: pki.ed448Leader, signingTime: at, timestamp: { tsa: pki.govTsa, genTime: at } })],
  ['noattrs', () => ({ signer: u.leader, signedAttributes: false })],
  ['noattrs ski', () => ({ signer: u.leader, signedAttributes: false, sid: 'ski' })],
  ['tamper sig', () => ({ signer: u.leader, signingTime: at, tamper: 'signature' })],
  ['tamper md', () => ({ signer: u.leader, signingTime: at, tamper: 'messageDigest' })],
  ['scv2 of', () => ({ signer: u.agency, signingTime: at, signingCertificateOf: u.leader.cert })],
  ['encapsulate', () => ({ signer: u.agency, signingTime: at, encapsulate: Buffer.from('khác') })],
  ['encapsulate nothing', () => ({ signer: u.agency, signingTime: at, encapsulate: Buffer.alloc(0) })],
  ['crls+ocsps', () => ({ signer: u.leader, signingTime: at, crls: [pki.govSubCrl, pki.govRootCrl], ocsps: [ocsp] })],
  ['ocsps only', () => ({ signer: u.leader, signingTime: at, ocsps: [ocsp] })],
  ['sd crls', () => ({ signer: u.leader, signingTime: at, signedDataCrls: [pki.govSubCrl, pki.govRootCrl] })],
  ['no certs', () => ({ signer: u.leader, signingTime: at, embedCertificates: false })],
  ['chain', () => ({ signer: u.leader, signingTime: at, chain: u.leader.chain })],
  ['ts pss', () => ({ signer: u.leader, signingTime: null, scheme: 'pss', timestamp: { tsa: pki.govTsa, genTime: at } })],
];
test.each(cases)('%s detached', (_, o) => {
  expect(pk.signDetached(content, o()).toString('hex')).toBe(hand.signDetached(content, o()).toString('hex'));
});
test.each(cases)('%s sha1', (_, o) => {
  expect(pk.signPkcs7Sha1(content, o()).toString('hex')).toBe(hand.signPkcs7Sha1(content, o()).toString('hex'));
});
test('tokens', () => {
  for (const d of ['sha1', 'sha256', 'sha384', 'sha512'] as const) expect(pk.timestampToken(content, { tsa: pki.govTsa, genTime: at, digest: d }).toString('hex')).toBe(hand.timestampToken(content, { tsa: pki.govTsa, genTime: at, digest: d }).toString('hex'));
  expect(pk.documentTimestamp(content, { tsa: pki.govTsa, genTime: at }).toString('hex')).toBe(hand.documentTimestamp(content, { tsa: pki.govTsa, genTime: at }).toString('hex'));
});
