/**
 * Named scenarios, one per kind of failure (and the compliant shapes), each with the result the BRIEF's
 * definitions imply. They are built from the TEST PKI (samples/lib/test-pki) and judged against
 * `writeTrustStore(dir, pki)`: test roots only, the revocation CRL in crl/.
 *
 * All times are fixed (2025–2026) so that a scenario builds the same facts every time. Expectations only state
 * what the definitions decide; where the BRIEF leaves a value open (e.g. twoLayer once unsigned changes follow
 * the agency signature) it is left out rather than guessed.
 */
import * as crypto from 'node:crypto';
import { prng } from './lib/pdf-images';
import { PdfFile } from './lib/pdf-reader';
import {
  addDss,
  addSignature,
  addUsageRightsSignature,
  appendUpdate,
  locateSignatures,
  makeDocument,
  makePageContent,
  type SignFieldOptions,
} from './lib/pdf-writer';
import { asRef, dget, dset, parseDict, ref, serialize, textString, arr } from './lib/pdf-syntax';
import { documentTimestamp, signDetached, signPkcs7Sha1, type SignOptions } from './lib/cms-pkijs';
import { signX509RsaSha1 } from './lib/x509-rsa-builder';
import { UNIT_NAMES, type TestIdentity, type TestPki } from './lib/test-pki';

export type CheckName = 'signed' | 'twoLayer' | 'governmentCa' | 'intact' | 'certificatesValid' | 'strongAlgorithms';

export interface SignatureExpect {
  integrity: 'valid' | 'invalid';
  certificate: 'valid' | 'expired' | 'not_yet_valid' | 'revoked' | 'untrusted' | 'invalid';
  category: 'government' | 'public' | 'untrusted';
  kind: 'personal' | 'organization' | 'unknown';
  coversWholeFile: boolean;
  weakAlgorithm: boolean;
  subFilter: string;
  field: string;
  signingTimeSource: 'timestamp' | 'signingTime' | 'M';
}

export interface ScenarioExpect {
  verdict: 'compliant' | 'noncompliant' | 'error';
  checks?: Partial<Record<CheckName, boolean>>;
  errorCode?: string;
  signatures?: Array<Partial<SignatureExpect>>;
  signatureCount?: number;
  unit?: string | null;
  /** Finding codes that must appear; empty unless a code was agreed. */
  findings?: string[];
}

export interface Scenario {
  name: string;
  /** Vietnamese, one line. */
  description: string;
  expect: ScenarioExpect;
  build(pki: TestPki): Buffer;
}

// ---------------------------------------------------------------------------------------------------------------
// Building blocks

/** 09:15 and 10:40 Vietnam time on a Tuesday: the leader signs, the clerk issues the same morning. */
export const LEADER_AT = new Date('2026-03-10T02:15:00Z');
export const AGENCY_AT = new Date('2026-03-10T03:40:00Z');
export const LEADER_FIELD = 'ChuKyLanhDao';
export const AGENCY_FIELD = 'ChuKyCoQuan';
/** The leader certificates' O, which names the unit when no organization signature does. */
export const UBND_O = 'ỦY BAN NHÂN DÂN HUYỆN VẠN NINH';

const UNIT_CODES = ['UBND-VP', 'VHTT', 'UBND', 'TCKH'];
const UNIT_SHORT = ['VAN PHONG HDND VA UBND HUYEN', 'PHONG VAN HOA VA THONG TIN', 'UBND XA VAN THANG', 'PHONG TAI CHINH - KE HOACH'];

export interface DocSpec {
  unit: number;
  so: number;
  date: Date;
  kind?: string;
  summary?: string;
  seed?: number;
  xref?: 'table' | 'stream';
  objectStreams?: boolean;
  pages?: number;
  padTo?: number;
}

/** "Số và ký hiệu": 123/UBND-VP. */
export function docNumber(unit: number, so: number): string {
  return `${so}/${UNIT_CODES[unit % UNIT_CODES.length]}`;
}

/** An outgoing document's first page as ND 30 Phụ lục I lays it out (one column here). */
export function documentLines(s: DocSpec, unitName: string): string[] {
  const vn = new Date(s.date.getTime() + 7 * 3600_000);
  return [
    'UY BAN NHAN DAN HUYEN VAN NINH',
    UNIT_SHORT[s.unit % UNIT_SHORT.length],
    `Số: ${docNumber(s.unit, s.so)}`,
    'CONG HOA XA HOI CHU NGHIA VIET NAM',
    'Doc lap - Tu do - Hanh phuc',
    `Van Ninh, ngay ${String(vn.getUTCDate()).padStart(2, '0')} thang ${String(vn.getUTCMonth() + 1).padStart(2, '0')} nam ${vn.getUTCFullYear()}`,
    '',
    (s.kind ?? 'CONG VAN').toUpperCase(),
    s.summary ?? 'V/v trien khai kiem tra chu ky so van ban di',
    '',
    `Kinh gui: cac co quan, don vi lien quan.`,
    '',
    `Thuc hien Nghi dinh 30/2020/ND-CP ve cong tac van thu, ${unitName} de nghi`,
    'cac co quan, don vi ky so 2 lop (ca nhan lanh dao va co quan) doi voi van ban di.',
    '',
    'Noi nhan: nhu tren; luu VT.',
  ];
}

export function makeUnitDocument(s: DocSpec, unitName: string): Buffer {
  return makeDocument({
    title: `${s.kind ?? 'Công văn'} số ${docNumber(s.unit, s.so)}`,
    lines: documentLines(s, unitName),
    seed: s.seed ?? s.so * 7 + s.unit,
    xref: s.xref,
    objectStreams: s.objectStreams,
    pages: s.pages,
    padTo: s.padTo,
  });
}

export interface SignStep {
  at?: Date;
  /** Options for signDetached besides signer/signingTime. */
  cms?: Partial<SignOptions>;
  /** Options for addSignature besides sign. */
  field?: Partial<SignFieldOptions>;
  /** Replaces the CMS builder entirely. */
  sign?: (b: Buffer) => Buffer;
}

function cmsSigner(who: TestIdentity, at: Date, cms: Partial<SignOptions> | undefined): (b: Buffer) => Buffer {
  return (b) => signDetached(b, { signer: who, signingTime: at, ...cms });
}

/** The leader's personal signature: blue signature image, /Reason "Phê duyệt". */
export function signLeader(pdf: Buffer, who: TestIdentity, s: SignStep = {}): Buffer {
  const at = s.at ?? LEADER_AT;
  return addSignature(pdf, {
    fieldName: LEADER_FIELD,
    image: 'signature',
    name: commonName(who),
    reason: 'Phê duyệt văn bản',
    location: 'Vạn Ninh, Khánh Hòa',
    m: at,
    sign: s.sign ?? cmsSigner(who, at, s.cms),
    ...s.field,
  });
}

/** The agency's organization signature: red seal over the left third of the leader's image. */
export function signAgency(pdf: Buffer, who: TestIdentity, s: SignStep = {}): Buffer {
  const at = s.at ?? AGENCY_AT;
  return addSignature(pdf, {
    fieldName: AGENCY_FIELD,
    image: 'seal',
    name: commonName(who),
    reason: 'Phát hành văn bản',
    location: 'Vạn Ninh, Khánh Hòa',
    m: at,
    sign: s.sign ?? cmsSigner(who, at, s.cms),
    ...s.field,
  });
}

export function commonName(who: TestIdentity): string {
  const subject = new crypto.X509Certificate(who.cert).subject;
  const m = /^CN=(.*)$/m.exec(subject);
  return m ? m[1] : who.id;
}

/** Base document of unit u for a scenario (a distinct seed per scenario keeps the files distinct). */
function base(pki: TestPki, u: number, seed: number, extra: Partial<DocSpec> = {}): Buffer {
  return makeUnitDocument({ unit: u, so: 100 + seed, date: LEADER_AT, seed, ...extra }, pki.units[u].name);
}

/** A compliant two-layer document of unit u. */
function twoLayer(pki: TestPki, u: number, seed: number, extra: Partial<DocSpec> = {}): Buffer {
  return signAgency(signLeader(base(pki, u, seed, extra), pki.units[u].leader), pki.units[u].agency);
}

/** Object number of page 1's content stream. */
function pageContentNum(pdf: Buffer): { page: number; content: number } {
  const f = new PdfFile(pdf);
  const page = f.pageNums()[0];
  const c = asRef(dget(f.dictOf(page), 'Contents'));
  if (!c) throw new Error('page 1 has no content reference');
  return { page, content: c.num };
}

function garbage(seed: number, n: number): Buffer {
  const r = prng(seed);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

const ALL_TRUE = {
  signed: true,
  twoLayer: true,
  governmentCa: true,
  intact: true,
  certificatesValid: true,
  strongAlgorithms: true,
} as const;

const GOV_PERSONAL = { integrity: 'valid', certificate: 'valid', category: 'government', kind: 'personal' } as const;
const GOV_ORG = { integrity: 'valid', certificate: 'valid', category: 'government', kind: 'organization' } as const;

function compliantExpect(unit: string): ScenarioExpect {
  return {
    verdict: 'compliant',
    checks: { ...ALL_TRUE },
    signatureCount: 2,
    unit,
    signatures: [
      { ...GOV_PERSONAL, coversWholeFile: false, weakAlgorithm: false, field: LEADER_FIELD },
      { ...GOV_ORG, coversWholeFile: true, weakAlgorithm: false, field: AGENCY_FIELD },
    ],
  };
}

/** The agency signature is broken, the leader's holds: signed, not two-layer, not intact. */
function brokenAgencyExpect(): ScenarioExpect {
  return {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: false, intact: false },
    signatureCount: 2,
    signatures: [{ ...GOV_PERSONAL }, { integrity: 'invalid' }],
  };
}

/** An unsigned update after a two-layer document: both signatures still hold but neither covers the file. */
function changedAfterExpect(): ScenarioExpect {
  return {
    verdict: 'noncompliant',
    checks: { signed: true, intact: false, governmentCa: true, certificatesValid: true },
    signatureCount: 2,
    signatures: [
      { ...GOV_PERSONAL, coversWholeFile: false },
      { ...GOV_ORG, coversWholeFile: false },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The catalog

const S: Scenario[] = [];
const add = (s: Scenario): void => {
  S.push(s);
};

// Compliant shapes ------------------------------------------------------------------------------------------------

for (let u = 0; u < 4; u++) {
  add({
    name: `compliant-two-layer-unit-${u}`,
    description: `Ký số 2 lớp đúng quy định: lãnh đạo ký (ảnh chữ ký xanh), sau đó cơ quan ký (dấu đỏ) — đơn vị ${u + 1}`,
    expect: compliantExpect(UNIT_NAMES[u]),
    build: (pki) => twoLayer(pki, u, 10 + u),
  });
}

add({
  name: 'compliant-xref-stream-object-streams',
  description: 'Tệp gốc dùng xref stream và object stream, ký 2 lớp đúng quy định',
  expect: compliantExpect(UNIT_NAMES[1]),
  build: (pki) => twoLayer(pki, 1, 20, { objectStreams: true }),
});

add({
  name: 'compliant-cades-no-signing-time',
  description: 'Chữ ký ETSI.CAdES.detached không có thuộc tính signingTime: thời điểm ký lấy từ /M',
  expect: {
    ...compliantExpect(UNIT_NAMES[0]),
    signatures: [
      { ...GOV_PERSONAL, subFilter: 'ETSI.CAdES.detached', signingTimeSource: 'M' },
      { ...GOV_ORG, subFilter: 'ETSI.CAdES.detached', signingTimeSource: 'M' },
    ],
  },
  build: (pki) => {
    const u = pki.units[0];
    const cades = { cms: { signingTime: null }, field: { subFilter: 'ETSI.CAdES.detached' as const } };
    return signAgency(signLeader(base(pki, 0, 21), u.leader, cades), u.agency, cades);
  },
});

add({
  name: 'compliant-signature-timestamp',
  description: 'Chữ ký có dấu thời gian (signature timestamp) của TSA chuyên dùng: thời điểm ký lấy từ dấu thời gian',
  expect: {
    ...compliantExpect(UNIT_NAMES[2]),
    signatures: [
      { ...GOV_PERSONAL, signingTimeSource: 'timestamp' },
      { ...GOV_ORG, signingTimeSource: 'timestamp' },
    ],
  },
  build: (pki) => {
    const u = pki.units[2];
    const ts = (at: Date): SignStep => ({ at, cms: { timestamp: { tsa: pki.govTsa, genTime: new Date(at.getTime() + 20_000) } } });
    return signAgency(signLeader(base(pki, 2, 22), u.leader, ts(LEADER_AT)), u.agency, ts(AGENCY_AT));
  },
});

add({
  name: 'compliant-rsa-pss',
  description: 'Chữ ký RSASSA-PSS (SHA-256) của cả lãnh đạo và cơ quan',
  expect: compliantExpect(UNIT_NAMES[3]),
  build: (pki) => {
    const u = pki.units[3];
    const pss = { cms: { scheme: 'pss' as const } };
    return signAgency(signLeader(base(pki, 3, 23), u.leader, pss), u.agency, pss);
  },
});

add({
  name: 'compliant-ecdsa-leader',
  description: 'Lãnh đạo ký bằng khóa ECDSA P-256, cơ quan ký RSA: hợp lệ',
  expect: compliantExpect(UNIT_NAMES[2]),
  build: (pki) => signAgency(signLeader(base(pki, 2, 24), pki.ecLeader), pki.units[2].agency),
});

add({
  name: 'compliant-ed448-shake256-leader',
  description: 'Lãnh đạo ký bằng khóa Ed448, giá trị băm SHAKE256 512 bit (RFC 8419), cơ quan ký RSA: hợp lệ',
  expect: compliantExpect(UNIT_NAMES[1]),
  build: (pki) => signAgency(signLeader(base(pki, 1, 35), pki.ed448Leader), pki.units[1].agency),
});

add({
  name: 'compliant-plain-ecdsa-leader',
  description: 'Lãnh đạo ký ECDSA P-256 dạng "plain" của BSI (giá trị chữ ký r‖s, không phải DER), cơ quan ký RSA: hợp lệ',
  expect: compliantExpect(UNIT_NAMES[2]),
  build: (pki) => signAgency(signLeader(base(pki, 2, 36), pki.ecLeader, { cms: { ecdsa: 'plain' } }), pki.units[2].agency),
});

add({
  name: 'compliant-no-signed-attributes',
  description: 'CMS không có signed attributes (chữ ký trực tiếp trên nội dung): vẫn toàn vẹn, thời điểm lấy từ /M',
  expect: {
    ...compliantExpect(UNIT_NAMES[0]),
    signatures: [
      { ...GOV_PERSONAL, signingTimeSource: 'M' },
      { ...GOV_ORG, signingTimeSource: 'M' },
    ],
  },
  build: (pki) => {
    const u = pki.units[0];
    const noAttrs = { cms: { signedAttributes: false } };
    return signAgency(signLeader(base(pki, 0, 25), u.leader, noAttrs), u.agency, noAttrs);
  },
});

add({
  name: 'compliant-ski-sid',
  description: 'SignerInfo nhận diện người ký bằng SubjectKeyIdentifier thay cho issuerAndSerialNumber',
  expect: compliantExpect(UNIT_NAMES[1]),
  build: (pki) => {
    const u = pki.units[1];
    const ski = { cms: { sid: 'ski' as const } };
    return signAgency(signLeader(base(pki, 1, 26), u.leader, ski), u.agency, ski);
  },
});

add({
  name: 'compliant-sha1-leaf-certificate',
  description: 'Chứng thư của lãnh đạo do CA ký bằng SHA-1, chữ ký văn bản dùng SHA-256: thuật toán văn bản vẫn mạnh',
  expect: {
    verdict: 'compliant',
    checks: { ...ALL_TRUE },
    signatureCount: 2,
    signatures: [{ ...GOV_PERSONAL, weakAlgorithm: false }, { ...GOV_ORG, weakAlgorithm: false }],
  },
  build: (pki) => signAgency(signLeader(base(pki, 1, 27), pki.sha1Leader), pki.units[1].agency),
});

add({
  name: 'compliant-revoked-after-signing',
  description: 'Chứng thư lãnh đạo bị thu hồi ngày 01/6/2025 nhưng văn bản ký ngày 01/3/2025, trước khi thu hồi: hợp lệ',
  expect: {
    verdict: 'compliant',
    checks: { ...ALL_TRUE },
    signatureCount: 2,
    signatures: [{ ...GOV_PERSONAL, certificate: 'valid' }, { ...GOV_ORG }],
  },
  build: (pki) => {
    const at = new Date('2025-03-01T02:00:00Z');
    const doc = base(pki, 1, 28, { date: at });
    return signAgency(signLeader(doc, pki.revokedLeader, { at }), pki.units[1].agency, { at: new Date(at.getTime() + 3600_000) });
  },
});

add({
  name: 'compliant-dss-after-signing',
  description: 'Bổ sung DSS (chứng thư, CRL) sau khi ký: thay đổi được phép, văn bản vẫn toàn vẹn',
  expect: { ...compliantExpect(UNIT_NAMES[0]), signatures: [{ ...GOV_PERSONAL }, { ...GOV_ORG }] },
  build: (pki) => {
    const u = pki.units[0];
    return addDss(twoLayer(pki, 0, 29), {
      certs: [u.leader.cert, u.agency.cert, pki.govSub.cert, pki.govRoot.cert],
      crls: [pki.govSubCrl, pki.govRootCrl],
    });
  },
});

add({
  name: 'compliant-document-timestamp',
  description: 'Dấu thời gian tài liệu (ETSI.RFC3161) của TSA chuyên dùng sau chữ ký cơ quan: thay đổi được phép',
  // Whether the document timestamp is listed among the signatures is the report's choice; not asserted here.
  expect: { verdict: 'compliant', checks: { ...ALL_TRUE } },
  build: (pki) =>
    addSignature(twoLayer(pki, 1, 30), {
      fieldName: 'DauThoiGian',
      type: 'DocTimeStamp',
      subFilter: 'ETSI.RFC3161',
      sign: (b) => documentTimestamp(b, { tsa: pki.govTsa, genTime: new Date(AGENCY_AT.getTime() + 300_000) }),
    }),
});

add({
  name: 'compliant-certified-leader-invisible-agency',
  description: 'Lãnh đạo ký chứng nhận (DocMDP P=2), sau đó cơ quan ký không hiển thị: P=2 cho phép ký, hợp lệ',
  expect: compliantExpect(UNIT_NAMES[2]),
  build: (pki) => {
    const u = pki.units[2];
    return signAgency(signLeader(base(pki, 2, 31), u.leader, { field: { certify: 2 } }), u.agency, { field: { rect: [0, 0, 0, 0], image: null } });
  },
});

add({
  name: 'sneaky-visible-signature-after-certification',
  description: 'Lãnh đạo ký chứng nhận (DocMDP P=2), sau đó thêm chữ ký mới hiển thị trên trang (Sneaky Signature): không toàn vẹn',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: true, governmentCa: true, intact: false, certificatesValid: true, strongAlgorithms: true },
    findings: ['DISALLOWED_CHANGE'],
  },
  build: (pki) => {
    const u = pki.units[2];
    return signAgency(signLeader(base(pki, 2, 33), u.leader, { field: { certify: 2 } }), u.agency);
  },
});

add({
  name: 'compliant-multi-page-stream-xref',
  description: 'Văn bản 3 trang, xref stream, chữ ký đặt ở trang cuối',
  expect: compliantExpect(UNIT_NAMES[3]),
  build: (pki) => {
    const u = pki.units[3];
    const doc = base(pki, 3, 32, { pages: 3, xref: 'stream' });
    return signAgency(signLeader(doc, u.leader, { field: { page: 2 } }), u.agency, { field: { page: 2 } });
  },
});

add({
  name: 'shared-signature-dictionary',
  description: 'Một chữ ký cơ quan được hai trường tham chiếu: chỉ đếm một lần',
  expect: { verdict: 'compliant', checks: { ...ALL_TRUE }, signatureCount: 2 },
  build: (pki) => {
    const u = pki.units[0];
    return signAgency(signLeader(base(pki, 0, 33), u.leader), u.agency, { field: { extraFieldNames: ['ChuKyCoQuan_2'] } });
  },
});

add({
  name: 'usage-rights-ur3-not-counted',
  description: 'Tệp có chữ ký quyền sử dụng /Perms /UR3 (Reader extensions): không phải chữ ký văn bản, không được đếm',
  expect: { verdict: 'compliant', checks: { ...ALL_TRUE }, signatureCount: 2 },
  build: (pki) => {
    const u = pki.units[1];
    // Signed by an untrusted look-alike key: were it counted, governmentCa would fail.
    const ur = addUsageRightsSignature(base(pki, 1, 34), {
      m: new Date('2026-03-09T08:00:00Z'),
      sign: (b) => signDetached(b, { signer: pki.lookalikeAgency, signingTime: new Date('2026-03-09T08:00:00Z') }),
    });
    return signAgency(signLeader(ur, u.leader), u.agency);
  },
});

// Signing practice ------------------------------------------------------------------------------------------------

add({
  name: 'unsigned',
  description: 'Văn bản không có chữ ký số',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: false, twoLayer: false, governmentCa: false, intact: false },
    signatureCount: 0,
  },
  build: (pki) => base(pki, 0, 40),
});

add({
  name: 'leader-only',
  description: 'Chỉ có chữ ký cá nhân của lãnh đạo, thiếu chữ ký cơ quan (không ký 2 lớp)',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: false, governmentCa: true, intact: true, certificatesValid: true, strongAlgorithms: true },
    signatureCount: 1,
    unit: UBND_O,
    signatures: [{ ...GOV_PERSONAL, coversWholeFile: true }],
  },
  build: (pki) => signLeader(base(pki, 0, 41), pki.units[0].leader),
});

add({
  name: 'agency-only',
  description: 'Chỉ có chữ ký cơ quan, thiếu chữ ký của người có thẩm quyền',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: false, governmentCa: true, intact: true, certificatesValid: true },
    signatureCount: 1,
    unit: UNIT_NAMES[1],
    signatures: [{ ...GOV_ORG, coversWholeFile: true }],
  },
  build: (pki) => signAgency(base(pki, 1, 42), pki.units[1].agency),
});

add({
  name: 'wrong-order-agency-first',
  description: 'Cơ quan ký trước, lãnh đạo ký sau: sai thứ tự ký 2 lớp',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: false, governmentCa: true, intact: true, certificatesValid: true },
    signatureCount: 2,
    signatures: [{ ...GOV_ORG, coversWholeFile: false }, { ...GOV_PERSONAL, coversWholeFile: true }],
  },
  build: (pki) => {
    const u = pki.units[2];
    return signLeader(signAgency(base(pki, 2, 43), u.agency, { at: LEADER_AT }), u.leader, { at: AGENCY_AT });
  },
});

add({
  name: 'both-personal',
  description: 'Hai chữ ký đều là chữ ký cá nhân, không có chữ ký cơ quan',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: false, governmentCa: true, intact: true },
    signatureCount: 2,
    signatures: [{ ...GOV_PERSONAL }, { ...GOV_PERSONAL }],
  },
  build: (pki) =>
    signLeader(signLeader(base(pki, 0, 44), pki.units[0].leader), pki.units[1].leader, {
      at: AGENCY_AT,
      field: { fieldName: 'ChuKyLanhDao2', rect: [100, 90, 250, 150] },
    }),
});

add({
  name: 'acting-for-org-second',
  description: 'Lớp thứ hai là chứng thư cá nhân đại diện tổ chức (MST kèm CCCD), không phải chữ ký cơ quan',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: false, governmentCa: false, intact: true },
    signatureCount: 2,
    signatures: [{ ...GOV_PERSONAL }, { integrity: 'valid', kind: 'personal', category: 'public' }],
  },
  build: (pki) => signAgency(signLeader(base(pki, 2, 45), pki.units[2].leader), pki.actingForOrg),
});

add({
  name: 'public-ca-two-layer-vnpt',
  description: 'Ký 2 lớp bằng chứng thư công cộng VNPT-CA thay vì chứng thư chuyên dùng Chính phủ',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: true, governmentCa: false, intact: true, certificatesValid: true, strongAlgorithms: true },
    signatureCount: 2,
    signatures: [
      { integrity: 'valid', certificate: 'valid', category: 'public', kind: 'personal' },
      { integrity: 'valid', certificate: 'valid', category: 'public', kind: 'organization' },
    ],
    unit: UNIT_NAMES[2],
  },
  build: (pki) => signAgency(signLeader(base(pki, 2, 46), pki.publicPersonal), pki.publicOrg),
});

add({
  name: 'mixed-gov-leader-viettel-agency',
  description: 'Lãnh đạo ký chứng thư chuyên dùng, cơ quan ký chứng thư công cộng Viettel-CA',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: true, governmentCa: false, intact: true, certificatesValid: true },
    signatureCount: 2,
    signatures: [{ ...GOV_PERSONAL }, { integrity: 'valid', certificate: 'valid', category: 'public', kind: 'organization' }],
  },
  build: (pki) => signAgency(signLeader(base(pki, 3, 47), pki.units[3].leader), pki.publicOrgViettel),
});

// Certificates ----------------------------------------------------------------------------------------------------

add({
  name: 'lookalike-root-agency',
  description: 'Chứng thư cơ quan chuỗi về root giả mạo (trùng tên root chuyên dùng, khác khóa): không tin cậy',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, governmentCa: false, certificatesValid: false, intact: true },
    signatureCount: 2,
    signatures: [{ ...GOV_PERSONAL }, { integrity: 'valid', certificate: 'untrusted', category: 'untrusted' }],
  },
  build: (pki) => signAgency(signLeader(base(pki, 0, 50), pki.units[0].leader), pki.lookalikeAgency),
});

add({
  name: 'expired-leader',
  description: 'Chứng thư lãnh đạo hết hạn (2020–2022) tại thời điểm ký năm 2025',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: true, governmentCa: true, intact: true, certificatesValid: false },
    signatureCount: 2,
    signatures: [{ integrity: 'valid', certificate: 'expired', kind: 'personal' }, { ...GOV_ORG }],
  },
  build: (pki) => {
    const at = new Date('2025-10-14T02:00:00Z');
    return signAgency(signLeader(base(pki, 0, 51, { date: at }), pki.expiredLeader, { at }), pki.units[0].agency, {
      at: new Date(at.getTime() + 3600_000),
    });
  },
});

add({
  name: 'not-yet-valid-leader',
  description: 'Chứng thư lãnh đạo chưa có hiệu lực (từ 2030) tại thời điểm ký',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: true, intact: true, certificatesValid: false },
    signatureCount: 2,
    signatures: [{ integrity: 'valid', certificate: 'not_yet_valid', kind: 'personal' }, { ...GOV_ORG }],
  },
  build: (pki) => signAgency(signLeader(base(pki, 0, 52), pki.notYetValidLeader), pki.units[0].agency),
});

add({
  name: 'revoked-leader',
  description: 'Chứng thư lãnh đạo bị thu hồi ngày 01/6/2025, văn bản ký ngày 01/9/2025',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: true, intact: true, certificatesValid: false },
    signatureCount: 2,
    signatures: [{ integrity: 'valid', certificate: 'revoked', kind: 'personal' }, { ...GOV_ORG }],
  },
  build: (pki) => {
    const at = new Date('2025-09-01T02:00:00Z');
    return signAgency(signLeader(base(pki, 1, 53, { date: at }), pki.revokedLeader, { at }), pki.units[1].agency, {
      at: new Date(at.getTime() + 3600_000),
    });
  },
});

add({
  name: 'bad-chain-leader',
  description: 'Chứng thư lãnh đạo do một chứng thư không phải CA (thiếu basicConstraints) cấp: chuỗi không hợp lệ',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, certificatesValid: false, intact: true },
    signatureCount: 2,
    signatures: [{ integrity: 'valid', certificate: 'invalid', kind: 'personal' }, { ...GOV_ORG }],
  },
  build: (pki) => signAgency(signLeader(base(pki, 3, 54), pki.badChainLeader), pki.units[3].agency),
});

// Algorithms ------------------------------------------------------------------------------------------------------

add({
  name: 'sha1-digest',
  description: 'Chữ ký lãnh đạo dùng hàm băm SHA-1: thuật toán yếu',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: true, intact: true, strongAlgorithms: false },
    signatureCount: 2,
    signatures: [{ ...GOV_PERSONAL, weakAlgorithm: true }, { ...GOV_ORG, weakAlgorithm: false }],
  },
  build: (pki) => {
    const u = pki.units[1];
    return signAgency(signLeader(base(pki, 1, 60), u.leader, { cms: { digest: 'sha1' } }), u.agency);
  },
});

add({
  name: 'adbe-pkcs7-sha1',
  description: 'Chữ ký lãnh đạo kiểu cũ adbe.pkcs7.sha1: thuật toán yếu',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: true, intact: true, strongAlgorithms: false },
    signatureCount: 2,
    signatures: [{ ...GOV_PERSONAL, weakAlgorithm: true, subFilter: 'adbe.pkcs7.sha1' }, { ...GOV_ORG, weakAlgorithm: false }],
  },
  build: (pki) => {
    const u = pki.units[2];
    return signAgency(
      signLeader(base(pki, 2, 61), u.leader, {
        field: { subFilter: 'adbe.pkcs7.sha1' },
        sign: (b) => signPkcs7Sha1(b, { signer: u.leader, signingTime: LEADER_AT }),
      }),
      u.agency,
    );
  },
});

add({
  name: 'adbe-x509-rsa-sha1',
  description: 'Chữ ký lãnh đạo kiểu cũ adbe.x509.rsa_sha1 (chữ ký RSA trần, chứng thư trong /Cert): toàn vẹn nhưng thuật toán yếu',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: true, intact: true, certificatesValid: true, strongAlgorithms: false },
    signatureCount: 2,
    signatures: [
      { ...GOV_PERSONAL, weakAlgorithm: true, subFilter: 'adbe.x509.rsa_sha1', signingTimeSource: 'M' },
      { ...GOV_ORG, weakAlgorithm: false },
    ],
    findings: ['WEAK_ALGORITHM'],
  },
  build: (pki) => {
    const u = pki.units[3];
    return signAgency(
      signLeader(base(pki, 3, 62), u.leader, {
        field: { subFilter: 'adbe.x509.rsa_sha1', cert: [u.leader.cert, pki.govSub.cert] },
        sign: (b) => signX509RsaSha1(b, { signer: u.leader }),
      }),
      u.agency,
    );
  },
});

// Integrity -------------------------------------------------------------------------------------------------------

add({
  name: 'tampered-signed-byte',
  description: 'Sửa một byte trong phần đã ký (số văn bản) sau khi ký: cả hai chữ ký mất toàn vẹn',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: false, twoLayer: false, intact: false },
    signatureCount: 2,
    signatures: [{ integrity: 'invalid' }, { integrity: 'invalid' }],
  },
  build: (pki) => {
    const pdf = twoLayer(pki, 0, 70);
    const needle = Buffer.from('(So: 170/', 'latin1');
    const i = pdf.indexOf(needle);
    if (i < 0) throw new Error('document number not found in page content');
    const out = Buffer.from(pdf);
    out[i + needle.length - 2] = '9'.charCodeAt(0); // 170 → 190
    return out;
  },
});

add({
  name: 'tampered-signature-value',
  description: 'Giá trị chữ ký của cơ quan bị sửa: chữ ký không xác thực được',
  expect: brokenAgencyExpect(),
  build: (pki) => {
    const u = pki.units[1];
    return signAgency(signLeader(base(pki, 1, 71), u.leader), u.agency, { cms: { tamper: 'signature' } });
  },
});

add({
  name: 'tampered-message-digest',
  description: 'messageDigest trong chữ ký lãnh đạo không khớp với dữ liệu đã ký',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, twoLayer: false, intact: false },
    signatureCount: 2,
    signatures: [{ integrity: 'invalid' }, { ...GOV_ORG }],
  },
  build: (pki) => {
    const u = pki.units[2];
    return signAgency(signLeader(base(pki, 2, 72), u.leader, { cms: { tamper: 'messageDigest' } }), u.agency);
  },
});

add({
  name: 'signing-certificate-v2-mismatch',
  description: 'Thuộc tính signingCertificateV2 của chữ ký cơ quan trỏ tới chứng thư khác',
  expect: brokenAgencyExpect(),
  build: (pki) => {
    const u = pki.units[3];
    return signAgency(signLeader(base(pki, 3, 73), u.leader), u.agency, { cms: { signingCertificateOf: pki.units[0].agency.cert } });
  },
});

add({
  name: 'econtent-in-detached',
  description: 'Chữ ký cơ quan adbe.pkcs7.detached nhưng CMS lại chứa nội dung riêng (eContent): không phải chữ ký trên tệp PDF',
  expect: { ...brokenAgencyExpect(), findings: ['ECONTENT_IN_DETACHED'] },
  build: (pki) => {
    const u = pki.units[0];
    return signAgency(signLeader(base(pki, 0, 75), u.leader), u.agency, { cms: { encapsulate: Buffer.from('Nội dung khác với văn bản', 'utf8') } });
  },
});

add({
  name: 'garbage-cms',
  description: '/Contents của chữ ký cơ quan chứa dữ liệu rác, không phải CMS',
  expect: brokenAgencyExpect(),
  build: (pki) => {
    const u = pki.units[0];
    return signAgency(signLeader(base(pki, 0, 74), u.leader), u.agency, { sign: () => garbage(74, 1800) });
  },
});

// Universal Signature Forgery: the forged agency signature must be reported as invalid, not skipped.
const USF: Array<[string, string, SignFieldOptions['forge']]> = [
  ['usf-contents-empty', '/Contents rỗng <>', { contents: 'empty' }],
  ['usf-contents-zeros', '/Contents toàn số 0', { contents: 'zeros' }],
  ['usf-contents-missing', 'thiếu /Contents', { contents: 'missing' }],
  ['usf-byterange-missing', 'thiếu /ByteRange', { byteRange: 'missing' }],
  ['usf-byterange-zeros', '/ByteRange [0 0 0 0]', { byteRange: 'zeros' }],
];
USF.forEach(([nm, what, forge], i) => {
  add({
    name: nm,
    description: `Universal Signature Forgery trên chữ ký cơ quan: ${what}`,
    expect: brokenAgencyExpect(),
    build: (pki) => {
      const u = pki.units[i % 4];
      return signAgency(signLeader(base(pki, i % 4, 80 + i), u.leader), u.agency, { field: { forge } });
    },
  });
});

// Signature Wrapping: the CMS is right over the bytes the ByteRange names, but the gap is not exactly /Contents.
add({
  name: 'wrap-gap-extended',
  description: 'Signature Wrapping: khoảng trống ByteRange kéo dài qua /Contents, che một /Reason không được ký',
  expect: brokenAgencyExpect(),
  build: (pki) => {
    const u = pki.units[1];
    const after = `/Reason ${textString('Nội dung chèn không được ký')}`;
    return signAgency(signLeader(base(pki, 1, 90), u.leader), u.agency, {
      field: {
        forge: {
          afterContents: after,
          byteRange: (l) => {
            const b = l.contentsEnd + 1 + after.length;
            return [0, l.contentsStart, b, l.fileEnd - b];
          },
        },
      },
    });
  },
});

add({
  name: 'wrap-gap-before-contents',
  description: 'Signature Wrapping: ByteRange bắt đầu khoảng trống trước dấu < của /Contents',
  expect: brokenAgencyExpect(),
  build: (pki) => {
    const u = pki.units[2];
    return signAgency(signLeader(base(pki, 2, 91), u.leader), u.agency, {
      field: { forge: { byteRange: (l) => [0, l.contentsStart - 10, l.contentsEnd, l.fileEnd - l.contentsEnd] } },
    });
  },
});

add({
  name: 'wrap-six-numbers',
  description: 'Signature Wrapping: /ByteRange có 6 số (ba đoạn), để hở một đoạn không được ký',
  expect: brokenAgencyExpect(),
  build: (pki) => {
    const u = pki.units[3];
    return signAgency(signLeader(base(pki, 3, 92), u.leader), u.agency, {
      field: {
        forge: {
          byteRange: (l) => {
            const l1 = 40;
            const hole = 16;
            const s2 = l.contentsEnd + l1 + hole;
            return [0, l.contentsStart, l.contentsEnd, l1, s2, l.fileEnd - s2];
          },
        },
      },
    });
  },
});

add({
  name: 'wrap-moved-second-range',
  description: 'Signature Wrapping: phần ký thứ hai bị dời, bản sao dữ liệu đã ký nằm sau phần chèn thêm',
  expect: brokenAgencyExpect(),
  build: (pki) => {
    // The attacker's layout: the dictionary tail after /Contents is followed by injected bytes; the ByteRange's
    // second part starts after them, at a copy of the bytes that were signed. Built in one pass here (we hold the
    // key), which yields the same bytes a relocation would.
    const u = pki.units[0];
    const injected = `/Kiemky_Injected ${textString('Đoạn chèn thêm không được ký')} /Kiemky_Pad (0000000000000000)`;
    return signAgency(signLeader(base(pki, 0, 93), u.leader), u.agency, {
      field: {
        forge: {
          afterContents: injected,
          byteRange: (l) => [0, l.contentsStart, l.contentsEnd + 1 + injected.length, l.fileEnd - (l.contentsEnd + 1 + injected.length)],
        },
      },
    });
  },
});

// Changes after signing ------------------------------------------------------------------------------------------

add({
  name: 'incremental-saving-page-content',
  description: 'Incremental Saving: bản cập nhật không ký sau chữ ký cơ quan thay nội dung trang 1',
  expect: changedAfterExpect(),
  build: (pki) => {
    const pdf = twoLayer(pki, 1, 100);
    const { content } = pageContentNum(pdf);
    const fake = documentLines({ unit: 1, so: 999, date: AGENCY_AT, summary: 'V/v noi dung da bi thay doi sau khi ky' }, pki.units[1].name);
    return appendUpdate(pdf, [{ num: content, body: makePageContent(fake) }]);
  },
});

add({
  name: 'shadow-hide-and-replace',
  description: 'Shadow attack (hide-and-replace): bản cập nhật sau khi ký ghi đè đối tượng trang trỏ tới nội dung khác',
  expect: changedAfterExpect(),
  build: (pki) => {
    const pdf = twoLayer(pki, 2, 101);
    const { page } = pageContentNum(pdf);
    const f = new PdfFile(pdf);
    const pd = f.dictOf(page);
    const newContent = f.size;
    dset(pd, 'Contents', ref(newContent));
    const fake = documentLines({ unit: 2, so: 998, date: AGENCY_AT, summary: 'V/v thay the noi dung' }, pki.units[2].name);
    return appendUpdate(pdf, [
      { num: newContent, body: makePageContent(fake) },
      { num: page, body: serialize(pd) },
    ]);
  },
});

add({
  name: 'evil-annotation-after-certification',
  description: 'Evil Annotation: sau chữ ký chứng nhận và chữ ký cơ quan, bản cập nhật không ký thêm chú thích che nội dung',
  expect: changedAfterExpect(),
  build: (pki) => {
    const u = pki.units[3];
    const pdf = signAgency(signLeader(base(pki, 3, 102), u.leader, { field: { certify: 2 } }), u.agency);
    const f = new PdfFile(pdf);
    const page = f.pageNums()[0];
    const pd = f.dictOf(page);
    const annot = f.size;
    const annots = dget(pd, 'Annots');
    dset(pd, 'Annots', arr([...(annots && annots.t === 'arr' ? annots.items : []), ref(annot)]));
    return appendUpdate(pdf, [
      {
        num: annot,
        body:
          `<< /Type /Annot /Subtype /FreeText /Rect [55 690 540 760] /F 4 /P ${page} 0 R /DA (/Helv 14 Tf 1 0 0 rg)` +
          ` /Contents (So: 999/GIA-MAO) /C [1 1 1] /IC [1 1 1] /M (D:20260311090000+07'00') >>`,
      },
      { num: page, body: serialize(pd) },
    ]);
  },
});

add({
  name: 'trailing-garbage',
  description: 'Có dữ liệu lạ sau %%EOF cuối cùng: chữ ký cơ quan không còn phủ toàn bộ tệp',
  expect: {
    verdict: 'noncompliant',
    checks: { signed: true, intact: false },
    signatureCount: 2,
    signatures: [{ ...GOV_PERSONAL }, { ...GOV_ORG, coversWholeFile: false }],
  },
  build: (pki) => Buffer.concat([twoLayer(pki, 3, 103), Buffer.from('\n% appended after signing\n'), garbage(103, 512)]),
});

add({
  name: 'metadata-spoofing',
  description: 'Bản cập nhật sau khi ký ghi đè /Reason, /Name của từ điển chữ ký cơ quan: báo cáo đọc bản đã ký',
  expect: changedAfterExpect(),
  build: (pki) => {
    const pdf = twoLayer(pki, 0, 104);
    const loc = locateSignatures(pdf).find((l) => l.field === AGENCY_FIELD);
    if (!loc || loc.sigNum === null) throw new Error('agency signature not found');
    const f = new PdfFile(pdf);
    const sd = parseDict(f.get(loc.sigNum)?.text ?? '');
    dset(sd, 'Reason', { t: 'str', raw: textString('Đã thu hồi văn bản') });
    dset(sd, 'Name', { t: 'str', raw: textString('Người khác') });
    return appendUpdate(pdf, [{ num: loc.sigNum, body: serialize(sd) }]);
  },
});

// Unreadable files ------------------------------------------------------------------------------------------------

add({
  name: 'broken-empty-file',
  description: 'Tệp rỗng (0 byte)',
  expect: { verdict: 'error', errorCode: 'EMPTY_FILE' },
  build: () => Buffer.alloc(0),
});

add({
  name: 'broken-not-pdf',
  description: 'Tệp không phải PDF (trang HTML báo lỗi của hệ thống quản lý văn bản)',
  expect: { verdict: 'error', errorCode: 'NOT_PDF' },
  build: () =>
    Buffer.from(
      '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>Phiên đăng nhập đã hết hạn</title></head>\n' +
        '<body><h1>Phiên đăng nhập đã hết hạn</h1><p>Vui lòng đăng nhập lại hệ thống quản lý văn bản.</p></body></html>\n',
      'utf8',
    ),
});

add({
  name: 'broken-truncated',
  description: 'Tệp PDF bị cắt cụt giữa chừng khi tải về',
  expect: { verdict: 'error', errorCode: 'TRUNCATED' },
  build: (pki) => {
    // Padded base, cut half-way through the file: the cut falls inside the first revision, so no complete
    // revision (no startxref/%%EOF) survives and nothing can be recovered as a document.
    const pdf = twoLayer(pki, 1, 110, { padTo: 120_000 });
    const firstEof = pdf.indexOf('%%EOF');
    return pdf.subarray(0, Math.min(Math.floor(pdf.length / 2), Math.floor(firstEof / 2)));
  },
});

export const SCENARIOS: Scenario[] = S;
