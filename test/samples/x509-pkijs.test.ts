/**
 * Certificates of the test PKI encoded by pkijs (samples/lib/x509-pkijs.ts) and by samples/lib's own DER writer, from
 * the same plan: DER is canonical and an RSA issuer signs deterministically, so two correct encoders give the same
 * bytes, and any difference is a misreading of RFC 5280 in one of them.
 */
import { X509Certificate, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { buildTestPki, loadTestPki, planCertificate, identityOf, makeCertificate, type CertificateOptions } from '../../samples/lib/test-pki';
import { pkijsRevocation } from '../../samples/lib/revocation-pkijs';
import { pkijsCertificates, type CertificateEncoder } from '../../samples/lib/x509-pkijs';
import { certFields } from '../../samples/lib/pki-x509';
import { Certificate } from '../../worker/pki/certificate';

const pki = loadTestPki();
let encode: CertificateEncoder;
beforeAll(async () => {
  encode = await pkijsCertificates();
});

const at = new Date('2024-01-01T00:00:00Z');
const until = new Date('2028-12-31T00:00:00Z');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEYS = {
  rsa,
  ec: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  p384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  ed25519: generateKeyPairSync('ed25519'),
  ed448: generateKeyPairSync('ed448'),
};

const CASES: [string, CertificateOptions][] = [
  ['a BCY-style leader (EKU, SAN, CRL DP, policy)', { subject: { C: 'VN', L: 'Khánh Hòa', O: 'ỦY BAN NHÂN DÂN', OU: 'Văn phòng', CN: 'Nguyễn Văn Thử', E: 'nvthu@x.gov.vn' }, issuer: pki.govSub, keyPair: KEYS.rsa, serial: 0x7fn, notBefore: at, notAfter: until, keyUsage: ['digitalSignature', 'nonRepudiation'], extKeyUsage: ['clientAuth', 'emailProtection', 'smartcardLogon'], emails: ['nvthu@x.gov.vn'], crlUrl: 'http://ca-test.invalid/x.crl', policies: ['2.16.704.1.1.1.1.1'] }],
  ['a sub-CA with pathLen 0 and a 128-bit serial', { subject: { C: 'VN', O: 'TEST', CN: 'Sub TEST' }, issuer: pki.govRoot, keyPair: KEYS.rsa, serial: 2n ** 127n + 5n, notBefore: at, notAfter: new Date('2048-08-14T00:00:00Z'), ca: true, pathLen: 0 }],
  ['a self-signed EC root after 2049', { subject: [['CN', 'Tự ký TEST'], ['OU', 'A'], ['OU', 'B']], keyPair: KEYS.ec, serial: 1n, notBefore: at, notAfter: new Date('2051-01-01T00:00:00Z'), ca: true }],
  ['a TSA (critical EKU timeStamping alone), sha384', { subject: { C: 'VN', CN: 'TSA TEST' }, issuer: pki.govRoot, keyPair: KEYS.p384, serial: 4242n, notBefore: at, notAfter: until, extKeyUsage: ['timeStamping'], sigHash: 'sha384' }],
  ['sha1, no basicConstraints, keyUsage to decipherOnly', { subject: { CN: 'Cũ TEST', UID: 'MST:42', SERIALNUMBER: 'CMND:1', DC: 'vn', '2.5.4.97': 'VATVN-1' }, issuer: pki.govSub, keyPair: KEYS.ed25519, serial: 0x80n, notBefore: at, notAfter: until, sigHash: 'sha1', omitBasicConstraints: true, keyUsage: ['keyAgreement', 'decipherOnly'] }],
  ['an Ed448 key, acting for an organisation', { subject: [['UID', 'MST:4201234567'], ['CN', 'Võ Thị Đại Diện'], ['C', 'VN']], issuer: pki.publicSubs['VNPT-CA'], keyPair: KEYS.ed448, serial: 99n, notBefore: at, notAfter: until, extKeyUsage: ['1.3.6.1.4.1.311.10.3.12'] }],
  ['a leader naming its CRL and its OCSP responder (AIA)', { subject: { C: 'VN', CN: 'Trực Tuyến TEST' }, issuer: pki.govSub, keyPair: KEYS.rsa, serial: 0x51n, notBefore: at, notAfter: until, crlUrl: 'http://127.0.0.1:8080/sub.crl', ocspUrl: 'http://127.0.0.1:8080/ocsp' }],
  ['a leader naming two CRL distribution points and two OCSP responders', { subject: { C: 'VN', CN: 'Nhiều Nguồn TEST' }, issuer: pki.govSub, keyPair: KEYS.rsa, serial: 0x52n, notBefore: at, notAfter: until, crlUrl: ['http://127.0.0.1:8080/a.crl', 'http://127.0.0.1:8080/b.crl'], ocspUrl: ['http://127.0.0.1:8080/ocsp-a', 'http://127.0.0.1:8080/ocsp-b'] }],
];

/** ECDSA signs with a random k: with an EC signer only the to-be-signed bytes can be the same. */
const comparable = (der: Buffer, o: CertificateOptions): string => {
  const signer = o.issuer ? o.issuer.key : o.keyPair!.privateKey;
  return (signer.asymmetricKeyType === 'ec' ? certFields(der).tbs : der).toString('hex');
};

test.each(CASES)('%s: the same bytes from both encoders', (_, o) => {
  const plan = planCertificate(o);
  const byPkijs = encode(plan);
  expect(comparable(byPkijs, o)).toBe(comparable(makeCertificate(o).cert, o));
  // And what pkijs wrote is a certificate OpenSSL and kiemky read as planned.
  const x = new X509Certificate(byPkijs);
  const signer = o.issuer ? createPublicKey(o.issuer.key) : o.keyPair!.publicKey;
  expect(x.verify(signer)).toBe(true);
  const k = Certificate.fromDer(identityOf(plan, byPkijs).cert);
  expect(BigInt(`0x${k.serialNumberHex}`)).toBe(o.serial);
  expect(k.ocspUrls).toEqual([o.ocspUrl ?? []].flat());
  expect(k.crlDistributionPoints).toEqual([o.crlUrl ?? []].flat());
});

test('an EC issuer: the same to-be-signed bytes, and a signature that verifies', () => {
  const root = makeCertificate({ subject: { CN: 'EC root TEST' }, keyPair: KEYS.ec, serial: 3n, notBefore: at, notAfter: until, ca: true });
  const o: CertificateOptions = { subject: { CN: 'Under EC TEST' }, issuer: root, keyPair: KEYS.rsa, serial: 10n, notBefore: at, notAfter: until };
  const byPkijs = encode(planCertificate(o));
  expect(comparable(byPkijs, o)).toBe(comparable(makeCertificate(o).cert, o));
  expect(new X509Certificate(byPkijs).verify(createPublicKey(root.key))).toBe(true);
});

test('the committed test PKI (samples/pki) is what pkijs encodes from its keys and serials, certificates and CRLs', async () => {
  const committed = new Map(pki.all.map((t) => [t.id, t]));
  const rebuilt = buildTestPki((o) => {
    const was = committed.get(o.id ?? '');
    if (!was) throw new Error(`no committed identity ${String(o.id)}`);
    const plan = planCertificate({ ...o, keyPair: { privateKey: was.key, publicKey: createPublicKey(was.key) }, serial: certFields(was.cert).serial });
    return identityOf(plan, encode(plan));
  }, await pkijsRevocation());
  expect(rebuilt.identities.map((t) => t.id)).toEqual(pki.all.map((t) => t.id));
  // Every issuer in the test PKI has an RSA key, so every certificate's signature is deterministic too.
  for (const t of rebuilt.identities) expect({ id: t.id, der: t.cert.toString('hex') }).toEqual({ id: t.id, der: committed.get(t.id)!.cert.toString('hex') });
  expect(rebuilt.crls.govSubCrl.equals(pki.govSubCrl)).toBe(true);
  expect(rebuilt.crls.govRootCrl.equals(pki.govRootCrl)).toBe(true);
});
