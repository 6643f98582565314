import { issueWithPkijs, pkijsCertificates } from '../../samples/lib/x509-pkijs';
import { Certificate } from '../../worker/pki/certificate';
import { classifySigner } from '../../worker/pki/signer-kind';
import { testTrust } from '../helpers/test-trust';

/**
 * Personal vs organization from the subject alone, as BCY and the public CAs write it: a UID or organizationIdentifier
 * prefixed CMND:, CCCD:, HC:, BHXH:, PID: or PPID: is a person, MST: or MNS: alone an organization.
 */

const { pki } = testTrust();
// The certificates are encoded by pkijs, not by the decoder's sibling encoder.
beforeAll(async () => {
  await pkijsCertificates();
});
const kindOf = (subject: Array<[string, string]>): string =>
  classifySigner(
    Certificate.fromDer(issueWithPkijs({ subject, issuer: pki.govSub, notBefore: new Date('2024-01-01'), notAfter: new Date('2028-01-01'), keyType: 'ec-p256' }).cert),
  ).kind;

test.each([
  ['BCY G1 personal: a name under the OU chain, no E=', [['C', 'VN'], ['O', 'Bộ Tài chính'], ['OU', 'Tổng cục Thuế'], ['OU', 'Cục Thuế TP HCM'], ['CN', 'Phạm Minh Chính']], 'personal'],
  ['BCY G2 personal with E=', [['C', 'VN'], ['O', 'ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA'], ['CN', 'Trần Thị Hoa'], ['E', 'hoatt@khanhhoa.gov.vn']], 'personal'],
  ['a name without diacritics', [['C', 'VN'], ['O', 'UBND HUYEN VAN NINH'], ['CN', 'NGUYEN VAN AN']], 'personal'],
  ['BCY organization: the agency in CN', [['C', 'VN'], ['O', 'UBND TỈNH KHÁNH HÒA'], ['CN', 'Sở Tài chính tỉnh Khánh Hòa']], 'organization'],
  ['an agency in ASCII', [['C', 'VN'], ['CN', 'UY BAN NHAN DAN HUYEN VAN NINH']], 'organization'],
  ['a school is not Mr Trương', [['C', 'VN'], ['CN', 'Trường THCS Vạn Thắng']], 'organization'],
  ['public CA organization: MST alone', [['C', 'VN'], ['CN', 'CÔNG TY TNHH ABC'], ['UID', 'MST:0101234567']], 'organization'],
  ['public CA person: CCCD', [['C', 'VN'], ['CN', 'Lê Văn Tám'], ['UID', 'CCCD:079123456789']], 'personal'],
  ['a person acting for a company (MST + CCCD) is a person', [['C', 'VN'], ['CN', 'Lê Văn Tám'], ['UID', 'MST:0101234567'], ['UID', 'CCCD:079123456789']], 'personal'],
  ['a bare word is not a name', [['C', 'VN'], ['CN', 'Witness Service']], 'unknown'],
] as const)('%s', (_label, subject, kind) => {
  expect(kindOf(subject.map(([k, v]) => [k, v] as [string, string]))).toBe(kind);
});
