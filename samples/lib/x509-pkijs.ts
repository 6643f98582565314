/**
 * Test PKI certificates encoded by pkijs/asn1js (issue 21, item 2): the same CertificatePlan samples/lib's own encoder
 * takes (test-pki.ts), so the two can be held to the same bytes, and generateTestPki writes what pkijs encodes. Names
 * are built as one single-valued RDN per attribute with asn1js (pkijs would put every attribute of a new Name in one
 * SET); the issuer Name is the issuer certificate's subject as pkijs read it, bytes unchanged. Signed with node:crypto.
 */
import type * as Asn1js from 'asn1js';
import type * as Pkijs from 'pkijs';
import { keyKind, signData, type HashName } from './pki-alg';
import { loadPkijs, type PkijsModules } from './pkijs-modules';
import { OID_EKU_TIME_STAMPING, identityOf, keyUsageBits, nameAttributes, planCertificate, type CertificateOptions, type CertificatePlan, type TestIdentity } from './test-pki';

export type CertificateEncoder = (plan: CertificatePlan) => Buffer;

let loaded: Promise<CertificateEncoder> | undefined;
let ready: CertificateEncoder | undefined;

/** The pkijs certificate encoder, once asn1js and pkijs are loaded. */
export function pkijsCertificates(): Promise<CertificateEncoder> {
  loaded ??= loadPkijs().then((m) => {
    ready = (plan: CertificatePlan) => encode(m, plan);
    return ready;
  });
  return loaded;
}

/**
 * test-pki.ts's makeCertificate, encoded by pkijs: synchronous, as the tests that issue a certificate mid-test need it,
 * once pkijsCertificates() has resolved (their beforeAll awaits it).
 */
export function issueWithPkijs(o: CertificateOptions): TestIdentity {
  if (!ready) throw new Error('x509-pkijs: await pkijsCertificates() before issueWithPkijs()');
  const plan = planCertificate(o);
  return identityOf(plan, ready(plan));
}

const RSA: Record<HashName, string> = { sha1: '1.2.840.113549.1.1.5', sha256: '1.2.840.113549.1.1.11', sha384: '1.2.840.113549.1.1.12', sha512: '1.2.840.113549.1.1.13' };
const ECDSA: Record<HashName, string> = { sha1: '1.2.840.10045.4.1', sha256: '1.2.840.10045.4.3.2', sha384: '1.2.840.10045.4.3.3', sha512: '1.2.840.10045.4.3.4' };

function encode({ asn1js: A1, pkijs: PK }: PkijsModules, p: CertificatePlan): Buffer {
  const ext = (extnID: string, critical: boolean, value: Asn1js.AsnType | { toSchema(): Asn1js.AsnType }): Pkijs.Extension => {
    const schema = 'toSchema' in value ? value.toSchema() : value;
    return new PK.Extension({ extnID, critical, extnValue: schema.toBER() });
  };
  const time = (d: Date): Pkijs.Time => new PK.Time({ type: d.getUTCFullYear() < 2050 ? 0 : 1, value: d });

  const algorithm = (): Pkijs.AlgorithmIdentifier => {
    const kind = keyKind(p.signingKey);
    if (kind === 'rsa') return new PK.AlgorithmIdentifier({ algorithmId: RSA[p.hash], algorithmParams: new A1.Null() });
    if (kind === 'ec') return new PK.AlgorithmIdentifier({ algorithmId: ECDSA[p.hash] });
    return new PK.AlgorithmIdentifier({ algorithmId: kind === 'ed25519' ? '1.3.101.112' : '1.3.101.113' });
  };

  const strings = { utf8: A1.Utf8String, printable: A1.PrintableString, ia5: A1.IA5String } as const;
  const rdns = nameAttributes(p.subject).map(
    (a) => new A1.Set({ value: [new A1.Sequence({ value: [new A1.ObjectIdentifier({ value: a.oid }), new strings[a.kind]({ value: a.value })] })] }),
  );
  const subject = PK.RelativeDistinguishedNames.fromBER(new A1.Sequence({ value: rdns }).toBER());
  const issuerCert = p.issuer ? PK.Certificate.fromBER(p.issuer.cert) : undefined;
  const issuerSki = issuerCert?.extensions?.find((e) => e.extnID === '2.5.29.14');
  const issuerKeyId = issuerSki ? (A1.fromBER(issuerSki.extnValue.valueBlock.valueHexView).result as Asn1js.OctetString).valueBlock.valueHexView : new Uint8Array(p.ski);
  if (issuerCert && !issuerSki) throw new Error('x509-pkijs: the issuer has no subjectKeyIdentifier');

  const extensions: Pkijs.Extension[] = [];
  if (p.basicConstraints) {
    const bc = p.basicConstraints;
    extensions.push(ext('2.5.29.19', bc.ca, new PK.BasicConstraints({ cA: bc.ca, ...(bc.pathLen === undefined ? {} : { pathLenConstraint: bc.pathLen }) })));
  }
  extensions.push(ext('2.5.29.15', true, keyUsage(A1, keyUsageBits(p.keyUsage))));
  if (p.extKeyUsage.length > 0) {
    const critical = p.extKeyUsage.length === 1 && p.extKeyUsage[0] === OID_EKU_TIME_STAMPING;
    extensions.push(ext('2.5.29.37', critical, new PK.ExtKeyUsage({ keyPurposes: p.extKeyUsage })));
  }
  extensions.push(ext('2.5.29.14', false, new A1.OctetString({ valueHex: new Uint8Array(p.ski) })));
  extensions.push(ext('2.5.29.35', false, new PK.AuthorityKeyIdentifier({ keyIdentifier: new A1.OctetString({ valueHex: issuerKeyId }) })));
  if (p.emails.length > 0) extensions.push(ext('2.5.29.17', false, new PK.GeneralNames({ names: p.emails.map((e) => new PK.GeneralName({ type: 1, value: e })) })));
  if (p.crlUrls.length > 0) {
    const points = p.crlUrls.map((u) => new PK.DistributionPoint({ distributionPoint: [new PK.GeneralName({ type: 6, value: u })] }));
    extensions.push(ext('2.5.29.31', false, new PK.CRLDistributionPoints({ distributionPoints: points })));
  }
  if (p.ocspUrls.length > 0) {
    const ocsp = p.ocspUrls.map((u) => new PK.AccessDescription({ accessMethod: '1.3.6.1.5.5.7.48.1', accessLocation: new PK.GeneralName({ type: 6, value: u }) }));
    extensions.push(ext('1.3.6.1.5.5.7.1.1', false, new PK.InfoAccess({ accessDescriptions: ocsp })));
  }
  if (p.policies.length > 0) {
    extensions.push(ext('2.5.29.32', false, new PK.CertificatePolicies({ certificatePolicies: p.policies.map((id) => new PK.PolicyInformation({ policyIdentifier: id })) })));
  }

  const cert = new PK.Certificate({
    version: 2,
    serialNumber: new A1.Integer({ valueHex: integerOctets(p.serial) }),
    signature: algorithm(),
    issuer: issuerCert ? issuerCert.subject : subject,
    notBefore: time(p.notBefore),
    notAfter: time(p.notAfter),
    subject,
    subjectPublicKeyInfo: PK.PublicKeyInfo.fromBER(p.spki),
    extensions,
  });
  const tbs = Buffer.from(cert.encodeTBS().toBER());
  cert.tbsView = new Uint8Array(tbs);
  cert.signatureAlgorithm = algorithm();
  cert.signatureValue = new A1.BitString({ valueHex: new Uint8Array(signData(p.signingKey, p.hash, tbs)) });
  return Buffer.from(cert.toSchema().toBER());
}

/** KeyUsage BIT STRING with its trailing zero bits dropped (X.690 §11.2.2: DER names no unused bit it could omit). */
function keyUsage(A1: typeof Asn1js, bitNumbers: number[]): Asn1js.BitString {
  const highest = Math.max(...bitNumbers);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const b of bitNumbers) bytes[b >> 3]! |= 0x80 >> (b & 7);
  return new A1.BitString({ valueHex: bytes, unusedBits: bytes.length * 8 - 1 - highest });
}

/** A non-negative INTEGER's contents octets: minimal two's complement. */
function integerOctets(n: bigint): Uint8Array {
  let h = n.toString(16);
  if (h.length % 2) h = `0${h}`;
  if (parseInt(h.slice(0, 2), 16) >= 0x80) h = `00${h}`;
  return new Uint8Array(Buffer.from(h, 'hex'));
}
