import type { Finding, Severity } from '../report';

/**
 * Every finding kiemky can report: a stable code, its severity and its text in Vietnamese (the default) and
 * English. Clerks read these in inspections, so the Vietnamese says plainly what is wrong and, where it helps,
 * what to do.
 */

export type Params = Record<string, string | number | null | undefined>;

/** What to do about a finding: a short order naming who acts (văn thư, người có thẩm quyền, bộ phận CNTT…). */
export interface Remedy {
  vi: string;
  en: string;
}

interface MessageDef {
  severity: Severity;
  vi: (p: Params) => string;
  en: (p: Params) => string;
  /** Required so that no new code reaches a clerk without saying what to do. */
  remedy: Remedy;
  /** The PDF or CMS terms the finding is about, for IT: kept out of the message, put first in the detail field. */
  technical?: (p: Params) => string;
}

// Remedies shared by whole families of findings: the same act cures them all.
/** Two-layer signing per Decree 30/2020, Art. 5 and 14: the competent person, then the agency. */
const REMEDY_SIGN_TWO_LAYER: Remedy = {
  vi: 'Người có thẩm quyền ký số, sau đó văn thư ký số bằng chứng thư số của cơ quan rồi phát hành lại.',
  en: "The competent person signs, then the clerk signs with the agency's certificate and issues the document again.",
};
/** Decree 68/2024 and the Law on E-transactions 2023: official documents carry the government's own certificates. */
const REMEDY_GOVERNMENT_CA: Remedy = {
  vi: 'Ký số lại bằng chứng thư số chuyên dùng Chính phủ do Ban Cơ yếu Chính phủ cấp, rồi phát hành lại văn bản.',
  en: 'Sign again with a government certificate issued by the Government Cipher Committee, then issue the document again.',
};
/** The file differs from what was signed: the signed original still exists in the document system. */
const REMEDY_USE_ORIGINAL: Remedy = {
  vi: 'Không dùng bản này: lấy lại bản gốc đã ký từ hệ thống quản lý văn bản, không mở và lưu lại tệp sau khi ký; nếu bản gốc cũng lỗi, ký số lại và phát hành lại.',
  en: 'Do not use this copy: take the signed original from the document management system and do not save the file after signing; if the original fails too, sign and issue again.',
};
/** The signing software wrote a signature that cannot be verified. */
const REMEDY_RESIGN_TOOL: Remedy = {
  vi: 'Ký số lại bằng phần mềm ký số do Ban Cơ yếu Chính phủ cung cấp rồi phát hành lại; bộ phận CNTT kiểm tra phần mềm ký số.',
  en: 'Sign again with the signing software the Government Cipher Committee provides and issue again; IT checks the signing software.',
};
const REMEDY_RESEND: Remedy = {
  vi: 'Văn thư gửi lại đúng tệp PDF đã ký, lấy từ hệ thống quản lý văn bản.',
  en: 'The clerk sends the signed PDF again, taken from the document management system.',
};
const REMEDY_SUSPICIOUS: Remedy = {
  vi: 'Văn thư gửi lại bản gốc đã ký; nếu tệp vẫn bị từ chối, bộ phận CNTT kiểm tra nguồn gốc tệp.',
  en: 'The clerk sends the signed original again; if the file is still refused, IT checks where it came from.',
};

const sig = (p: Params): string => (p.signature != null ? `Chữ ký số #${p.signature}` : 'Chữ ký số');
const sigEn = (p: Params): string => (p.signature != null ? `Signature #${p.signature}` : 'The signature');
/**
 * A plain Vietnamese explanation the layer below gave (which certificate, which date). The technical `detail`
 * (byte offsets, object numbers, PDF key names) never enters a message: it goes to the finding's `detail` field.
 */
const detail = (p: Params): string => (p.detailVi ? ` (${p.detailVi})` : '');

export const MESSAGES = {
  // ── document ───────────────────────────────────────────────────────────────────────────────────────────
  NOT_SIGNED: {
    severity: 'error',
    vi: () => 'Văn bản chưa được ký số (không có chữ ký số hợp lệ nào).',
    en: () => 'The document is not signed (no signature with valid integrity).',
    remedy: REMEDY_SIGN_TWO_LAYER,
  },
  NO_PERSONAL_SIGNATURE: {
    severity: 'error',
    vi: () => 'Thiếu chữ ký số của người có thẩm quyền (chứng thư số cá nhân) — chưa đủ ký số 2 lớp (NĐ 30/2020, Điều 5).',
    en: () => 'No signature of the competent person (personal certificate): two-layer signing is incomplete (Decree 30/2020, Art. 5).',
    remedy: { vi: 'Người có thẩm quyền ký số bằng chứng thư số cá nhân, sau đó văn thư ký số của cơ quan rồi phát hành lại.', en: "The competent person signs with their personal certificate, then the clerk adds the agency's signature and issues the document again." },
  },
  NO_ORGANIZATION_SIGNATURE: {
    severity: 'error',
    vi: () => 'Thiếu chữ ký số của cơ quan, tổ chức (chứng thư số tổ chức) sau chữ ký của người có thẩm quyền — chưa đủ ký số 2 lớp (NĐ 30/2020, Điều 14, 32).',
    en: () => 'No organization signature after the competent person\'s signature: two-layer signing is incomplete (Decree 30/2020, Art. 14, 32).',
    remedy: { vi: 'Văn thư ký số bằng chứng thư số của cơ quan rồi phát hành lại.', en: "The clerk signs with the agency's certificate and issues the document again." },
  },
  WRONG_SIGNING_ORDER: {
    severity: 'error',
    vi: () => 'Sai thứ tự ký: chữ ký số của cơ quan, tổ chức phải được ký sau chữ ký số của người có thẩm quyền (NĐ 30/2020, Điều 32.2.d).',
    en: () => 'Wrong signing order: the organization must sign after the competent person (Decree 30/2020, Art. 32.2.d).',
    remedy: { vi: 'Ký lại đúng thứ tự: người có thẩm quyền ký trước, văn thư ký số của cơ quan sau, rồi phát hành lại.', en: "Sign again in order: the competent person first, then the clerk with the agency's certificate, and issue the document again." },
  },
  NOT_GOVERNMENT_CA: {
    severity: 'error',
    vi: (p) => `${sig(p)} dùng chứng thư số của CA công cộng${p.provider ? ` (${p.provider})` : ''}, không phải chứng thư số chuyên dùng Chính phủ do Ban Cơ yếu Chính phủ cấp.`,
    en: (p) => `${sigEn(p)} uses a public CA certificate${p.provider ? ` (${p.provider})` : ''}, not a government certificate issued by the Government Cipher Committee.`,
    remedy: REMEDY_GOVERNMENT_CA,
  },
  CA_UNTRUSTED: {
    severity: 'error',
    vi: (p) => `${sig(p)}: chứng thư số không tin cậy — không xây dựng được đường dẫn chứng thực tới CA gốc được tin cậy (so khớp theo khóa công khai, không theo tên)${detail(p)}.`,
    en: (p) => `${sigEn(p)}: untrusted certificate — no certification path to a pinned root (matched by key, never by name).`,
    remedy: { vi: 'Ký số lại bằng chứng thư số chuyên dùng Chính phủ do Ban Cơ yếu Chính phủ cấp rồi phát hành lại; nếu chứng thư đúng do Ban Cơ yếu cấp, bộ phận CNTT cập nhật kho chứng thư tin cậy.', en: 'Sign again with a government certificate issued by the Government Cipher Committee and issue again; if the certificate is one of theirs, IT updates the trusted certificate store.' },
  },
  CERT_EXPIRED: {
    severity: 'error',
    vi: (p) => `${sig(p)}: chứng thư số đã hết hạn tại thời điểm ký${p.time ? ` (${p.time})` : ''}${detail(p)}.`,
    en: (p) => `${sigEn(p)}: the certificate had expired at signing time${p.time ? ` (${p.time} Vietnam time)` : ''}.`,
    remedy: { vi: 'Cơ quan đề nghị Ban Cơ yếu Chính phủ gia hạn hoặc cấp lại chứng thư số, rồi ký số lại và phát hành lại văn bản.', en: 'The agency asks the Government Cipher Committee to renew or reissue the certificate, then signs and issues the document again.' },
  },
  CERT_NOT_YET_VALID: {
    severity: 'error',
    vi: (p) => `${sig(p)}: chứng thư số chưa có hiệu lực tại thời điểm ký${p.time ? ` (${p.time})` : ''}${detail(p)}.`,
    en: (p) => `${sigEn(p)}: the certificate was not yet valid at signing time${p.time ? ` (${p.time} Vietnam time)` : ''}.`,
    remedy: { vi: 'Bộ phận CNTT chỉnh đồng hồ máy ký số; ký số lại khi chứng thư số đã có hiệu lực rồi phát hành lại văn bản.', en: "IT sets the signing computer's clock right; sign again once the certificate is valid and issue the document again." },
  },
  CERT_REVOKED: {
    severity: 'error',
    vi: (p) => `${sig(p)}: chứng thư số đã bị thu hồi${p.revokedAt ? ` từ ${p.revokedAt}` : ''}, trước thời điểm ký.`,
    en: (p) => `${sigEn(p)}: the certificate was revoked${p.revokedAt ? ` on ${p.revokedAt} Vietnam time` : ''}, before signing time.`,
    remedy: { vi: 'Cơ quan đề nghị Ban Cơ yếu Chính phủ cấp chứng thư số mới, rồi ký số lại và phát hành lại văn bản.', en: 'The agency asks the Government Cipher Committee for a new certificate, then signs and issues the document again.' },
  },
  CERT_INVALID: {
    severity: 'error',
    vi: (p) => `${sig(p)}: đường dẫn chứng thực không hợp lệ${detail(p)}.`,
    en: (p) => `${sigEn(p)}: invalid certification path.`,
    remedy: { vi: 'Ký số lại bằng chứng thư số chuyên dùng Chính phủ còn hiệu lực rồi phát hành lại; nếu vẫn lỗi, bộ phận CNTT liên hệ Ban Cơ yếu Chính phủ.', en: 'Sign again with a valid government certificate and issue again; if the error remains, IT contacts the Government Cipher Committee.' },
  },
  REVOCATION_NOT_CHECKED: {
    severity: 'info',
    vi: (p) => `${sig(p)}: không có dữ liệu thu hồi (CRL/OCSP) để kiểm tra tình trạng thu hồi tại thời điểm ký.`,
    en: (p) => `${sigEn(p)}: no revocation data (CRL/OCSP) to check revocation at signing time.`,
    remedy: { vi: 'Không cần xử lý văn bản; bộ phận CNTT cung cấp danh sách chứng thư bị thu hồi để kiểm tra đầy đủ.', en: 'No action on the document; IT provides the revocation lists for a complete check.' },
  },
  REVOCATION_SOURCE_UNREACHABLE: {
    severity: 'warning',
    vi: (p) => `${sig(p)}: không truy cập được nguồn dữ liệu thu hồi (CRL/OCSP) của chứng thư số ${p.subject ?? ''}; kết luận chỉ dựa trên dữ liệu thu hồi đã có.`,
    en: (p) => `${sigEn(p)}: the revocation source (CRL/OCSP) of certificate ${p.subject ?? ''} could not be reached; the verdict rests on the revocation data at hand.`,
    remedy: { vi: 'Bộ phận CNTT kiểm tra kết nối tới máy chủ danh sách thu hồi (CRL, OCSP) của nhà cung cấp chứng thư số rồi kiểm tra lại văn bản.', en: "IT checks the connection to the certificate provider's revocation server (CRL, OCSP), then checks the document again." },
    technical: (p) => `${p.url ?? ''}`,
  },
  REVOCATION_RESPONSE_INVALID: {
    severity: 'warning',
    vi: (p) => `${sig(p)}: dữ liệu thu hồi (CRL/OCSP) tải về cho chứng thư số ${p.subject ?? ''} không hợp lệ (sai chữ ký, sai cơ quan cấp, hết hạn hoặc quá lớn) nên không được dùng; kết luận chỉ dựa trên dữ liệu thu hồi đã có.`,
    en: (p) => `${sigEn(p)}: the revocation data (CRL/OCSP) fetched for certificate ${p.subject ?? ''} is not valid (bad signature, wrong issuer, stale or too large) and was not used; the verdict rests on the revocation data at hand.`,
    remedy: { vi: 'Bộ phận CNTT báo nhà cung cấp chứng thư số về máy chủ danh sách thu hồi (CRL, OCSP) trả dữ liệu sai rồi kiểm tra lại văn bản.', en: "IT reports the faulty revocation server (CRL, OCSP) to the certificate provider, then checks the document again." },
    technical: (p) => `${p.url ?? ''}`,
  },
  WEAK_ALGORITHM: {
    severity: 'error',
    vi: (p) => `${sig(p)} dùng thuật toán yếu${p.algorithm ? ` (${p.algorithm})` : ''}: SHA-1 trở xuống không còn an toàn.`,
    en: (p) => `${sigEn(p)} uses a weak algorithm${p.algorithm ? ` (${p.algorithm})` : ''}: SHA-1 or weaker is no longer safe.`,
    remedy: { vi: 'Bộ phận CNTT cập nhật phần mềm ký số dùng SHA-256 trở lên; ký số lại rồi phát hành lại văn bản.', en: 'IT updates the signing software to SHA-256 or stronger; sign and issue the document again.' },
  },
  // ── integrity: byte range ──────────────────────────────────────────────────────────────────────────────
  BYTERANGE_MISSING: {
    severity: 'error',
    vi: (p) => `${sig(p)} không chỉ rõ phần nội dung được ký: chữ ký giả mạo hoặc bị hỏng.`,
    en: (p) => `${sigEn(p)} does not say which part of the file it signs: a forged or broken signature.`,
    technical: () => 'no /ByteRange',
    remedy: REMEDY_USE_ORIGINAL,
  },
  BYTERANGE_MALFORMED: {
    severity: 'error',
    vi: (p) => `${sig(p)}: phần nội dung được ký khai báo sai cách.`,
    en: (p) => `${sigEn(p)}: the signed part of the file is declared wrongly.`,
    technical: () => '/ByteRange is not [0 a b c]',
    remedy: REMEDY_USE_ORIGINAL,
  },
  BYTERANGE_EMPTY: {
    severity: 'error',
    vi: (p) => `${sig(p)}: phần nội dung được ký rỗng — chữ ký không bảo vệ nội dung nào (giả mạo chữ ký).`,
    en: (p) => `${sigEn(p)}: the signed part is empty — the signature protects nothing (signature forgery).`,
    technical: () => 'empty or zero /ByteRange',
    remedy: REMEDY_USE_ORIGINAL,
  },
  BYTERANGE_BEYOND_EOF: {
    severity: 'error',
    vi: (p) => `${sig(p)}: phần nội dung được ký vượt quá kích thước tệp.`,
    en: (p) => `${sigEn(p)}: the signed part reaches past the end of the file.`,
    technical: () => '/ByteRange past the end of the file',
    remedy: REMEDY_USE_ORIGINAL,
  },
  GAP_NOT_CONTENTS: {
    severity: 'error',
    vi: (p) => `${sig(p)}: phần không được ký của tệp không đúng là dữ liệu chữ ký — dấu hiệu tấn công bao bọc chữ ký (signature wrapping).`,
    en: (p) => `${sigEn(p)}: the unsigned part of the file is not exactly the signature data — a signature wrapping attack.`,
    technical: () => 'the /ByteRange gap is not the /Contents string',
    remedy: REMEDY_USE_ORIGINAL,
  },
  BYTERANGE_NOT_AT_REVISION_END: {
    severity: 'error',
    vi: (p) => `${sig(p)}: phần đã ký không kết thúc tại cuối một phiên bản của tệp.`,
    en: (p) => `${sigEn(p)}: the signed part does not end at the end of a file revision.`,
    technical: () => 'the signed bytes do not end at a %%EOF',
    remedy: REMEDY_USE_ORIGINAL,
  },
  CONTENTS_MISSING: {
    severity: 'error',
    vi: (p) => `${sig(p)} không có dữ liệu chữ ký: giả mạo chữ ký.`,
    en: (p) => `${sigEn(p)} has no signature data: signature forgery.`,
    technical: () => 'no /Contents',
    remedy: REMEDY_USE_ORIGINAL,
  },
  CONTENTS_EMPTY: {
    severity: 'error',
    vi: (p) => `${sig(p)}: dữ liệu chữ ký rỗng hoặc toàn số 0 (giả mạo chữ ký).`,
    en: (p) => `${sigEn(p)}: the signature data is empty or all zeros (signature forgery).`,
    technical: () => '/Contents empty or all zeros',
    remedy: REMEDY_USE_ORIGINAL,
  },
  CONTENTS_NOT_HEX: {
    severity: 'error',
    vi: (p) => `${sig(p)}: dữ liệu chữ ký không được ghi đúng cách trong tệp.`,
    en: (p) => `${sigEn(p)}: the signature data is not written in the file the proper way.`,
    technical: () => '/Contents is not a hexadecimal string written in place',
    remedy: REMEDY_USE_ORIGINAL,
  },
  // ── integrity: CMS ─────────────────────────────────────────────────────────────────────────────────────
  CMS_MALFORMED: {
    severity: 'error',
    vi: (p) => `${sig(p)}: dữ liệu chữ ký (CMS/PKCS#7) bị hỏng, không đọc được.`,
    en: (p) => `${sigEn(p)}: the signature data (CMS/PKCS#7) is malformed.`,
    remedy: REMEDY_RESIGN_TOOL,
  },
  UNSUPPORTED_ALGORITHM: {
    severity: 'error',
    vi: (p) => `${sig(p)}: thuật toán không được hỗ trợ.`,
    en: (p) => `${sigEn(p)}: unsupported algorithm.`,
    remedy: REMEDY_RESIGN_TOOL,
  },
  SIGNER_NOT_FOUND: {
    severity: 'error',
    vi: (p) => `${sig(p)}: không tìm thấy chứng thư số của người ký trong dữ liệu chữ ký.`,
    en: (p) => `${sigEn(p)}: the signer's certificate is not in the signature data.`,
    remedy: REMEDY_RESIGN_TOOL,
  },
  MESSAGE_DIGEST_MISSING: {
    severity: 'error',
    vi: (p) => `${sig(p)}: thiếu giá trị băm của nội dung đã ký.`,
    en: (p) => `${sigEn(p)}: the digest of the signed content is missing.`,
    technical: () => 'no messageDigest attribute',
    remedy: REMEDY_RESIGN_TOOL,
  },
  MESSAGE_DIGEST_MISMATCH: {
    severity: 'error',
    vi: (p) => `${sig(p)}: nội dung đã ký bị thay đổi — giá trị băm không khớp.`,
    en: (p) => `${sigEn(p)}: the signed content was changed — digest mismatch.`,
    remedy: REMEDY_USE_ORIGINAL,
  },
  CONTENT_TYPE_MISSING: {
    severity: 'error',
    vi: (p) => `${sig(p)}: dữ liệu chữ ký thiếu thông tin bắt buộc về loại nội dung được ký.`,
    en: (p) => `${sigEn(p)}: the signature data lacks the mandatory type of the signed content.`,
    technical: () => 'no contentType attribute',
    remedy: REMEDY_RESIGN_TOOL,
  },
  CONTENT_TYPE_MISMATCH: {
    severity: 'error',
    vi: (p) => `${sig(p)}: loại nội dung được ký khai báo trong dữ liệu chữ ký không khớp với nội dung.`,
    en: (p) => `${sigEn(p)}: the type of signed content the signature declares does not match the content.`,
    technical: () => 'contentType attribute mismatch',
    remedy: REMEDY_RESIGN_TOOL,
  },
  SIGNATURE_INVALID: {
    severity: 'error',
    vi: (p) => `${sig(p)}: giá trị chữ ký không đúng với khóa công khai của người ký.`,
    en: (p) => `${sigEn(p)}: the signature value does not verify with the signer's public key.`,
    remedy: REMEDY_USE_ORIGINAL,
  },
  SIGNING_CERTIFICATE_MISMATCH: {
    severity: 'error',
    vi: (p) => `${sig(p)}: dữ liệu chữ ký chỉ tới một chứng thư số khác với chứng thư của người ký.`,
    en: (p) => `${sigEn(p)}: the signature data names another certificate than the signer's.`,
    technical: () => 'signingCertificate attribute names another certificate',
    remedy: REMEDY_RESIGN_TOOL,
  },
  ECONTENT_IN_DETACHED: {
    severity: 'error',
    vi: (p) => `${sig(p)}: dữ liệu chữ ký tự chứa một nội dung được ký riêng thay vì ký trên chính tệp PDF — chữ ký không bảo đảm cho nội dung văn bản.`,
    en: (p) => `${sigEn(p)}: the signature data holds signed content of its own instead of signing the PDF itself — the signature does not vouch for the document.`,
    technical: () => 'eContent in a detached CMS signature',
    remedy: REMEDY_RESIGN_TOOL,
  },
  MULTIPLE_SIGNERS: {
    severity: 'warning',
    vi: (p) => `${sig(p)}: dữ liệu chữ ký chứa nhiều người ký; chỉ người ký đầu tiên được đánh giá.`,
    en: (p) => `${sigEn(p)}: the signature data holds several signers; only the first is judged.`,
    remedy: { vi: 'Mỗi người ký tạo một chữ ký số riêng; bộ phận CNTT kiểm tra cấu hình phần mềm ký số.', en: "Each signer makes a signature of their own; IT checks the signing software's settings." },
  },
  // ── time ───────────────────────────────────────────────────────────────────────────────────────────────
  TIMESTAMP_INVALID: {
    severity: 'warning',
    vi: (p) => `${sig(p)}: dấu thời gian không hợp lệ; dùng thời điểm ký do người ký khai báo.`,
    en: (p) => `${sigEn(p)}: invalid timestamp; the signer's claimed time is used.`,
    remedy: { vi: 'Không cần ký lại; bộ phận CNTT kiểm tra dịch vụ cấp dấu thời gian của phần mềm ký số.', en: "No need to sign again; IT checks the signing software's timestamp service." },
  },
  SIGNING_TIME_FROM_M: {
    severity: 'info',
    vi: (p) => `${sig(p)}: không có dấu thời gian hay thời điểm ký trong dữ liệu chữ ký; thời điểm ký lấy theo thời gian ghi trong tệp PDF.`,
    en: (p) => `${sigEn(p)}: no timestamp or signing time in the signature data; signing time taken from the time written in the PDF.`,
    technical: () => 'signing time from the signature dictionary /M',
    remedy: { vi: 'Không cần xử lý; bộ phận CNTT nên bật dấu thời gian trong phần mềm ký số.', en: 'No action needed; IT should turn on timestamps in the signing software.' },
  },
  SIGNING_TIME_UNKNOWN: {
    severity: 'warning',
    vi: (p) => `${sig(p)}: không xác định được thời điểm ký; chứng thư số được kiểm tra tại thời điểm hiện tại.`,
    en: (p) => `${sigEn(p)}: signing time unknown; the certificate is checked at the current time.`,
    remedy: { vi: 'Bộ phận CNTT cấu hình phần mềm ký số ghi thời điểm ký hoặc dấu thời gian; ký số lại nếu chứng thư số đã hết hạn.', en: 'IT sets the signing software to record the signing time or a timestamp; sign again if the certificate has since expired.' },
  },
  // ── changes after signing ──────────────────────────────────────────────────────────────────────────────
  MODIFIED_AFTER_SIGNING: {
    severity: 'error',
    vi: (p) => `Tài liệu đã bị thay đổi sau khi ký: phiên bản ${p.revision} không phải là chữ ký số, dữ liệu kiểm tra (DSS) hay dấu thời gian.`,
    en: (p) => `The document was changed after signing: revision ${p.revision} is not a signature, DSS or timestamp update.`,
    remedy: REMEDY_USE_ORIGINAL,
  },
  TRAILING_BYTES: {
    severity: 'error',
    vi: () => 'Tệp có dữ liệu được thêm vào sau phần cuối đã ký mà không phải là một lần cập nhật hợp lệ.',
    en: () => 'Data was appended after the end of the signed file that is not a proper update.',
    technical: (p) => `${p.bytes} bytes after the last %%EOF`,
    remedy: REMEDY_USE_ORIGINAL,
  },
  SIGNATURE_DICTIONARY_MODIFIED: {
    severity: 'error',
    vi: (p) => `${sig(p)}: thông tin của chữ ký bị ghi đè sau khi ký (lý do, tên người ký hiển thị có thể bị giả mạo); báo cáo dùng thông tin trong bản đã ký.`,
    en: (p) => `${sigEn(p)}: the signature's information was overwritten after signing (displayed reason or name may be spoofed); the report uses the signed version's.`,
    technical: () => 'signature dictionary overwritten in a later revision',
    remedy: REMEDY_USE_ORIGINAL,
  },
  NOT_WHOLE_FILE: {
    severity: 'info',
    vi: (p) => `${sig(p)} không bao phủ toàn bộ tệp (có phiên bản cập nhật sau chữ ký).`,
    en: (p) => `${sigEn(p)} does not cover the whole file (later revisions follow it).`,
    remedy: { vi: 'Không cần xử lý nếu phần sau là chữ ký số khác; xem các lỗi khác của văn bản.', en: "No action if what follows is another signature; see the document's other findings." },
  },
  // ── structure ──────────────────────────────────────────────────────────────────────────────────────────
  ENCRYPTED: {
    severity: 'warning',
    vi: (p) => (p.decrypted ? 'Tệp được mã hóa (mật khẩu người dùng rỗng) và đã được giải mã để kiểm tra.' : 'Tệp được mã hóa và không giải mã được: chỉ kiểm tra được chữ ký số và dữ liệu chữ ký; thông tin hiển thị (lý do, tên) và nội dung trang không đọc được.'),
    en: (p) => (p.decrypted ? 'The file is encrypted (empty user password) and was decrypted for checking.' : 'The file is encrypted and could not be decrypted: signatures are checked, displayed texts and page contents could not be read.'),
    remedy: { vi: 'Văn thư phát hành tệp PDF không đặt mật khẩu, không mã hóa.', en: 'The clerk issues the PDF without a password or encryption.' },
  },
  XREF_REPAIRED: {
    severity: 'warning',
    vi: () => 'Cấu trúc tệp bị hỏng; đã được dựng lại bằng cách quét toàn bộ tệp để kiểm tra.',
    en: () => "The file's structure is broken; it was rebuilt by scanning the whole file for checking.",
    technical: () => 'xref table repaired by scanning',
    remedy: { vi: 'Văn thư gửi lại bản gốc đã ký từ hệ thống quản lý văn bản; bộ phận CNTT kiểm tra phần mềm tạo tệp PDF.', en: 'The clerk sends the signed original from the document management system again; IT checks the software that makes the PDF.' },
  },
  USAGE_RIGHTS_IGNORED: {
    severity: 'info',
    vi: (p) => `Bỏ qua ${p.count} chữ ký quyền sử dụng của Adobe Reader: không phải chữ ký số của văn bản.`,
    en: (p) => `${p.count} Adobe Reader usage-rights signature(s) ignored: they are not document signatures.`,
    technical: () => '/Perms /UR3',
    remedy: { vi: 'Không cần xử lý.', en: 'No action needed.' },
  },
  SIGNATURE_SHARED_BY_FIELDS: {
    severity: 'warning',
    vi: (p) => `${sig(p)} được tham chiếu bởi nhiều trường chữ ký (${p.fields}); chỉ tính một lần.`,
    en: (p) => `${sigEn(p)} is referenced by several fields (${p.fields}); counted once.`,
    remedy: { vi: 'Không cần xử lý; bộ phận CNTT kiểm tra phần mềm ký số nếu lặp lại.', en: 'No action needed; IT checks the signing software if it recurs.' },
  },
  CERTIFICATION_SIGNATURE: {
    severity: 'info',
    vi: (p) => `${sig(p)} là chữ ký chứng nhận (quy định những thay đổi được phép sau khi ký).`,
    en: (p) => `${sigEn(p)} is a certification signature (it sets which changes are allowed after signing).`,
    technical: (p) => `DocMDP P=${p.permission}`,
    remedy: { vi: 'Không cần xử lý.', en: 'No action needed.' },
  },
  AGENCY_CERT_NOT_PINNED: {
    severity: 'warning',
    vi: (p) => `${sig(p)}: chứng thư số tổ chức mang tên "${p.unit}" nhưng không phải chứng thư đã đăng ký cho đơn vị này trong danh mục đơn vị.`,
    en: (p) => `${sigEn(p)}: an organization certificate named "${p.unit}" that is not one registered for that unit.`,
    remedy: { vi: 'Bộ phận CNTT đăng ký chứng thư số này cho đơn vị trong danh mục đơn vị; nếu không phải chứng thư của đơn vị, văn thư ký số lại bằng chứng thư số của cơ quan.', en: "IT registers this certificate for the unit in the unit list; if it is not the unit's, the clerk signs again with the agency's certificate." },
  },
  SIGNER_NOT_IN_UNIT: {
    severity: 'warning',
    vi: (p) => `${sig(p)}: người ký "${p.signer}" không có trong danh sách người có thẩm quyền ký của "${p.unit}" trong danh mục đơn vị.`,
    en: (p) => `${sigEn(p)}: the signer "${p.signer}" is not among the people who may sign for "${p.unit}" in the unit registry.`,
    remedy: {
      vi: 'Người có thẩm quyền của đơn vị ký số lại rồi phát hành lại; nếu người ký được giao thẩm quyền, quản trị viên bổ sung người đó vào danh mục đơn vị.',
      en: "The unit's competent person signs again and the document is issued again; if the signer was given the authority, the admin adds them to the unit registry.",
    },
  },
  SIGNER_OUTSIDE_PERIOD: {
    severity: 'warning',
    vi: (p) => `${sig(p)}: "${p.signer}" ký ngày ${p.date}, ngoài thời gian được ký cho "${p.unit}" (${p.periods}).`,
    en: (p) => `${sigEn(p)}: "${p.signer}" signed on ${p.date}, outside their period of signing for "${p.unit}" (${p.periods}).`,
    remedy: {
      vi: 'Người có thẩm quyền tại thời điểm ký ký số lại rồi phát hành lại; nếu thời gian trong danh mục đơn vị chưa đúng, quản trị viên sửa lại.',
      en: 'The person competent at the time signs again and the document is issued again; if the period in the unit registry is wrong, the admin corrects it.',
    },
  },
  // ── unreadable documents (verdict error) ───────────────────────────────────────────────────────────────
  EMPTY_FILE: {
    severity: 'error',
    vi: () => 'Tệp rỗng (0 byte).',
    en: () => 'The file is empty (0 bytes).',
    remedy: REMEDY_RESEND,
  },
  NOT_PDF: {
    severity: 'error',
    vi: () => 'Tệp không phải là tài liệu PDF.',
    en: () => 'The file is not a PDF document.',
    remedy: REMEDY_RESEND,
  },
  TRUNCATED: {
    severity: 'error',
    vi: (p) => `Tệp PDF bị cắt cụt, không đầy đủ.`,
    en: (p) => `The PDF file is truncated.`,
    remedy: REMEDY_RESEND,
  },
  MALFORMED_PDF: {
    severity: 'error',
    vi: (p) => `Tệp PDF bị hỏng cấu trúc, không đọc được.`,
    en: (p) => `The PDF structure is broken and cannot be read.`,
    remedy: REMEDY_RESEND,
  },
  TOO_DEEP: {
    severity: 'error',
    vi: () => 'Tệp PDF có cấu trúc lồng nhau quá sâu (có thể là tệp độc hại).',
    en: () => 'The PDF nests objects too deeply (possibly a malicious file).',
    remedy: REMEDY_SUSPICIOUS,
  },
  TOO_LARGE: {
    severity: 'error',
    vi: (p) => `Tệp PDF có thành phần quá lớn để kiểm tra an toàn.`,
    en: (p) => `The PDF has a part too large to check safely.`,
    remedy: REMEDY_SUSPICIOUS,
  },
  TOO_COMPLEX: {
    severity: 'error',
    vi: (p) => `Tệp PDF có quá nhiều thành phần để kiểm tra an toàn; văn bản thật không có nhiều như vậy (có thể là tệp độc hại).`,
    en: (p) => `The PDF has too many parts to check safely; real documents have nowhere near as many (possibly a malicious file).`,
    remedy: REMEDY_SUSPICIOUS,
  },
  OUT_OF_MEMORY: {
    severity: 'error',
    vi: () => 'Kiểm tra tệp này cần quá nhiều bộ nhớ nên đã bị dừng (có thể là tệp độc hại); các tệp khác vẫn được kiểm tra.',
    en: () => 'Checking this file needed too much memory and was stopped (possibly a malicious file); the other files are still checked.',
    remedy: REMEDY_SUSPICIOUS,
  },
  TIMEOUT: {
    severity: 'error',
    vi: () => 'Quá thời gian cho phép khi kiểm tra tệp này; các tệp khác vẫn được kiểm tra.',
    en: () => 'Checking this file took longer than allowed; the other files are still checked.',
    remedy: { vi: 'Kiểm tra lại tệp này; nếu vẫn quá thời gian, bộ phận CNTT kiểm tra tệp hoặc tăng thời gian cho phép.', en: 'Check this file again; if it still takes too long, IT examines the file or raises the time limit.' },
  },
  UNREADABLE: {
    severity: 'error',
    vi: (p) => `Không đọc được tệp.`,
    en: (p) => `The file could not be read.`,
    remedy: REMEDY_RESEND,
  },
  INTERNAL: {
    severity: 'error',
    vi: (p) => `Lỗi nội bộ khi kiểm tra tệp này; các tệp khác vẫn được kiểm tra.`,
    en: (p) => `Internal error while checking this file; the other files are still checked.`,
    remedy: { vi: 'Bộ phận CNTT báo lỗi cho người phát triển kiemky kèm tệp này; kiểm tra lại sau khi được sửa.', en: 'IT reports the error with this file to the kiemky developers; check again once it is fixed.' },
  },
  // ── change analysis (worker/changes) ─────────────────────────────────────────────────────────────────
  DISALLOWED_CHANGE: {
    severity: 'error',
    vi: (p) => `Thay đổi không được phép sau khi ký, phiên bản ${p.revision}: ${p.what}.`,
    en: (p) => `Change not allowed after signing, revision ${p.revision}: ${p.whatEn}.`,
    remedy: REMEDY_USE_ORIGINAL,
  },
  CHANGED_AFTER_LAST_SIGNATURE: {
    severity: 'error',
    vi: (p) => `Tài liệu đã bị thay đổi sau chữ ký số cuối cùng: phiên bản ${p.revision} không phải là bổ sung dữ liệu kiểm tra (DSS) hay dấu thời gian, và không có chữ ký số nào xác nhận nó.`,
    en: (p) => `The document was changed after its last signature: revision ${p.revision} is not a DSS or document timestamp update, and no signature vouches for it.`,
    remedy: REMEDY_USE_ORIGINAL,
  },
  CHANGE_PERMITTED_NOT_VOUCHED: {
    severity: 'error',
    vi: (p) => `Phiên bản ${p.revision} sau chữ ký số cuối cùng điền biểu mẫu hoặc thêm trường chữ ký: chữ ký chứng nhận cho phép, nhưng không có chữ ký số nào xác nhận nội dung đã điền.`,
    en: (p) => `Revision ${p.revision}, after the last signature, fills in the form or adds a signature field: the certification permits it, but no signature vouches for what was filled in.`,
    technical: (p) => `DocMDP P=${p.permission}`,
    remedy: { vi: 'Người điền biểu mẫu ký số xác nhận nội dung đã điền, hoặc dùng bản gốc đã ký từ hệ thống quản lý văn bản.', en: 'Whoever filled in the form signs what they filled in, or use the signed original from the document management system.' },
  },
  UNVOUCHED_CHANGE: {
    severity: 'error',
    vi: (p) => `Thay đổi được chữ ký chứng nhận cho phép nhưng không được ký xác nhận, phiên bản ${p.revision}: ${p.what}.`,
    en: (p) => `Change the certification permits but nobody signed, revision ${p.revision}: ${p.whatEn}.`,
    remedy: { vi: 'Người điền biểu mẫu ký số xác nhận nội dung đã điền, hoặc dùng bản gốc đã ký từ hệ thống quản lý văn bản.', en: 'Whoever filled in the form signs what they filled in, or use the signed original from the document management system.' },
  },
  SIGNATURE_REVISION_EXTRA_CHANGES: {
    severity: 'error',
    vi: (p) => `Phiên bản ${p.revision} (của chữ ký số #${p.signer}) còn thay đổi ${p.count} đối tượng ngoài trường chữ ký, ô hiển thị và hình con dấu của chính nó: các chữ ký trước đó không còn bảo đảm nội dung hiển thị.`,
    en: (p) => `Revision ${p.revision} (of signature #${p.signer}) also changes ${p.count} object(s) beyond its own signature field, widget and appearance: earlier signatures no longer vouch for what is shown.`,
    remedy: { vi: 'Không sửa văn bản khi ký: người có thẩm quyền và văn thư ký số lại trên bản gốc rồi phát hành lại.', en: 'Do not edit the document while signing: the competent person and the clerk sign the original again and issue it again.' },
  },
  LEADER_SIGNATURE_NO_IMAGE: {
    severity: 'warning',
    vi: (p) => `${sig(p)} của người có thẩm quyền không hiển thị hình ảnh chữ ký (NĐ 30/2020, Phụ lục I: hình ảnh chữ ký màu xanh, định dạng PNG).`,
    en: (p) => `${sigEn(p)} of the competent person shows no signature image (Decree 30/2020, Annex I: a blue PNG signature image).`,
    remedy: { vi: 'Người có thẩm quyền chọn hiển thị hình ảnh chữ ký (màu xanh, PNG) khi ký số; bộ phận CNTT cài mẫu chữ ký trong phần mềm ký số.', en: 'The competent person shows the signature image (blue, PNG) when signing; IT sets the image up in the signing software.' },
  },
  AGENCY_SEAL_NO_IMAGE: {
    severity: 'warning',
    vi: (p) => `${sig(p)} của cơ quan, tổ chức không hiển thị hình ảnh con dấu (NĐ 30/2020, Phụ lục I: hình ảnh dấu màu đỏ, kích thước thực tế).`,
    en: (p) => `${sigEn(p)} of the organization shows no seal image (Decree 30/2020, Annex I: the red seal at real size).`,
    remedy: { vi: 'Văn thư chọn hiển thị hình ảnh con dấu (màu đỏ, kích thước thực tế) khi ký số của cơ quan.', en: 'The clerk shows the seal image (red, real size) when signing for the agency.' },
  },
  AGENCY_SEAL_NOT_OVER_LEADER: {
    severity: 'warning',
    vi: (p) => `Hình con dấu của ${sig(p).toLowerCase()} không trùm lên khoảng 1/3 bên trái hình chữ ký của người có thẩm quyền trên cùng trang (NĐ 30/2020, Phụ lục I).`,
    en: (p) => `The seal image of ${sigEn(p).toLowerCase()} does not cover about the left third of the competent person's signature image on the same page (Decree 30/2020, Annex I).`,
    remedy: { vi: 'Văn thư đặt hình con dấu trùm lên khoảng 1/3 bên trái hình chữ ký của người có thẩm quyền khi ký số.', en: "The clerk places the seal image over about the left third of the competent person's signature image when signing." },
  },
  ATTACHMENT_SIGNATURE_HAS_IMAGE: {
    severity: 'warning',
    vi: (p) => `Tệp chỉ có ${sig(p).toLowerCase()} của cơ quan: nếu là phụ lục/tệp đính kèm, chữ ký số của cơ quan không kèm hình ảnh con dấu mà ghi số, ký hiệu văn bản và thời gian ký ở góc trên bên phải trang đầu (NĐ 30/2020, Phụ lục I).`,
    en: (p) => `Only an organization signature (${sigEn(p).toLowerCase()}): if this is an attachment, the agency signature carries no seal image but the document number and signing time at the top right of page 1 (Decree 30/2020, Annex I).`,
    remedy: { vi: 'Nếu là phụ lục, văn thư ký số không kèm hình con dấu, ghi số, ký hiệu và thời gian ký ở góc trên bên phải trang đầu; nếu là văn bản chính, người có thẩm quyền phải ký số trước.', en: 'For an attachment, the clerk signs without the seal image and writes the number and signing time at the top right of page 1; for the main document, the competent person must sign first.' },
  },
} satisfies Record<string, MessageDef>;

export type FindingCode = keyof typeof MESSAGES;

/** Builds a finding from the catalog. Unknown codes are a programming error and fail loudly in tests. */
export function finding(code: FindingCode, params: Params = {}, signature: number | null = null): Finding {
  const def: MessageDef = MESSAGES[code];
  const p: Params = { ...params, signature: signature ?? undefined };
  const detailText = [def.technical?.(p), p.detail].filter((d) => d != null && d !== '').join(': ');
  return {
    code,
    severity: def.severity,
    message: def.vi(p),
    messageEn: def.en(p),
    signature,
    ...(detailText ? { detail: String(detailText) } : {}),
    remedy: def.remedy.vi,
    remedyEn: def.remedy.en,
  };
}

/** What to do about a finding of the verification core, or null for a code it does not know. */
export function remedyFor(code: string): Remedy | null {
  return isFindingCode(code) ? MESSAGES[code].remedy : null;
}

export function isFindingCode(code: string): code is FindingCode {
  return Object.prototype.hasOwnProperty.call(MESSAGES, code);
}

/**
 * Finding for a lower layer's problem code; codes unknown to the catalog fall back to a generic text. The lower
 * layer's detail (offsets, key names) goes to the finding's detail field, never into the message.
 */
export function findingForProblem(code: string, detailText: string, signature: number | null, fallback: FindingCode): Finding {
  if (isFindingCode(code)) return finding(code, { detail: detailText }, signature);
  const f = finding(fallback, { detail: detailText ? `${code}: ${detailText}` : code }, signature);
  return { ...f, code };
}
