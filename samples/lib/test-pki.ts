/**
 * The TEST-ONLY PKI that signs the project's sample PDFs and tests.
 *
 * It mimics the DN and extension profiles of the BCY G2 government PKI and of NEAC-rooted
 * public CAs (shared/vn-pki/REPORT.md §1, §3), but every CA name says TEST / THỬ NGHIỆM and
 * all URLs use the reserved `.invalid` TLD. It is generated once, committed as PEM under
 * samples/pki/, and is never part of the product trust store in certs/.
 */
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bits, bool, explicit, fromPem, ia5, implicit, int, octets, oid, printable, seq, set, time, toPem, utf8 } from './der';
import { signData, signatureAlgId, type HashName } from './pki-alg';
import { certFields, keyIdOfSpki } from './pki-x509';
import { pkijsRevocation, type RevocationEncoders } from './revocation-pkijs';
import { pkijsCertificates } from './x509-pkijs';

export interface TestIdentity {
  id: string;
  /** Certificate, DER. */
  cert: Buffer;
  /** Private key. */
  key: KeyObject;
  /** Issuing CA certificates (DER), nearest first, root last; empty for a self-signed root. */
  chain: Buffer[];
}

/** Attribute short name → value(s). Insertion order is the RDN order of the encoded Name. */
export interface NameSpec {
  [shortName: string]: string | string[];
}

export type KeyType = 'rsa2048' | 'rsa3072' | 'ec-p256' | 'ec-p384' | 'ec-p521' | 'ed25519' | 'ed448';

export interface CertificateOptions {
  subject: NameSpec | Array<[string, string]>;
  /** Absent: self-signed. */
  issuer?: TestIdentity;
  keyType?: KeyType;
  keyPair?: { privateKey: KeyObject; publicKey: KeyObject };
  serial?: bigint;
  notBefore: Date;
  notAfter: Date;
  ca?: boolean;
  pathLen?: number;
  keyUsage?: string[];
  /** OIDs or names: timeStamping, ocspSigning, emailProtection, clientAuth, serverAuth, codeSigning, documentSigning, smartcardLogon. */
  extKeyUsage?: string[];
  sigHash?: 'sha256' | 'sha1' | 'sha384';
  emails?: string[];
  /** CRL distribution point URIs: one DistributionPoint each. */
  crlUrl?: string | string[];
  /** authorityInfoAccess id-ad-ocsp URIs: one AccessDescription each. */
  ocspUrl?: string | string[];
  policies?: string[];
  omitBasicConstraints?: boolean;
  id?: string;
}

// --------------------------------------------------------------------------------------------
// Names

/** The string type of an attribute value: UTF8String, PrintableString or IA5String. */
export type StringKind = 'utf8' | 'printable' | 'ia5';

const ATTR: Record<string, { oid: string; kind: StringKind }> = {
  CN: { oid: '2.5.4.3', kind: 'utf8' },
  SERIALNUMBER: { oid: '2.5.4.5', kind: 'printable' },
  C: { oid: '2.5.4.6', kind: 'printable' },
  L: { oid: '2.5.4.7', kind: 'utf8' },
  ST: { oid: '2.5.4.8', kind: 'utf8' },
  O: { oid: '2.5.4.10', kind: 'utf8' },
  OU: { oid: '2.5.4.11', kind: 'utf8' },
  T: { oid: '2.5.4.12', kind: 'utf8' },
  organizationIdentifier: { oid: '2.5.4.97', kind: 'utf8' },
  E: { oid: '1.2.840.113549.1.9.1', kind: 'ia5' },
  UID: { oid: '0.9.2342.19200300.100.1.1', kind: 'utf8' },
  DC: { oid: '0.9.2342.19200300.100.1.25', kind: 'ia5' },
};

const ENCODE: Record<StringKind, (s: string) => Buffer> = { utf8, printable, ia5 };

/** A Name's attributes in RDN order, each with its OID and string type. Dotted OIDs are accepted as keys (UTF8String). */
export function nameAttributes(spec: NameSpec | Array<[string, string]>): Array<{ oid: string; kind: StringKind; value: string }> {
  const pairs: Array<[string, string]> = Array.isArray(spec)
    ? spec
    : Object.entries(spec).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]]));
  return pairs.map(([k, value]) => {
    const a = ATTR[k] ?? (/^\d+(\.\d+)+$/.test(k) ? { oid: k, kind: 'utf8' as const } : undefined);
    if (!a) throw new Error(`encodeName: unknown attribute ${k}`);
    return { ...a, value };
  });
}

/** Encodes a Name: one single-valued RDN per attribute, in the given order. */
export function encodeName(spec: NameSpec | Array<[string, string]>): Buffer {
  return seq(...nameAttributes(spec).map((a) => set(seq(oid(a.oid), ENCODE[a.kind](a.value)))));
}

// --------------------------------------------------------------------------------------------
// Extensions

const KU_BITS: Record<string, number> = {
  digitalSignature: 0,
  nonRepudiation: 1,
  contentCommitment: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
};

const EKU: Record<string, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  documentSigning: '1.3.6.1.4.1.311.10.3.12',
  smartcardLogon: '1.3.6.1.4.1.311.20.2.2',
};

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

/** KeyUsage BIT STRING: DER drops trailing zero bits (X.690 §11.2.2). */
function keyUsageValue(names: string[]): Buffer {
  let mask = 0;
  for (const n of names) {
    const b = KU_BITS[n];
    if (b === undefined) throw new Error(`unknown keyUsage ${n}`);
    mask |= 1 << b;
  }
  if (mask === 0) throw new Error('keyUsage must not be empty');
  const highest = 31 - Math.clz32(mask);
  const nBytes = Math.floor(highest / 8) + 1;
  const out = Buffer.alloc(nBytes);
  for (let b = 0; b <= highest; b++) if (mask & (1 << b)) out[b >> 3] |= 0x80 >> (b & 7);
  return bits(out, nBytes * 8 - 1 - highest);
}

// --------------------------------------------------------------------------------------------
// Certificates

function generateKeyPair(t: KeyType): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (t) {
    case 'rsa2048':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
    case 'rsa3072':
      return generateKeyPairSync('rsa', { modulusLength: 3072 });
    case 'ec-p256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'ec-p384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'ec-p521':
      return generateKeyPairSync('ec', { namedCurve: 'P-521' });
    case 'ed25519':
      return generateKeyPairSync('ed25519');
    case 'ed448':
      return generateKeyPairSync('ed448');
  }
}

/** Positive 127-bit random serial: RFC 5280 allows at most 20 octets and requires positive. */
function randomSerial(): bigint {
  const b = randomBytes(16);
  b[0] &= 0x7f;
  b[0] |= 0x01;
  return BigInt('0x' + b.toString('hex'));
}

/** Whole seconds: certificate Time has no fraction. */
function seconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

function idFromSubject(subject: NameSpec | Array<[string, string]>): string {
  const cnEntry = Array.isArray(subject) ? subject.find(([k]) => k === 'CN')?.[1] : subject.CN;
  const cn = Array.isArray(cnEntry) ? cnEntry[0] : cnEntry;
  const slug = (cn ?? 'cert')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  return slug || 'cert';
}

/**
 * Everything a certificate's encoding depends on, settled once (key pair, serial, issuer, names, extensions), so the
 * hand-written encoder below and pkijs (x509-pkijs.ts) encode the same certificate.
 */
export interface CertificatePlan {
  id: string;
  pair: { privateKey: KeyObject; publicKey: KeyObject };
  /** SubjectPublicKeyInfo, DER, as node:crypto exports it. */
  spki: Buffer;
  serial: bigint;
  subject: NameSpec | Array<[string, string]>;
  issuer?: TestIdentity;
  signingKey: KeyObject;
  hash: HashName;
  notBefore: Date;
  notAfter: Date;
  /** basicConstraints: absent, or cA with an optional pathLen (cA false: an empty SEQUENCE). */
  basicConstraints: { ca: boolean; pathLen?: number } | null;
  keyUsage: string[];
  /** EKU OIDs (critical when it is timeStamping alone, RFC 3161 §2.3). */
  extKeyUsage: string[];
  /** subjectKeyIdentifier: SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2 (1)). */
  ski: Buffer;
  emails: string[];
  crlUrls: string[];
  ocspUrls: string[];
  policies: string[];
}

export function planCertificate(o: CertificateOptions): CertificatePlan {
  const pair = o.keyPair ?? generateKeyPair(o.keyType ?? 'rsa2048');
  const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
  return {
    id: o.id ?? idFromSubject(o.subject),
    pair,
    spki,
    serial: o.serial ?? randomSerial(),
    subject: o.subject,
    ...(o.issuer ? { issuer: o.issuer } : {}),
    signingKey: o.issuer ? o.issuer.key : pair.privateKey,
    hash: o.sigHash ?? 'sha256',
    notBefore: seconds(o.notBefore),
    notAfter: seconds(o.notAfter),
    basicConstraints: o.omitBasicConstraints ? null : { ca: o.ca === true, ...(o.ca && o.pathLen !== undefined ? { pathLen: o.pathLen } : {}) },
    keyUsage: o.keyUsage ?? (o.ca ? ['keyCertSign', 'cRLSign'] : ['digitalSignature', 'nonRepudiation']),
    extKeyUsage: (o.extKeyUsage ?? []).map((n) => EKU[n] ?? n),
    ski: keyIdOfSpki(spki),
    emails: o.emails ?? [],
    crlUrls: o.crlUrl === undefined ? [] : [o.crlUrl].flat(),
    ocspUrls: o.ocspUrl === undefined ? [] : [o.ocspUrl].flat(),
    policies: o.policies ?? [],
  };
}

export const OID_EKU_TIME_STAMPING = EKU.timeStamping;

/** The KeyUsage bit numbers of names (X.509 KeyUsage: digitalSignature 0 … decipherOnly 8). */
export function keyUsageBits(names: string[]): number[] {
  return names.map((n) => {
    const b = KU_BITS[n];
    if (b === undefined) throw new Error(`unknown keyUsage ${n}`);
    return b;
  });
}

/** The identity a plan and its encoded certificate make. */
export function identityOf(plan: CertificatePlan, cert: Buffer): TestIdentity {
  return { id: plan.id, cert, key: plan.pair.privateKey, chain: plan.issuer ? [plan.issuer.cert, ...plan.issuer.chain] : [] };
}

/** A certificate by samples/lib's own DER writer (the committed PKI is held to what pkijs encodes, x509-pkijs.ts). */
export function makeCertificate(o: CertificateOptions): TestIdentity {
  const plan = planCertificate(o);
  return identityOf(plan, encodeCertificateByHand(plan));
}

function encodeCertificateByHand(p: CertificatePlan): Buffer {
  const subjectName = encodeName(p.subject);
  const issuerFields = p.issuer ? certFields(p.issuer.cert) : undefined;
  // Copy the issuer's subject bytes so the issuer field matches exactly, whatever its encoding.
  const issuerName = issuerFields ? issuerFields.subjectName : subjectName;
  const issuerKeyId = issuerFields ? (issuerFields.subjectKeyId ?? keyIdOfSpki(issuerFields.spki)) : p.ski;
  const sigAlg = signatureAlgId(p.signingKey, p.hash);

  const exts: Buffer[] = [];
  if (p.basicConstraints) {
    const bc = p.basicConstraints;
    // cA DEFAULT FALSE is omitted in DER, leaving an empty SEQUENCE.
    if (bc.ca) exts.push(extension('2.5.29.19', true, bc.pathLen === undefined ? seq(bool(true)) : seq(bool(true), int(bc.pathLen))));
    else exts.push(extension('2.5.29.19', false, seq()));
  }
  exts.push(extension('2.5.29.15', true, keyUsageValue(p.keyUsage)));
  if (p.extKeyUsage.length > 0) {
    // RFC 3161 §2.3: a TSA certificate's EKU must be critical and contain only timeStamping.
    const critical = p.extKeyUsage.length === 1 && p.extKeyUsage[0] === EKU.timeStamping;
    exts.push(extension('2.5.29.37', critical, seq(...p.extKeyUsage.map((i) => oid(i)))));
  }
  exts.push(extension('2.5.29.14', false, octets(p.ski)));
  exts.push(extension('2.5.29.35', false, seq(implicit(0, octets(issuerKeyId)))));
  if (p.emails.length > 0) exts.push(extension('2.5.29.17', false, seq(...p.emails.map((e) => implicit(1, ia5(e))))));
  if (p.crlUrls.length > 0) exts.push(extension('2.5.29.31', false, seq(...p.crlUrls.map((u) => seq(explicit(0, implicit(0, seq(implicit(6, ia5(u))))))))));
  if (p.ocspUrls.length > 0) exts.push(extension('1.3.6.1.5.5.7.1.1', false, seq(...p.ocspUrls.map((u) => seq(oid('1.3.6.1.5.5.7.48.1'), implicit(6, ia5(u)))))));
  if (p.policies.length > 0) exts.push(extension('2.5.29.32', false, seq(...p.policies.map((x) => seq(oid(x))))));

  const tbs = seq(explicit(0, int(2)), int(p.serial), sigAlg, issuerName, seq(time(p.notBefore), time(p.notAfter)), subjectName, p.spki, explicit(3, seq(...exts)));
  return seq(tbs, sigAlg, bits(signData(p.signingKey, p.hash, tbs)));
}

// --------------------------------------------------------------------------------------------
// The test PKI

export interface TestUnit {
  name: string;
  /** Personal BCY-style certificate of the unit's leader. */
  leader: TestIdentity;
  /** Organisation BCY-style certificate of the unit. */
  agency: TestIdentity;
}

export interface TestPki {
  /** Folder the PKI was loaded from. */
  dir: string;
  govRoot: TestIdentity;
  govSub: TestIdentity;
  govTsa: TestIdentity;
  units: TestUnit[];
  publicRoot: TestIdentity;
  publicSubs: { 'VNPT-CA': TestIdentity; 'Viettel-CA': TestIdentity };
  publicPersonal: TestIdentity;
  publicOrg: TestIdentity;
  publicOrgViettel: TestIdentity;
  actingForOrg: TestIdentity;
  lookalikeRoot: TestIdentity;
  lookalikeSub: TestIdentity;
  lookalikeAgency: TestIdentity;
  expiredLeader: TestIdentity;
  notYetValidLeader: TestIdentity;
  revokedLeader: TestIdentity;
  revokedLeaderDate: Date;
  /** CRL by govSub revoking revokedLeader (DER). */
  govSubCrl: Buffer;
  /** Empty CRL by govRoot (DER), so the sub-CA's own status can be checked too. */
  govRootCrl: Buffer;
  sha1Leader: TestIdentity;
  ecLeader: TestIdentity;
  /** Ed448 key (RFC 8419: signs with SHAKE256 digests). */
  ed448Leader: TestIdentity;
  notCaSub: TestIdentity;
  badChainLeader: TestIdentity;
  /** Every identity, in generation order (issuers before subjects). */
  all: TestIdentity[];
}

export const GOV_POLICY = '2.16.704.1.1.1.1.1';
const BCY_O = 'Ban Cơ yếu Chính phủ (THỬ NGHIỆM)';
const UBND_O = 'ỦY BAN NHÂN DÂN HUYỆN VẠN NINH';
const PROVINCE = 'Khánh Hòa';
const MAIL_DOMAIN = 'vanninh.khanhhoa.gov.vn';
const GOV_SUB_CRL_URL = 'http://ca-test.invalid/pki/pub/crl/cpcag2-test.crl';
const GOV_ROOT_CRL_URL = 'http://ca-test.invalid/pki/pub/crl/rootcag2-test.crl';
const VNPT_CRL_URL = 'http://crl.vnpt-ca-test.invalid/vnptca-test.crl';
const VIETTEL_CRL_URL = 'http://crl.viettel-ca-test.invalid/Viettel-CA-TEST.crl';

export const UNIT_NAMES: readonly string[] = [
  'Văn phòng HĐND và UBND huyện Vạn Ninh',
  'Phòng Văn hóa và Thông tin huyện Vạn Ninh',
  'UBND xã Vạn Thắng',
  'Phòng Tài chính - Kế hoạch huyện Vạn Ninh',
];
// Fictitious people; the issuing CA names make the test origin unmistakable.
const LEADERS: ReadonlyArray<{ name: string; mail: string }> = [
  { name: 'Nguyễn Văn Thử', mail: 'nvthu' },
  { name: 'Trần Thị Nghiệm', mail: 'ttnghiem' },
  { name: 'Lê Văn Kiểm', mail: 'lvkiem' },
  { name: 'Phạm Thị Mẫu', mail: 'ptmau' },
];
const UNIT_MAILBOXES = ['vanphong', 'phongvhtt', 'xavanthang', 'phongtckh'];

const d = (s: string): Date => new Date(s + 'T00:00:00Z');
const LEAF_FROM = d('2024-01-01');
const LEAF_TO = d('2028-12-31');
const REVOKED_LEADER_DATE = d('2025-06-01');

const GOV_EE_KU = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment'];
const GOV_EE_EKU = ['clientAuth', 'emailProtection', 'smartcardLogon'];

function leaderSubject(unit: string, person: string, mail: string): NameSpec {
  // BCY G2 personal order: C, L, O, OU, CN, E (REPORT §3.1).
  return { C: 'VN', L: PROVINCE, O: UBND_O, OU: unit, CN: person, E: `${mail}@${MAIL_DOMAIN}` };
}

function agencySubject(unit: string): NameSpec {
  return { CN: unit, O: UBND_O, L: PROVINCE, C: 'VN' };
}

export type Issue = (o: CertificateOptions) => TestIdentity;

function govLeader(issue: Issue, issuer: TestIdentity, id: string, unit: string, person: string, mail: string, extra: Partial<CertificateOptions> = {}): TestIdentity {
  return issue({
    id,
    subject: leaderSubject(unit, person, mail),
    issuer,
    notBefore: LEAF_FROM,
    notAfter: LEAF_TO,
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    extKeyUsage: GOV_EE_EKU,
    emails: [`${mail}@${MAIL_DOMAIN}`],
    crlUrl: GOV_SUB_CRL_URL,
    policies: [GOV_POLICY],
    ...extra,
  });
}

function govAgency(issue: Issue, issuer: TestIdentity, id: string, unitIndex: number): TestIdentity {
  return issue({
    id,
    subject: agencySubject(UNIT_NAMES[unitIndex]),
    issuer,
    notBefore: LEAF_FROM,
    notAfter: LEAF_TO,
    keyUsage: GOV_EE_KU,
    extKeyUsage: GOV_EE_EKU,
    // G2 organisation certificates carry the unit mailbox in the SAN only, never E= (REPORT §3.1).
    emails: [`${UNIT_MAILBOXES[unitIndex]}@${MAIL_DOMAIN}`],
    crlUrl: GOV_SUB_CRL_URL,
    policies: [GOV_POLICY],
  });
}

export interface GeneratedPki {
  identities: TestIdentity[];
  issuerOf: Map<string, string | null>;
  units: Array<{ name: string; leader: string; agency: string }>;
  crls: { govSubCrl: Buffer; govRootCrl: Buffer };
}

/**
 * The whole test PKI, issuers before subjects. `issue` makes each certificate (generateTestPki: pkijs with new keys;
 * the tests: pkijs again with the committed keys and serials, to hold the committed files to it).
 */
export function buildTestPki(issue: Issue, revocation: RevocationEncoders): GeneratedPki {
  const identities: TestIdentity[] = [];
  const issuerOf = new Map<string, string | null>();
  const add = (issuer: TestIdentity | undefined, t: TestIdentity): TestIdentity => {
    if (issuerOf.has(t.id)) throw new Error(`duplicate id ${t.id}`);
    identities.push(t);
    issuerOf.set(t.id, issuer ? issuer.id : null);
    return t;
  };

  // Government (BCY G2 look: C, O, CN; RSA; sha256WithRSA; subs pathlen 0 + policy).
  const govRootSubject: NameSpec = { C: 'VN', O: BCY_O, CN: 'RootCA chuyên dùng Chính phủ TEST' };
  const govSubSubject: NameSpec = { C: 'VN', O: BCY_O, CN: 'CA phục vụ các cơ quan Nhà nước TEST' };
  const govRoot = add(undefined, issue({ id: 'govRoot', subject: govRootSubject, notBefore: d('2018-08-22'), notAfter: d('2048-08-14'), ca: true }));
  const govSub = add(
    govRoot,
    issue({
      id: 'govSub',
      subject: govSubSubject,
      issuer: govRoot,
      notBefore: d('2018-08-22'),
      notAfter: d('2048-08-14'),
      ca: true,
      pathLen: 0,
      policies: [GOV_POLICY],
      crlUrl: GOV_ROOT_CRL_URL,
    }),
  );
  add(
    govRoot,
    issue({
      id: 'govTsa',
      subject: { C: 'VN', O: BCY_O, CN: 'Dịch vụ cấp dấu thời gian chuyên dùng Chính phủ TEST' },
      issuer: govRoot,
      notBefore: d('2020-01-01'),
      notAfter: d('2040-01-01'),
      keyUsage: ['digitalSignature', 'nonRepudiation'],
      extKeyUsage: ['timeStamping'],
      crlUrl: GOV_ROOT_CRL_URL,
    }),
  );

  const units: GeneratedPki['units'] = [];
  const unitAgencies: TestIdentity[] = [];
  UNIT_NAMES.forEach((name, i) => {
    const leader = add(govSub, govLeader(issue, govSub, `unit${i}Leader`, name, LEADERS[i].name, LEADERS[i].mail));
    const agency = add(govSub, govAgency(issue, govSub, `unit${i}Agency`, i));
    unitAgencies.push(agency);
    units.push({ name, leader: leader.id, agency: agency.id });
  });

  // Public (NEAC root → VNPT / Viettel subs), profiles of REPORT §1.2 / §3.2.
  const publicRoot = add(
    undefined,
    issue({
      id: 'publicRoot',
      subject: { C: 'VN', O: 'Ministry of Information and Communications (TEST)', OU: 'National Centre of Digital Signature Authentication', CN: 'Vietnam National Root CA TEST' },
      notBefore: d('2014-04-15'),
      notAfter: d('2039-04-15'),
      ca: true,
    }),
  );
  const vnpt = add(
    publicRoot,
    issue({
      id: 'vnptCa',
      subject: { CN: 'VNPT-CA TEST', O: 'VIETNAM POSTS AND TELECOMMUNICATIONS GROUP (TEST)', C: 'VN' },
      issuer: publicRoot,
      notBefore: d('2021-01-01'),
      notAfter: d('2036-01-01'),
      ca: true,
      pathLen: 0,
    }),
  );
  const viettel = add(
    publicRoot,
    issue({
      id: 'viettelCa',
      subject: { CN: 'Viettel-CA TEST', O: 'Viettel Group (TEST)', C: 'VN' },
      issuer: publicRoot,
      notBefore: d('2021-01-01'),
      notAfter: d('2036-01-01'),
      ca: true,
      pathLen: 0,
    }),
  );
  const publicEe = { notBefore: LEAF_FROM, notAfter: LEAF_TO, keyUsage: ['digitalSignature', 'nonRepudiation', 'keyEncipherment'] };
  add(
    vnpt,
    issue({
      id: 'publicPersonal',
      subject: { C: 'VN', ST: PROVINCE, L: 'Vạn Ninh', CN: 'Hoàng Văn Công Khai', UID: 'CCCD:079012345678' },
      issuer: vnpt,
      ...publicEe,
      extKeyUsage: ['emailProtection', 'documentSigning'],
      emails: ['hvcongkhai.test@example.invalid'],
      crlUrl: VNPT_CRL_URL,
    }),
  );
  add(
    vnpt,
    issue({
      id: 'publicOrg',
      subject: { C: 'VN', ST: PROVINCE, CN: UNIT_NAMES[2], UID: 'MST:4201234567' },
      issuer: vnpt,
      ...publicEe,
      extKeyUsage: ['clientAuth', 'emailProtection'],
      crlUrl: VNPT_CRL_URL,
    }),
  );
  add(
    viettel,
    issue({
      id: 'publicOrgViettel',
      subject: { C: 'VN', ST: PROVINCE, CN: UNIT_NAMES[3], UID: 'MST:4201234568' },
      issuer: viettel,
      ...publicEe,
      extKeyUsage: ['clientAuth', 'emailProtection'],
      crlUrl: VIETTEL_CRL_URL,
    }),
  );
  add(
    vnpt,
    issue({
      id: 'actingForOrg',
      subject: [
        ['UID', 'MST:4201234567'],
        ['UID', 'CCCD:079087654321'],
        ['CN', 'Võ Thị Đại Diện'],
        ['O', UNIT_NAMES[2]],
        ['L', 'Vạn Ninh'],
        ['ST', PROVINCE],
        ['C', 'VN'],
      ],
      issuer: vnpt,
      ...publicEe,
      extKeyUsage: ['clientAuth', 'emailProtection'],
      crlUrl: VNPT_CRL_URL,
    }),
  );

  // Look-alikes: byte-identical DNs, different keys. Must never verify against the real test roots.
  const lookalikeRoot = add(undefined, issue({ id: 'lookalikeRoot', subject: govRootSubject, notBefore: d('2018-08-22'), notAfter: d('2048-08-14'), ca: true }));
  const lookalikeSub = add(
    lookalikeRoot,
    issue({ id: 'lookalikeSub', subject: govSubSubject, issuer: lookalikeRoot, notBefore: d('2018-08-22'), notAfter: d('2048-08-14'), ca: true, pathLen: 0, policies: [GOV_POLICY] }),
  );
  add(lookalikeSub, govAgency(issue, lookalikeSub, 'lookalikeAgency', 0));

  // Validity / revocation / algorithm negatives under the real test sub-CA.
  add(govSub, govLeader(issue, govSub, 'expiredLeader', UNIT_NAMES[0], 'Đỗ Văn Hết Hạn', 'dvhethan', { notBefore: d('2020-01-01'), notAfter: new Date('2022-12-31T23:59:59Z') }));
  add(govSub, govLeader(issue, govSub, 'notYetValidLeader', UNIT_NAMES[0], 'Bùi Thị Chưa Tới', 'btchuatoi', { notBefore: d('2030-01-01'), notAfter: d('2035-01-01') }));
  const revokedLeader = add(govSub, govLeader(issue, govSub, 'revokedLeader', UNIT_NAMES[1], 'Đặng Văn Thu Hồi', 'dvthuhoi'));
  add(govSub, govLeader(issue, govSub, 'sha1Leader', UNIT_NAMES[1], 'Hồ Thị Cũ', 'htcu', { sigHash: 'sha1' }));
  add(govSub, govLeader(issue, govSub, 'ecLeader', UNIT_NAMES[2], 'Ngô Văn Elip', 'nvelip', { keyType: 'ec-p256' }));
  add(govSub, govLeader(issue, govSub, 'ed448Leader', UNIT_NAMES[1], 'Đinh Thị Ed', 'dted', { keyType: 'ed448' }));

  // A "sub-CA" with keyCertSign but no basicConstraints: chains by signature, invalid by RFC 5280 §6.1.4(k).
  const notCaSub = add(
    govRoot,
    issue({
      id: 'notCaSub',
      subject: { C: 'VN', O: BCY_O, CN: 'CA không phải CA TEST' },
      issuer: govRoot,
      notBefore: d('2018-08-22'),
      notAfter: d('2048-08-14'),
      omitBasicConstraints: true,
      keyUsage: ['keyCertSign', 'cRLSign', 'digitalSignature'],
      policies: [GOV_POLICY],
    }),
  );
  add(notCaSub, govLeader(issue, notCaSub, 'badChainLeader', UNIT_NAMES[3], 'Dương Văn Sai Chuỗi', 'dvsaichuoi'));

  return { identities, issuerOf, units, crls: testPkiCrls({ govSub, govRoot, revokedLeader }, revocation) };
}

/**
 * The test PKI's two CRLs: govSub's revoking revokedLeader (keyCompromise), govRoot's empty one. Encoded by pkijs, not by
 * the DER writer above (issue 21: test data from an encoder that is not the decoder's mirror); RSA PKCS#1 v1.5 is
 * deterministic, so the same keys always give the same bytes, and test/samples/revocation-pkijs.test.ts holds the
 * committed files to that.
 */
export function testPkiCrls(
  ids: { govSub: TestIdentity; govRoot: TestIdentity; revokedLeader: TestIdentity },
  revocation: RevocationEncoders,
): { govSubCrl: Buffer; govRootCrl: Buffer } {
  const window = { thisUpdate: d('2025-06-02'), nextUpdate: d('2035-01-01') };
  return {
    govSubCrl: revocation.makeCrl(ids.govSub, [{ serial: certFields(ids.revokedLeader.cert).serial, date: REVOKED_LEADER_DATE, reason: 1 }], window),
    govRootCrl: revocation.makeCrl(ids.govRoot, [], window),
  };
}

// --------------------------------------------------------------------------------------------
// Persistence

interface PkiIndex {
  note: string;
  identities: Array<{ id: string; cert: string; key: string; issuer: string | null; subject: string }>;
  units: Array<{ name: string; leader: string; agency: string }>;
  crls: { govSubCrl: string; govRootCrl: string };
  revokedLeaderDate: string;
}

const INDEX_FILE = 'pki.json';

/** Writes a freshly generated test PKI: <id>.crt.pem, <id>.key.pem (PKCS#8), *.crl.pem and pki.json. */
export async function generateTestPki(dir: string): Promise<void> {
  const encode = await pkijsCertificates();
  // Certificates and CRLs encoded by pkijs, not by the DER writer above (issue 21: test data from an independent encoder).
  const g = buildTestPki((o) => {
    const plan = planCertificate(o);
    return identityOf(plan, encode(plan));
  }, await pkijsRevocation());
  fs.mkdirSync(dir, { recursive: true });
  const index: PkiIndex = {
    note: 'TEST-ONLY PKI for kiemky samples and tests. NOT a real CA. Never add to certs/. Regenerate with generateTestPki().',
    identities: [],
    units: g.units,
    crls: { govSubCrl: 'govSubCrl.crl.pem', govRootCrl: 'govRootCrl.crl.pem' },
    revokedLeaderDate: REVOKED_LEADER_DATE.toISOString(),
  };
  for (const t of g.identities) {
    const certFile = `${t.id}.crt.pem`;
    const keyFile = `${t.id}.key.pem`;
    fs.writeFileSync(path.join(dir, certFile), toPem(t.cert, 'CERTIFICATE'));
    fs.writeFileSync(path.join(dir, keyFile), t.key.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const subject = new X509Certificate(t.cert).subject.replace(/\n/g, ', ');
    index.identities.push({ id: t.id, cert: certFile, key: keyFile, issuer: g.issuerOf.get(t.id) ?? null, subject });
  }
  fs.writeFileSync(path.join(dir, index.crls.govSubCrl), toPem(g.crls.govSubCrl, 'X509 CRL'));
  fs.writeFileSync(path.join(dir, index.crls.govRootCrl), toPem(g.crls.govRootCrl, 'X509 CRL'));
  fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify(index, null, 2) + '\n');
}

/** Nearest ancestor of this file's folder holding package.json: works from samples/lib and dist/samples/lib. */
function repoRoot(): string {
  let p = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(p, 'package.json'))) return p;
    const up = path.dirname(p);
    if (up === p) throw new Error('test-pki: no package.json above ' + __dirname);
    p = up;
  }
}

export function defaultPkiDir(): string {
  return path.join(repoRoot(), 'samples', 'pki');
}

const cache = new Map<string, TestPki>();

/**
 * Loads a test PKI written by generateTestPki (by default the committed one). Generating is asynchronous (pkijs is an
 * ES module), so a folder without pki.json is an error here, not a reason to generate one.
 */
export function loadTestPki(dir?: string): TestPki {
  const root = path.resolve(dir ?? defaultPkiDir());
  const hit = cache.get(root);
  if (hit) return hit;
  if (!fs.existsSync(path.join(root, INDEX_FILE))) {
    throw new Error(`test-pki: no ${INDEX_FILE} in ${root}; write one with generateTestPki() or \`npm run samples -- --regen-pki\``);
  }
  const index = JSON.parse(fs.readFileSync(path.join(root, INDEX_FILE), 'utf8')) as PkiIndex;

  const byId = new Map<string, TestIdentity>();
  const all: TestIdentity[] = [];
  // The index lists issuers before subjects, so each chain can be assembled in one pass.
  for (const e of index.identities) {
    const cert = fromPem(fs.readFileSync(path.join(root, e.cert), 'utf8'), 'CERTIFICATE');
    const key = createPrivateKey(fs.readFileSync(path.join(root, e.key), 'utf8'));
    let chain: Buffer[] = [];
    if (e.issuer !== null) {
      const issuer = byId.get(e.issuer);
      if (!issuer) throw new Error(`test-pki: issuer ${e.issuer} of ${e.id} not loaded before it`);
      chain = [issuer.cert, ...issuer.chain];
    }
    const t: TestIdentity = { id: e.id, cert, key, chain };
    byId.set(e.id, t);
    all.push(t);
  }
  const get = (id: string): TestIdentity => {
    const t = byId.get(id);
    if (!t) throw new Error(`test-pki: identity ${id} missing from ${root}`);
    return t;
  };
  const crl = (file: string): Buffer => fromPem(fs.readFileSync(path.join(root, file), 'utf8'), 'X509 CRL');

  const pki: TestPki = {
    dir: root,
    govRoot: get('govRoot'),
    govSub: get('govSub'),
    govTsa: get('govTsa'),
    units: index.units.map((u) => ({ name: u.name, leader: get(u.leader), agency: get(u.agency) })),
    publicRoot: get('publicRoot'),
    publicSubs: { 'VNPT-CA': get('vnptCa'), 'Viettel-CA': get('viettelCa') },
    publicPersonal: get('publicPersonal'),
    publicOrg: get('publicOrg'),
    publicOrgViettel: get('publicOrgViettel'),
    actingForOrg: get('actingForOrg'),
    lookalikeRoot: get('lookalikeRoot'),
    lookalikeSub: get('lookalikeSub'),
    lookalikeAgency: get('lookalikeAgency'),
    expiredLeader: get('expiredLeader'),
    notYetValidLeader: get('notYetValidLeader'),
    revokedLeader: get('revokedLeader'),
    revokedLeaderDate: new Date(index.revokedLeaderDate),
    govSubCrl: crl(index.crls.govSubCrl),
    govRootCrl: crl(index.crls.govRootCrl),
    sha1Leader: get('sha1Leader'),
    ecLeader: get('ecLeader'),
    ed448Leader: get('ed448Leader'),
    notCaSub: get('notCaSub'),
    badChainLeader: get('badChainLeader'),
    all,
  };
  cache.set(root, pki);
  return pki;
}

/** Public key of an identity (convenience for tests and the PDF builder). */
export function publicKeyOf(t: TestIdentity): KeyObject {
  return createPublicKey(t.key);
}

// --------------------------------------------------------------------------------------------
// Trust store

function writePem(file: string, der: Buffer, label: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, toPem(der, label));
}

/**
 * Writes a trust store for the verifier: government/TEST-BCY, public/NEAC-TEST, public/VNPT-CA,
 * public/Viettel-CA and crl/. The look-alike and not-a-CA certificates are deliberately left out.
 * With includeRealCerts, the government/, public/ and crl/ trees of that folder are copied in too.
 */
export function writeTrustStore(dir: string, pki: TestPki, opts: { includeRealCerts?: string } = {}): void {
  if (opts.includeRealCerts) {
    for (const sub of ['government', 'public', 'crl']) {
      const src = path.join(opts.includeRealCerts, sub);
      if (fs.existsSync(src) && fs.statSync(src).isDirectory()) fs.cpSync(src, path.join(dir, sub), { recursive: true });
    }
  }
  writePem(path.join(dir, 'government', 'TEST-BCY', 'rootca-test.pem'), pki.govRoot.cert, 'CERTIFICATE');
  writePem(path.join(dir, 'government', 'TEST-BCY', 'cpca-test.pem'), pki.govSub.cert, 'CERTIFICATE');
  writePem(path.join(dir, 'public', 'NEAC-TEST', 'vnrca-test.pem'), pki.publicRoot.cert, 'CERTIFICATE');
  writePem(path.join(dir, 'public', 'VNPT-CA', 'vnpt-ca-test.pem'), pki.publicSubs['VNPT-CA'].cert, 'CERTIFICATE');
  writePem(path.join(dir, 'public', 'Viettel-CA', 'viettel-ca-test.pem'), pki.publicSubs['Viettel-CA'].cert, 'CERTIFICATE');
  writePem(path.join(dir, 'crl', 'cpca-test.crl.pem'), pki.govSubCrl, 'X509 CRL');
  writePem(path.join(dir, 'crl', 'rootca-test.crl.pem'), pki.govRootCrl, 'X509 CRL');
}
