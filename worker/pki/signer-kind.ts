/**
 * Personal vs organization certificate, read from the subject (Vietnamese CAs use no certificate-type OID).
 *
 * 1. UID / organizationIdentifier prefixes: CMND: CCCD: HC: BHXH: PID: PPID: → a person (with MST: too: a person
 *    acting for an organization, still not an agency signature); MST: or MNS: alone → an organization.
 * 2. BCY conventions: E= in the subject, or a personal SAN mailbox with a person-like CN → a person; an agency-like
 *    CN (ỦY BAN, SỞ, CỤC, …) with no E= → an organization.
 * 3. Otherwise unknown. Identifier prefixes are compared on NFD-stripped upper case; agency words see isAgencyName.
 */
import { foldName } from '../text/fold';
import { OID } from '../asn1/oids';
import type { Certificate } from './certificate';

export type SignerKind = 'personal' | 'organization' | 'unknown';

export interface SignerClassification {
  kind: SignerKind;
  commonName: string | null;
  /** The organization: O for a person, the CN for an organization. */
  organization: string | null;
  title: string | null;
  /** Identifier values found (e.g. 'MST:0101234567', 'CCCD:0010…'). */
  identifiers: string[];
  /** Which rule decided. */
  reason: string;
}

const PERSONAL_PREFIXES = ['CMND', 'CCCD', 'HC', 'BHXH', 'PID', 'PPID'];
const ORG_PREFIXES = ['MST', 'MNS'];

/**
 * Agency words, matched as whole words on the NFC upper-case CN WITH diacritics: stripping them would confuse
 * agency words with very common personal names (Phòng/Phong, Trường/Trương, "Văn Phòng"/"Nguyễn Văn Phong"), and a
 * person wrongly taken for an agency could make a document look two-layer signed when it is not.
 */
const AGENCY_WORDS_VI = [
  'ỦY BAN', 'UBND', 'HĐND', 'SỞ', 'PHÒNG', 'BAN', 'CỤC', 'TỔNG CỤC', 'CHI CỤC', 'VĂN PHÒNG', 'BỘ', 'TRƯỜNG',
  'BỆNH VIỆN', 'TRUNG TÂM', 'HỘI ĐỒNG', 'CÔNG TY', 'ĐẢNG ỦY', 'TỈNH ỦY', 'THÀNH ỦY', 'HUYỆN ỦY', 'QUẬN ỦY',
  'ĐẢNG BỘ', 'HỌC VIỆN', 'VIỆN', 'TÒA ÁN', 'TOÀ ÁN', 'VIỆN KIỂM SÁT', 'KHO BẠC', 'NGÂN HÀNG', 'CÔNG AN',
  'CHI NHÁNH', 'TẬP ĐOÀN', 'HỢP TÁC XÃ', 'ĐẠI HỌC', 'CƠ QUAN', 'CHÍNH PHỦ', 'QUỐC HỘI', 'NHÂN DÂN',
  'MẶT TRẬN', 'BỘ CHỈ HUY', 'LIÊN ĐOÀN', 'THPT', 'THCS', 'MẦM NON', 'TIỂU HỌC',
];

/**
 * For a CN written without any diacritics (G1-era ASCII names) only multi-word phrases that are not personal names
 * count ("Van Phong" and "Truong" are left out for the reason above).
 */
const AGENCY_WORDS_ASCII = [
  'UY BAN', 'UBND', 'HDND', 'TONG CUC', 'CHI CUC', 'BENH VIEN', 'TRUNG TAM', 'HOI DONG', 'CONG TY', 'DANG UY',
  'TINH UY', 'THANH UY', 'HUYEN UY', 'QUAN UY', 'HOC VIEN', 'TOA AN', 'VIEN KIEM SAT', 'KHO BAC', 'NGAN HANG',
  'CONG AN', 'CHI NHANH', 'TAP DOAN', 'HOP TAC XA', 'DAI HOC', 'CO QUAN', 'CHINH PHU', 'QUOC HOI', 'NHAN DAN',
  'THPT', 'THCS', 'MAM NON', 'TIEU HOC', 'SO TAI CHINH', 'SO NOI VU', 'BO TAI CHINH', 'BO CONG AN', 'BO NGOAI GIAO',
];

function wordsRe(words: readonly string[]): RegExp {
  const alt = words.map((w) => w.replace(/ /g, '\\s+')).join('|');
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alt})(?![\\p{L}\\p{N}])`, 'u');
}

const AGENCY_RE_VI = wordsRe(AGENCY_WORDS_VI);
const AGENCY_RE_ASCII = wordsRe(AGENCY_WORDS_ASCII);

export function isAgencyName(cn: string): boolean {
  if (/[^\x00-\x7f]/.test(cn)) {
    const upper = cn.normalize('NFC').toUpperCase().replace(/UỶ/g, 'ỦY').replace(/\s+/g, ' ');
    return AGENCY_RE_VI.test(upper);
  }
  return AGENCY_RE_ASCII.test(cn.toUpperCase().replace(/\s+/g, ' '));
}

/** A name folded as every name is (worker/text/fold), in upper case for the agency and family-name tables. */
export function foldVietnamese(s: string): string {
  return foldName(s).toUpperCase();
}

/** A CN that reads like a person's name: 2–6 alphabetic words, no digits, no agency word. */
function looksLikePersonName(cn: string): boolean {
  const f = foldVietnamese(cn);
  if (isAgencyName(cn)) return false;
  const words = f.split(' ');
  return words.length >= 2 && words.length <= 6 && words.every((w) => /^[A-Z]+$/.test(w));
}

/**
 * Common Vietnamese family names, as written. BCY personal certificates often carry only the holder's name in CN
 * under the agency's O/OU chain (no E=, no UID), so a CN that starts with a family name and reads like a name is a
 * person. Compared with diacritics: folded, "Trương" (a name) and "Trường" (a school) would be one word.
 */
const FAMILY_NAMES = new Set(
  [
    'Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý',
    'Trương', 'Đinh', 'Lâm', 'Trịnh', 'Đoàn', 'Lương', 'Lưu', 'Tạ', 'Thái', 'Kiều', 'Quách', 'Tống', 'Vương', 'Nông',
    'Tăng', 'Đào', 'Châu', 'Triệu', 'Thân', 'Khúc', 'Lại', 'Phùng', 'Mạc', 'Hứa', 'Diệp', 'Đàm', 'Doãn', 'Nghiêm', 'Mai',
  ].map((n) => n.normalize('NFC').toLocaleUpperCase('vi')),
);
/** The same for names written without diacritics, minus those that fold onto common words of agency names. */
const FAMILY_NAMES_ASCII = new Set(
  ['NGUYEN', 'TRAN', 'LE', 'PHAM', 'HOANG', 'HUYNH', 'PHAN', 'VU', 'VO', 'DANG', 'BUI', 'DO', 'NGO', 'LY', 'DINH', 'LAM', 'TRINH', 'DOAN', 'LUONG', 'LUU', 'THAI', 'KIEU', 'QUACH', 'TONG', 'VUONG', 'NONG', 'DAO', 'CHAU', 'TRIEU', 'PHUNG', 'DIEP', 'NGHIEM'],
);

/** A CN that is a Vietnamese person's name: starts with a family name and reads like a name. */
function isVietnamesePersonName(cn: string): boolean {
  if (!looksLikePersonName(cn)) return false;
  const first = cn.normalize('NFC').trim().split(/\s+/)[0] ?? '';
  const hasMarks = first.normalize('NFD') !== first || /[đĐ]/.test(first);
  return hasMarks ? FAMILY_NAMES.has(first.toLocaleUpperCase('vi')) : FAMILY_NAMES_ASCII.has(foldVietnamese(first));
}

/**
 * A batch sees the same signers over and over; what a certificate says about its holder does not change, so it is
 * worked out once per certificate object (certificates are themselves parsed once per batch).
 */
const classified = new WeakMap<Certificate, Readonly<SignerClassification>>();

export function classifySigner(cert: Certificate): Readonly<SignerClassification> {
  let c = classified.get(cert);
  if (c === undefined) {
    c = Object.freeze(classifyUncached(cert));
    classified.set(cert, c);
  }
  return c;
}

function classifyUncached(cert: Certificate): SignerClassification {
  const s = cert.subject;
  const commonName = s.get('CN');
  const o = s.get('O');
  const title = s.get('T');
  const identifiers = [...s.getAll(OID.userId), ...s.getAll(OID.organizationIdentifier)].map((v) => v.trim());
  const prefixes = identifiers.map((v) => foldVietnamese(v).replace(/\s+/g, '').split(/[:\-]/)[0] ?? '');
  const personal = prefixes.some((p) => PERSONAL_PREFIXES.includes(p));
  const org = prefixes.some((p) => ORG_PREFIXES.includes(p));
  const asPerson = (reason: string): SignerClassification => ({ kind: 'personal', commonName, organization: o, title, identifiers, reason });
  const asOrg = (reason: string): SignerClassification => ({ kind: 'organization', commonName, organization: commonName ?? o, title, identifiers, reason });

  if (personal) return asPerson(org ? 'personal identifier with MST (a person acting for an organization)' : 'personal identifier');
  if (org) return asOrg('MST/MNS identifier');

  const subjectEmail = s.getAll('E').length > 0;
  if (subjectEmail) return asPerson('E= in subject');
  if (commonName && cert.emails.length > 0 && looksLikePersonName(commonName)) return asPerson('personal mailbox with a person-like CN');
  if (commonName && isAgencyName(commonName)) return asOrg('agency-like CN');
  if (commonName && isVietnamesePersonName(commonName)) return asPerson('a Vietnamese person\'s name in CN');
  return { kind: 'unknown', commonName, organization: o ?? null, title, identifiers, reason: 'no rule applies' };
}
