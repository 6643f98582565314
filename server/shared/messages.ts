import type { Finding, Severity } from '../../worker/report';
import { remedyFor, type Remedy } from '../../worker/policy/messages';
import { vietnamDay } from './time';
import { registerLimitText, type RegisterLimitKind } from './register-limits';

/**
 * Every text the command line shows or writes, Vietnamese first (clerks and inspectors read it) and English for
 * `--lang en`, in one catalog so that the two never drift apart. Findings about single documents come from the
 * verification core (worker/policy/messages.ts); the ones here are about the batch: the register and archives.
 */

export type Lang = 'vi' | 'en';
export type Params = Record<string, string | number | null | undefined>;

interface Text {
  vi: (p: Params) => string;
  en: (p: Params) => string;
}

const s = (p: Params, key: string): string => String(p[key] ?? '');
/** A date parameter (ISO YYYY-MM-DD) as people write it, dd/mm/yyyy. */
const day = (p: Params, key: string): string => vietnamDay(s(p, key)) ?? '';
const limitReason = (p: Params, lang: Lang): string =>
  registerLimitText({ kind: s(p, 'kind') as RegisterLimitKind, limit: Number(p.limit), line: typeof p.line === 'number' ? p.line : null }, lang);

export const TEXTS = {
  usage: {
    vi: (p) =>
      [
        'kiemky — kiểm tra chữ ký số văn bản đi (NĐ 30/2020/NĐ-CP)',
        '',
        'Cách dùng:',
        '  kiemky check <tệp, thư mục hoặc .zip>... [tùy chọn]',
        '  kiemky serve [tùy chọn dịch vụ]          chạy API (Express); không có REDIS_URL thì tự kiểm tra trong tiến trình',
        '  kiemky worker [tùy chọn dịch vụ]         chạy tiến trình kiểm tra nhận việc từ Redis (BullMQ)',
        '  kiemky token create --role VAI_TRÒ [--unit ĐƠN_VỊ]... [--label NHÃN]   tạo mã truy cập API',
        '  kiemky user create --username TÊN --role VAI_TRÒ [--unit ĐƠN_VỊ]... --password-stdin',
        '                                           tạo tài khoản đăng nhập (mật khẩu đọc từ đầu vào chuẩn, ≥ 10 ký tự)',
        '  kiemky report --from THÁNG [--to THÁNG] [--unit ĐƠN_VỊ]... [--format docx|pdf|…] --out TỆP',
        '                                           báo cáo kiểm tra một kỳ (các tháng, dạng YYYY-MM hoặc MM/YYYY) lấy từ',
        '                                           cơ sở dữ liệu của serve (DATA_DIR hoặc DATABASE_URL); mặc định docx',
        '  kiemky report --summary --from THÁNG [--to THÁNG] [--unit ĐƠN_VỊ]... --out TỆP.pdf',
        '                                           trang tổng hợp cho lãnh đạo (PDF): tỷ lệ theo đơn vị, so với kỳ trước',
        '  kiemky rejudge [--from THÁNG --to THÁNG | --batch MÃ_LÔ] [--certs THƯ_MỤC] [--units TỆP] [--revocation online]',
        '                                           kiểm tra lại văn bản đã lưu từ dữ kiện đã lưu (không cần tệp PDF) với',
        '                                           kho chứng thư và danh mục đơn vị hiện tại; lưu lịch sử kết luận;',
        '                                           --revocation online: tải lại CRL/OCSP và giữ cùng dữ kiện',
        '  kiemky --help | --version',
        '',
        'Thông tin cơ quan ban hành báo cáo (check và report với docx/pdf; bỏ trống thì để dấu chấm cho người kiểm tra điền):',
        '  --parent-agency TÊN  cơ quan chủ quản        --agency TÊN        cơ quan ban hành báo cáo',
        '  --place ĐỊA_DANH     địa danh ghi ngày tháng --signer-title CHỨC_VỤ  --signer-name HỌ_TÊN  người ký',
        '',
        'Tùy chọn của lệnh check:',
        '  --certs THƯ_MỤC      kho chứng thư tin cậy (mặc định: certs/ đi kèm chương trình)',
        '  --register TỆP       sổ đăng ký văn bản đi (.csv hoặc .xlsx) để đối chiếu',
        '  --units TỆP          danh mục đơn vị (JSON) ghim chứng thư số tổ chức của từng đơn vị',
        `  --format ĐỊNH_DẠNG   ${s(p, 'formats')}`,
        s(p, 'formatLines'),
        `  --out TỆP            ghi kết quả ra tệp thay vì màn hình (bắt buộc với ${s(p, 'notToTerminal')})`,
        '  --lang vi|en         ngôn ngữ hiển thị (mặc định: vi)',
        "  --csv-separator ';'|','|tab",
        '                       ký tự phân cách của CSV (mặc định: ; với --lang vi, như Excel tiếng Việt; , với --lang en)',
        '  --jobs N             số luồng kiểm tra song song (mặc định: số lõi CPU)',
        '  --revocation online|offline',
        '                       online: tải CRL/OCSP theo địa chỉ ghi trong chứng thư số (mặc định offline: chỉ dữ liệu có trong văn bản và certs/crl/)',
        '  --revocation-cache THƯ_MỤC',
        '                       nơi lưu CRL/OCSP đã tải, dùng lại đến nextUpdate (mặc định ~/.cache/kiemky/revocation)',
        '',
        'Mã thoát: 0 — mọi văn bản đạt; 1 — có văn bản không đạt hoặc lỗi; 2 — dùng lệnh sai.',
        '',
        'Tùy chọn dịch vụ (serve, worker; mỗi tùy chọn thắng biến môi trường tương ứng):',
        '  --port N             cổng HTTP (PORT, mặc định 8080)',
        '  --host ĐỊA_CHỈ       giao diện mạng lắng nghe (HOST, mặc định 127.0.0.1: chỉ máy này; 0.0.0.0: mọi giao diện)',
        '  --data-dir THƯ_MỤC   tệp đã tải lên, cơ sở dữ liệu nhúng, tệp tạm (DATA_DIR, mặc định ./data)',
        '  --certs THƯ_MỤC      kho chứng thư tin cậy (CERTS_DIR)',
        '  --redis-url URL      hàng đợi BullMQ trên Redis (REDIS_URL); không có thì kiểm tra trong tiến trình',
        '  --database-url URL   PostgreSQL (DATABASE_URL); không có thì dùng cơ sở dữ liệu nhúng trong DATA_DIR',
        '  --export-dir THƯ_MỤC thư mục kết xuất của hệ thống quản lý văn bản (EXPORT_DIR), tự lấy mỗi bản kết xuất mới',
        '  --concurrency N      số văn bản kiểm tra cùng lúc (KIEMKY_CONCURRENCY, mặc định số lõi CPU)',
        '  KIEMKY_ADMIN_TOKEN   (biến môi trường) mã truy cập quản trị',
        '',
        'Vai trò của mã truy cập: admin (toàn quyền), clerk (văn thư: tải lên, chỉ xem đơn vị mình — cần --unit),',
        'inspector (đoàn kiểm tra: xem tất cả), leader (lãnh đạo: tổng hợp đơn vị, nhà cung cấp CA, trạng thái lô, báo cáo của kỳ).',
      ].join('\n'),
    en: (p) =>
      [
        'kiemky — digital-signature compliance of outgoing documents (Decree 30/2020/ND-CP)',
        '',
        'Usage:',
        '  kiemky check <files, folders or .zip>... [options]',
        '  kiemky serve [service options]           run the API (Express); without REDIS_URL it verifies in-process',
        '  kiemky worker [service options]          run a verification worker taking jobs from Redis (BullMQ)',
        '  kiemky token create --role ROLE [--unit UNIT]... [--label LABEL]   create an API token',
        '  kiemky user create --username NAME --role ROLE [--unit UNIT]... --password-stdin',
        '                                           create a sign-in account (password read from stdin, ≥ 10 characters)',
        '  kiemky report --from MONTH [--to MONTH] [--unit UNIT]... [--format docx|pdf|…] --out FILE',
        '                                           the inspection report of a period (months, YYYY-MM or MM/YYYY) from',
        "                                           serve's database (DATA_DIR or DATABASE_URL); docx by default",
        '  kiemky report --summary --from MONTH [--to MONTH] [--unit UNIT]... --out FILE.pdf',
        "                                           the leader's one page (PDF): rates by unit, against the period before",
        '  kiemky rejudge [--from MONTH --to MONTH | --batch ID] [--certs DIR] [--units FILE] [--revocation online]',
        '                                           judge stored documents again from their stored facts (no PDF needed)',
        '                                           with the current trust store and unit registry; keeps the verdict history;',
        '                                           --revocation online: fetch CRLs/OCSP again and keep them with the facts',
        '  kiemky --help | --version',
        '',
        'Who issues the report (check and report in docx/pdf; left out, a dotted blank for the inspector to fill):',
        '  --parent-agency NAME governing body          --agency NAME       issuing agency',
        '  --place PLACE        place of the date line  --signer-title TITLE  --signer-name NAME  who signs',
        '',
        'Options of check:',
        '  --certs DIR          trust store (default: the bundled certs/)',
        '  --register FILE      outgoing-document register (.csv or .xlsx) to cross-check',
        '  --units FILE         unit registry (JSON) pinning each unit\'s organization certificates',
        `  --format FORMAT      ${s(p, 'formats')}`,
        s(p, 'formatLines'),
        `  --out FILE           write the result to a file instead of the terminal (required for ${s(p, 'notToTerminal')})`,
        '  --lang vi|en         display language (default: vi)',
        "  --csv-separator ';'|','|tab",
        "                       the CSV's separator (default: ; with --lang vi, as Vietnamese Excel expects; , with --lang en)",
        '  --jobs N             parallel verification threads (default: number of CPU cores)',
        '  --revocation online|offline',
        "                       online: fetch CRLs/OCSP from the addresses the certificates name (default offline: only what the documents and certs/crl/ carry)",
        '  --revocation-cache DIR',
        '                       where fetched CRLs/OCSP responses are kept until their nextUpdate (default ~/.cache/kiemky/revocation)',
        '',
        'Exit codes: 0 — every document compliant; 1 — some document noncompliant or in error; 2 — usage error.',
        '',
        'Service options (serve, worker; each wins over its environment variable):',
        '  --port N             HTTP port (PORT, default 8080)',
        '  --host ADDRESS       interface to listen on (HOST, default 127.0.0.1: this machine only; 0.0.0.0: every interface)',
        '  --data-dir DIR       uploaded files, embedded database, temporary files (DATA_DIR, default ./data)',
        '  --certs DIR          trust store (CERTS_DIR)',
        '  --redis-url URL      BullMQ queue on Redis (REDIS_URL); without it, verification runs in-process',
        '  --database-url URL   PostgreSQL (DATABASE_URL); without it, an embedded database in DATA_DIR',
        '  --export-dir DIR     the E-office export folder (EXPORT_DIR); every new export is taken automatically',
        '  --concurrency N      documents verified at once (KIEMKY_CONCURRENCY, default: CPU cores)',
        '  KIEMKY_ADMIN_TOKEN   (environment) an admin API token',
        '',
        'Token roles: admin (everything), clerk (upload, own units only — needs --unit), inspector (read all),',
        'leader (unit summaries, CA providers, batch status, the reports of a period).',
      ].join('\n'),
  },
  configInvalid: { vi: (p) => `Cấu hình không hợp lệ: ${s(p, 'detail')}`, en: (p) => `Invalid configuration: ${s(p, 'detail')}` },
  reportRangeReversed: {
    vi: (p) => `Kỳ báo cáo ngược: --to ${s(p, 'to')} trước --from ${s(p, 'from')}.`,
    en: (p) => `The period is reversed: --to ${s(p, 'to')} is before --from ${s(p, 'from')}.`,
  },
  reportNoDatabase: {
    vi: (p) => `Chưa có cơ sở dữ liệu trong DATA_DIR ${s(p, 'dataDir')}: hãy chỉ đúng thư mục dữ liệu của serve (--data-dir) hoặc --database-url.`,
    en: (p) => `There is no database in DATA_DIR ${s(p, 'dataDir')}: point --data-dir at serve's data folder, or give --database-url.`,
  },
  reportWrittenThroughServe: {
    vi: (p) => `Đã ghi báo cáo kỳ ${s(p, 'period')} qua kiemky serve đang chạy (cổng điều khiển 127.0.0.1:${s(p, 'port')}) → ${s(p, 'out')}`,
    en: (p) => `Wrote the report of ${s(p, 'period')} through the running kiemky serve (control port 127.0.0.1:${s(p, 'port')}) → ${s(p, 'out')}`,
  },
  rejudgeThroughServe: {
    vi: (p) => `Đã yêu cầu kiemky serve đang chạy (cổng điều khiển 127.0.0.1:${s(p, 'port')}) kiểm tra lại các văn bản đã lưu; việc ${s(p, 'id')} chạy nền, xem GET /api/admin/rejudge/${s(p, 'id')}`,
    en: (p) => `Asked the running kiemky serve (control port 127.0.0.1:${s(p, 'port')}) to judge the stored documents again; job ${s(p, 'id')} runs in the background, see GET /api/admin/rejudge/${s(p, 'id')}`,
  },
  rejudgeDone: {
    vi: (p) => `Đã kiểm tra lại ${s(p, 'judged')} văn bản từ dữ kiện đã lưu: ${s(p, 'changed')} thay đổi kết quả, ${s(p, 'failed')} không kiểm tra lại được (kho chứng thư ${s(p, 'trust')}…)`,
    en: (p) => `Judged ${s(p, 'judged')} stored documents again from their facts: ${s(p, 'changed')} changed, ${s(p, 'failed')} could not be judged (trust store ${s(p, 'trust')}…)`,
  },
  reportWritten: {
    vi: (p) => `Đã ghi báo cáo kỳ ${s(p, 'period')}: ${s(p, 'documents')} văn bản của ${s(p, 'units')} đơn vị → ${s(p, 'out')}`,
    en: (p) => `Wrote the report of ${s(p, 'period')}: ${s(p, 'documents')} documents of ${s(p, 'units')} units → ${s(p, 'out')}`,
  },
  clerkNeedsUnit: {
    vi: () => 'Mã truy cập của văn thư (clerk) phải gắn với ít nhất một đơn vị: thêm --unit "Tên đơn vị".',
    en: () => 'A clerk token needs at least one unit: add --unit "Unit name".',
  },
  tokenCreated: {
    vi: (p) => `Đã tạo mã truy cập vai trò ${s(p, 'role')}${p.units ? ` cho ${s(p, 'units')}` : ''} (mã số ${s(p, 'id')}). Mã chỉ hiện một lần, hãy lưu lại:`,
    en: (p) => `Created a ${s(p, 'role')} token${p.units ? ` for ${s(p, 'units')}` : ''} (id ${s(p, 'id')}). It is shown once only; keep it:`,
  },
  userCreated: {
    vi: (p) => `Đã tạo tài khoản "${s(p, 'username')}" vai trò ${s(p, 'role')}${p.units ? ` cho ${s(p, 'units')}` : ''}.`,
    en: (p) => `Created the account "${s(p, 'username')}", role ${s(p, 'role')}${p.units ? `, for ${s(p, 'units')}` : ''}.`,
  },
  writtenThroughServe: {
    vi: (p) => `Ghi qua kiemky serve đang chạy (cổng điều khiển 127.0.0.1:${s(p, 'port')}); DATA_DIR: ${s(p, 'dataDir')}; cơ sở dữ liệu: ${s(p, 'database')}`,
    en: (p) => `Written through the running kiemky serve (control port 127.0.0.1:${s(p, 'port')}); DATA_DIR: ${s(p, 'dataDir')}; database: ${s(p, 'database')}`,
  },
  writtenToStore: {
    vi: (p) => `Không có kiemky serve nào đang chạy với DATA_DIR này: đã ghi thẳng vào cơ sở dữ liệu. DATA_DIR: ${s(p, 'dataDir')}; cơ sở dữ liệu: ${s(p, 'database')}`,
    en: (p) => `No kiemky serve runs on this DATA_DIR: written to the database directly. DATA_DIR: ${s(p, 'dataDir')}; database: ${s(p, 'database')}`,
  },
  newDatabase: {
    vi: (p) => `Lưu ý: chưa có cơ sở dữ liệu trong ${s(p, 'dataDir')}, vừa tạo mới. Nếu máy chủ dùng thư mục khác, chạy lại với --data-dir (hoặc DATA_DIR) giống kiemky serve.`,
    en: (p) => `Note: there was no database in ${s(p, 'dataDir')}; a new one was made. If the server uses another folder, run again with the same --data-dir (or DATA_DIR) as kiemky serve.`,
  },
  passwordOnlyStdin: {
    vi: () => 'Mật khẩu chỉ được nhận qua đầu vào chuẩn: thêm --password-stdin, ví dụ: echo "mật khẩu" | kiemky user create ... --password-stdin',
    en: () => 'The password is read from standard input only: add --password-stdin, e.g. echo "password" | kiemky user create ... --password-stdin',
  },
  commandRefused: { vi: (p) => s(p, 'message'), en: (p) => s(p, 'message') },
  serveListening: {
    vi: (p) => `kiemky đang chạy. Mở trình duyệt tại: http://${s(p, 'host')}:${s(p, 'port')}/ (API: /api, tài liệu API: /api/openapi.json). Nhấn Ctrl+C để dừng.`,
    en: (p) => `kiemky is running. Open in a browser: http://${s(p, 'host')}:${s(p, 'port')}/ (API: /api, API description: /api/openapi.json). Press Ctrl+C to stop.`,
  },
  serveNoAdminToken: {
    vi: () => 'Chưa đặt KIEMKY_ADMIN_TOKEN: tạo tài khoản quản trị bằng "kiemky user create --role admin ... --password-stdin" hoặc mã truy cập bằng "kiemky token create --role admin" (được cả khi máy chủ đang chạy).',
    en: () => 'KIEMKY_ADMIN_TOKEN is not set: create an admin account with "kiemky user create --role admin ... --password-stdin", or a token with "kiemky token create --role admin" (also while the server runs).',
  },
  queueWorkerStarted: {
    vi: () => 'kiemky worker đang nhận việc từ Redis. Nhấn Ctrl+C để dừng.',
    en: () => 'kiemky worker is taking jobs from Redis. Press Ctrl+C to stop.',
  },
  usageHint: { vi: () => 'Xem: kiemky --help', en: () => 'See: kiemky --help' },
  unknownCommand: { vi: (p) => `Lệnh không hợp lệ: ${s(p, 'command')}`, en: (p) => `Unknown command: ${s(p, 'command')}` },
  unknownOption: { vi: (p) => `Tùy chọn không hợp lệ: ${s(p, 'option')}`, en: (p) => `Unknown option: ${s(p, 'option')}` },
  missingValue: { vi: (p) => `Thiếu giá trị cho ${s(p, 'option')}`, en: (p) => `Missing value for ${s(p, 'option')}` },
  badValue: {
    vi: (p) => `Giá trị không hợp lệ cho ${s(p, 'option')}: ${s(p, 'value')} (chấp nhận: ${s(p, 'allowed')})`,
    en: (p) => `Invalid value for ${s(p, 'option')}: ${s(p, 'value')} (allowed: ${s(p, 'allowed')})`,
  },
  noInput: { vi: () => 'Chưa chỉ định tệp, thư mục hoặc tệp .zip cần kiểm tra.', en: () => 'No file, folder or .zip to check.' },
  inputNotFound: { vi: (p) => `Không đọc được: ${s(p, 'path')}`, en: (p) => `Cannot read: ${s(p, 'path')}` },
  noDocuments: { vi: () => 'Không tìm thấy tệp PDF nào để kiểm tra.', en: () => 'No PDF file found to check.' },
  certsUnreadable: {
    vi: (p) => `Không đọc được kho chứng thư tin cậy: ${s(p, 'path')}`,
    en: (p) => `Cannot read the trust store: ${s(p, 'path')}`,
  },
  registerUnreadable: {
    vi: (p) => `Không đọc được sổ đăng ký văn bản đi ${s(p, 'path')}: ${s(p, 'detail')}`,
    en: (p) => `Cannot read the register ${s(p, 'path')}: ${s(p, 'detail')}`,
  },
  registerOverLimit: {
    vi: (p) => `Sổ đăng ký văn bản đi ${s(p, 'path')}: ${limitReason(p, 'vi')}. Đặt KIEMKY_MAX_REGISTER_BYTES / KIEMKY_MAX_REGISTER_ROWS để đổi giới hạn.`,
    en: (p) => `The register ${s(p, 'path')}: ${limitReason(p, 'en')}. Set KIEMKY_MAX_REGISTER_BYTES / KIEMKY_MAX_REGISTER_ROWS to change the limits.`,
  },
  registerNoHeader: {
    vi: () => 'không tìm thấy dòng tiêu đề (cần ít nhất 2 cột như "Tên tệp", "Số, ký hiệu văn bản", "Ngày ban hành")',
    en: () => 'no header row found (need at least 2 columns such as "File", "Number", "Date")',
  },
  registerNoFileColumn: {
    vi: () => 'không có cột tên tệp ("Tên tệp", "Tệp" hoặc "File") để ghép với văn bản',
    en: () => 'no file-name column ("Tên tệp", "Tệp" or "File") to match documents by',
  },
  unitsUnreadable: {
    vi: (p) => `Không đọc được danh mục đơn vị ${s(p, 'path')}: ${s(p, 'detail')}`,
    en: (p) => `Cannot read the unit registry ${s(p, 'path')}: ${s(p, 'detail')}`,
  },
  notForTerminal: {
    vi: (p) => `Định dạng ${s(p, 'format')} không thể in ra màn hình: hãy thêm --out TỆP.${s(p, 'extension')}`,
    en: (p) => `The ${s(p, 'format')} format cannot be printed to a terminal: add --out FILE.${s(p, 'extension')}`,
  },
  formatDefault: { vi: () => 'mặc định', en: () => 'default' },
  formatOr: { vi: () => 'hoặc', en: () => 'or' },
  outUnwritable: { vi: (p) => `Không ghi được ${s(p, 'path')}: ${s(p, 'detail')}`, en: (p) => `Cannot write ${s(p, 'path')}: ${s(p, 'detail')}` },
  spoolUnwritable: {
    vi: (p) => `Không ghi được tệp tạm của báo cáo ${s(p, 'format')} trong ${s(p, 'path')} (đặt biến TMPDIR để chọn thư mục khác): ${s(p, 'detail')}`,
    en: (p) => `Cannot write the ${s(p, 'format')} report's temporary files in ${s(p, 'path')} (set TMPDIR to choose another folder): ${s(p, 'detail')}`,
  },
  progress: {
    vi: (p) => `Đang kiểm tra ${s(p, 'done')}/${s(p, 'total')} văn bản (${s(p, 'rate')} văn bản/giây)`,
    en: (p) => `Checking ${s(p, 'done')}/${s(p, 'total')} documents (${s(p, 'rate')} docs/s)`,
  },
  // ── report labels ──────────────────────────────────────────────────────────────────────────────────────
  unknownUnit: { vi: () => '(không xác định)', en: () => '(unknown)' },
  totalRow: { vi: () => 'Tổng cộng', en: () => 'Total' },
  colUnit: { vi: () => 'Đơn vị', en: () => 'Unit' },
  colDocuments: { vi: () => 'Văn bản', en: () => 'Documents' },
  colSigned: { vi: () => 'Đã ký', en: () => 'Signed' },
  colTwoLayer: { vi: () => '2 lớp', en: () => 'Two-layer' },
  colGovernmentCa: { vi: () => 'CA Chính phủ', en: () => 'Government CA' },
  colCompliant: { vi: () => 'Đạt', en: () => 'Compliant' },
  colErrors: { vi: () => 'Lỗi', en: () => 'Errors' },
  // The terminal table's headers when the full ones do not fit its width.
  colDocumentsShort: { vi: () => 'Số VB', en: () => 'Docs' },
  colSignedShort: { vi: () => 'Đã ký', en: () => 'Signed' },
  colTwoLayerShort: { vi: () => '2 lớp', en: () => '2-layer' },
  colGovernmentCaShort: { vi: () => 'CA CP', en: () => 'Gov CA' },
  colCompliantShort: { vi: () => 'Đạt', en: () => 'OK' },
  colErrorsShort: { vi: () => 'Lỗi', en: () => 'Err' },
  colIntact: { vi: () => 'Toàn vẹn', en: () => 'Intact' },
  colCertificatesValid: { vi: () => 'Chứng thư hợp lệ', en: () => 'Certificates valid' },
  colStrongAlgorithms: { vi: () => 'Thuật toán mạnh', en: () => 'Strong algorithms' },
  colFile: { vi: () => 'Tệp', en: () => 'File' },
  colNumber: { vi: () => 'Số ký hiệu', en: () => 'Number' },
  colDate: { vi: () => 'Ngày ban hành', en: () => 'Date' },
  colSummary: { vi: () => 'Trích yếu', en: () => 'Summary' },
  colVerdict: { vi: () => 'Kết luận', en: () => 'Verdict' },
  colProviders: { vi: () => 'Nhà cung cấp CA', en: () => 'CA providers' },
  colPersonalSigner: { vi: () => 'Người ký cá nhân', en: () => 'Personal signer' },
  colOrganizationSigner: { vi: () => 'Người ký tổ chức', en: () => 'Organization signer' },
  colReasons: { vi: () => 'Lý do', en: () => 'Reasons' },
  colRemedies: { vi: () => 'Cách khắc phục', en: () => 'Remedy' },
  colDetail: { vi: () => 'Chi tiết kỹ thuật', en: () => 'Technical detail' },
  colSha256: { vi: () => 'SHA-256', en: () => 'SHA-256' },
  colSize: { vi: () => 'Kích thước (byte)', en: () => 'Size (bytes)' },
  colIndex: { vi: () => 'STT chữ ký', en: () => 'Signature #' },
  colField: { vi: () => 'Trường chữ ký', en: () => 'Field' },
  colSigningTime: { vi: () => 'Thời gian ký', en: () => 'Signing time' },
  colKind: { vi: () => 'Loại chứng thư', en: () => 'Certificate kind' },
  colSigner: { vi: () => 'Người ký', en: () => 'Signer' },
  colOrganization: { vi: () => 'Tổ chức', en: () => 'Organization' },
  colSerial: { vi: () => 'Số hiệu chứng thư', en: () => 'Serial number' },
  colIssuer: { vi: () => 'Tổ chức cấp', en: () => 'Issuer' },
  colCategory: { vi: () => 'Nhóm CA', en: () => 'CA category' },
  colProvider: { vi: () => 'Nhà cung cấp', en: () => 'Provider' },
  colIntegrity: { vi: () => 'Toàn vẹn chữ ký', en: () => 'Integrity' },
  colCertificate: { vi: () => 'Trạng thái chứng thư', en: () => 'Certificate status' },
  colDigest: { vi: () => 'Thuật toán băm', en: () => 'Digest' },
  colCode: { vi: () => 'Mã', en: () => 'Code' },
  colSeverity: { vi: () => 'Mức độ', en: () => 'Severity' },
  colMessage: { vi: () => 'Nội dung', en: () => 'Message' },
  colSignature: { vi: () => 'Chữ ký', en: () => 'Signature' },
  sheetUnits: { vi: () => 'Tổng hợp đơn vị', en: () => 'Unit summary' },
  sheetDocuments: { vi: () => 'Văn bản', en: () => 'Documents' },
  sheetSignatures: { vi: () => 'Chữ ký', en: () => 'Signatures' },
  sheetFindings: { vi: () => 'Phát hiện', en: () => 'Findings' },
  batchLevel: { vi: () => '(toàn bộ lô)', en: () => '(whole batch)' },
  yes: { vi: () => 'có', en: () => 'yes' },
  no: { vi: () => 'không', en: () => 'no' },
  verdict_compliant: { vi: () => 'Đạt', en: () => 'Compliant' },
  verdict_noncompliant: { vi: () => 'Không đạt', en: () => 'Noncompliant' },
  verdict_error: { vi: () => 'Lỗi', en: () => 'Error' },
  failed_signed: { vi: () => 'chưa ký số', en: () => 'not signed' },
  failed_twoLayer: { vi: () => 'thiếu chữ ký 2 lớp', en: () => 'no two-layer signing' },
  failed_governmentCa: {
    vi: () => 'không dùng chứng thư số chuyên dùng Chính phủ',
    en: () => 'not a government certificate',
  },
  failed_intact: { vi: () => 'tài liệu bị thay đổi sau khi ký', en: () => 'changed after signing' },
  failed_certificatesValid: { vi: () => 'chứng thư số không hợp lệ', en: () => 'invalid certificate' },
  failed_strongAlgorithms: { vi: () => 'thuật toán yếu (SHA-1)', en: () => 'weak algorithm (SHA-1)' },
  tableProblems: { vi: () => 'Văn bản không đạt hoặc lỗi:', en: () => 'Noncompliant or failed documents:' },
  tableBatchFindings: { vi: () => 'Phát hiện chung:', en: () => 'Batch findings:' },
  tableTotal: {
    vi: (p) =>
      `Tổng: ${s(p, 'documents')} văn bản — ${s(p, 'compliant')} đạt (${s(p, 'pct')}%), ${s(p, 'noncompliant')} không đạt, ${s(p, 'errors')} lỗi.`,
    en: (p) =>
      `Total: ${s(p, 'documents')} documents — ${s(p, 'compliant')} compliant (${s(p, 'pct')}%), ${s(p, 'noncompliant')} noncompliant, ${s(p, 'errors')} errors.`,
  },
  kind_personal: { vi: () => 'cá nhân', en: () => 'personal' },
  kind_organization: { vi: () => 'tổ chức', en: () => 'organization' },
  kind_unknown: { vi: () => 'không rõ', en: () => 'unknown' },
  severity_error: { vi: () => 'lỗi', en: () => 'error' },
  severity_warning: { vi: () => 'cảnh báo', en: () => 'warning' },
  severity_info: { vi: () => 'thông tin', en: () => 'info' },
  category_government: { vi: () => 'Chính phủ', en: () => 'government' },
  category_public: { vi: () => 'công cộng', en: () => 'public' },
  category_untrusted: { vi: () => 'không tin cậy', en: () => 'untrusted' },
  status_valid: { vi: () => 'hợp lệ', en: () => 'valid' },
  status_invalid: { vi: () => 'không hợp lệ', en: () => 'invalid' },
  status_expired: { vi: () => 'hết hạn', en: () => 'expired' },
  status_not_yet_valid: { vi: () => 'chưa có hiệu lực', en: () => 'not yet valid' },
  status_revoked: { vi: () => 'bị thu hồi', en: () => 'revoked' },
  status_untrusted: { vi: () => 'không tin cậy', en: () => 'untrusted' },
  tableWarnings: { vi: () => 'Cảnh báo (không ảnh hưởng kết luận):', en: () => 'Warnings (verdict unchanged):' },
  providerUntrusted: { vi: () => '(không tin cậy)', en: () => '(untrusted)' },
  providerGovernment: { vi: () => 'Ban Cơ yếu Chính phủ', en: () => 'Ban Cơ yếu Chính phủ' },
  providerUnknown: { vi: () => '(không rõ)', en: () => '(unknown)' },
} satisfies Record<string, Text>;

export type TextKey = keyof typeof TEXTS;

export function t(lang: Lang, key: TextKey, params: Params = {}): string {
  const text: Text = TEXTS[key];
  return text[lang](params);
}

interface FindingText extends Text {
  severity: Severity;
  /** Required so that no new code reaches a clerk without saying what to do. */
  remedy: Remedy;
}

/** Findings the command line adds: the register cross-checks and what it met in archives. */
export const BATCH_FINDINGS = {
  REGISTER_SIGNER_MISMATCH: {
    severity: 'warning',
    vi: (p) => `Người ký trong sổ đăng ký ("${s(p, 'register')}") khác người ký trên chữ ký số cá nhân ("${s(p, 'actual')}").`,
    en: (p) => `The register's signer ("${s(p, 'register')}") differs from the personal signature's signer ("${s(p, 'actual')}").`,
    remedy: { vi: 'Văn thư đối chiếu và sửa người ký trong sổ đăng ký, hoặc trình đúng người có thẩm quyền ký số lại.', en: 'The clerk checks and corrects the signer in the register, or has the right competent person sign again.' },
  },
  REGISTER_UNIT_MISMATCH: {
    severity: 'warning',
    vi: (p) => `Đơn vị ban hành trong sổ đăng ký ("${s(p, 'register')}") khác cơ quan ký số tổ chức ("${s(p, 'actual')}").`,
    en: (p) => `The register's issuing unit ("${s(p, 'register')}") differs from the organization signer ("${s(p, 'actual')}").`,
    remedy: { vi: 'Văn thư sửa đơn vị ban hành trong sổ đăng ký, hoặc ký số lại bằng chứng thư số của đúng cơ quan ban hành.', en: "The clerk corrects the issuing unit in the register, or signs again with the issuing agency's own certificate." },
  },
  REGISTER_DATE_MISMATCH: {
    severity: 'warning',
    vi: (p) =>
      `Ngày ký số (${day(p, 'signed')}) không khớp ngày ban hành trong sổ đăng ký (${day(p, 'register')}): văn bản phải được ký và phát hành trong ngày hoặc chậm nhất ngày làm việc tiếp theo (NĐ 30/2020, Điều 18).`,
    en: (p) =>
      `The signing date (${day(p, 'signed')}) does not match the register date (${day(p, 'register')}): documents are issued the same or the next working day (Decree 30/2020, Art. 18).`,
    remedy: { vi: 'Văn thư sửa ngày ban hành trong sổ đăng ký cho đúng; phát hành văn bản trong ngày ký hoặc ngày làm việc tiếp theo.', en: 'The clerk corrects the date in the register; issue documents on the signing day or the next working day.' },
  },
  REGISTER_ROW_WITHOUT_PDF: {
    severity: 'warning',
    vi: (p) => `Sổ đăng ký có văn bản ${s(p, 'what')} (dòng ${s(p, 'line')}) nhưng không có tệp PDF tương ứng.`,
    en: (p) => `The register lists ${s(p, 'what')} (line ${s(p, 'line')}) but no matching PDF was checked.`,
    remedy: { vi: 'Văn thư bổ sung tệp PDF đã ký của văn bản này vào lô kiểm tra.', en: "The clerk adds this document's signed PDF to the batch." },
  },
  // A clerk's upload counts only for the clerk's units (unit-scope.ts). The texts name the line, never what the
  // refused row or certificate says: the answer to a clerk carries nothing of another unit.
  REGISTER_ROW_OTHER_UNIT: {
    severity: 'warning',
    vi: (p) =>
      `Dòng ${s(p, 'line')} của sổ đăng ký ghi đơn vị ban hành không thuộc đơn vị của mã truy cập đã tải lên: dòng này không được áp dụng (văn thư chỉ báo cáo văn bản của đơn vị mình).`,
    en: (p) =>
      `Register line ${s(p, 'line')} names an issuing unit outside the uploading token's units: the row is not applied (a clerk reports only their own units' documents).`,
    remedy: { vi: 'Văn thư bỏ dòng này khỏi sổ gửi lên; đơn vị ban hành tự báo cáo văn bản của mình.', en: 'The clerk removes this line from the uploaded register; the issuing unit reports its own documents.' },
  },
  AGENCY_SIGNATURE_OTHER_UNIT: {
    severity: 'warning',
    vi: () =>
      'Văn bản mang chữ ký số của cơ quan, tổ chức không thuộc đơn vị của mã truy cập đã tải lên: trong lô này văn bản không được tính cho đơn vị nào.',
    en: () => "The document carries the digital signature of an agency outside the uploading token's units: this batch counts it for no unit.",
    remedy: { vi: 'Văn thư kiểm tra lại: nếu là văn bản của đơn vị mình thì ký số bằng chứng thư số của cơ quan mình và phát hành lại; nếu không, bỏ khỏi lô.', en: "The clerk checks: if the document is their unit's, sign with their own agency's certificate and issue again; if not, remove it from the batch." },
  },
  REGISTER_ROWS_WITHOUT_PDF_MORE: {
    severity: 'warning',
    vi: (p) => `Còn ${s(p, 'count')} dòng khác của sổ đăng ký (từ dòng ${s(p, 'from')}) không có tệp PDF tương ứng.`,
    en: (p) => `${s(p, 'count')} more register rows (from line ${s(p, 'from')} on) have no matching PDF.`,
    remedy: { vi: 'Văn thư bổ sung tệp PDF đã ký của các văn bản này vào lô kiểm tra.', en: "The clerk adds these documents' signed PDFs to the batch." },
  },
  // An export's register (server/ingest/export-register.ts): the reason comes in both languages from the reader.
  EXPORT_REGISTER_UNREADABLE: {
    severity: 'warning',
    vi: (p) => `Không đọc được sổ đăng ký văn bản đi ${s(p, 'file')} trong bản kết xuất: ${s(p, 'detailVi')}. Lô được kiểm tra không đối chiếu sổ.`,
    en: (p) => `Cannot read the register ${s(p, 'file')} in the export: ${s(p, 'detailEn')}. The batch is checked without it.`,
    remedy: {
      vi: 'Văn thư xuất lại sổ đăng ký văn bản đi (CSV hoặc XLSX) từ hệ thống quản lý văn bản, đặt vào thư mục kết xuất rồi kiểm tra lại.',
      en: 'The clerk exports the outgoing-document register again (CSV or XLSX) from the document management system into the export folder and checks again.',
    },
  },
  DOCUMENT_NOT_IN_REGISTER: {
    severity: 'warning',
    vi: () => 'Văn bản không có trong sổ đăng ký văn bản đi.',
    en: () => 'The document is not in the outgoing-document register.',
    remedy: { vi: 'Văn thư vào sổ đăng ký văn bản đi cho văn bản này.', en: 'The clerk enters this document in the outgoing-document register.' },
  },
  ZIP_UNSAFE_PATH: {
    severity: 'warning',
    vi: (p) => `Bỏ qua mục "${s(p, 'entry')}" trong ${s(p, 'archive')}: đường dẫn không an toàn (tuyệt đối hoặc chứa "..").`,
    en: (p) => `Skipped "${s(p, 'entry')}" in ${s(p, 'archive')}: unsafe path (absolute or containing "..").`,
    remedy: { vi: 'Nén lại các tệp PDF trong một thư mục thường rồi gửi lại.', en: 'Compress the PDFs again from an ordinary folder and send them again.' },
  },
  ZIP_TOO_MANY_ENTRIES: {
    severity: 'error',
    vi: (p) => `${s(p, 'archive')} có quá nhiều mục (giới hạn ${s(p, 'limit')}); các mục sau đó không được kiểm tra.`,
    en: (p) => `${s(p, 'archive')} has too many entries (limit ${s(p, 'limit')}); later entries were not checked.`,
    remedy: { vi: 'Chia thành nhiều tệp nén nhỏ hơn rồi gửi lại phần chưa được kiểm tra.', en: 'Split into several smaller archives and send the unchecked part again.' },
  },
  ZIP_TOO_LARGE: {
    severity: 'error',
    vi: (p) => `${s(p, 'archive')} quá lớn khi giải nén (giới hạn ${s(p, 'limit')}); các mục sau đó không được kiểm tra.`,
    en: (p) => `${s(p, 'archive')} is too large uncompressed (limit ${s(p, 'limit')}); later entries were not checked.`,
    remedy: { vi: 'Chia thành nhiều tệp nén nhỏ hơn rồi gửi lại phần chưa được kiểm tra.', en: 'Split into several smaller archives and send the unchecked part again.' },
  },
  ZIP_RATIO_TOO_HIGH: {
    severity: 'error',
    vi: (p) =>
      `${s(p, 'archive')} giải nén ra quá nhiều so với kích thước tệp nén (giới hạn ${s(p, 'ratio')} lần); các mục sau đó không được kiểm tra.`,
    en: (p) => `${s(p, 'archive')} expands too much for its size (limit ${s(p, 'ratio')} times); later entries were not checked.`,
    remedy: { vi: 'Nén lại các tệp PDF bằng công cụ nén thông thường rồi gửi lại; bộ phận CNTT kiểm tra nguồn gốc tệp nén.', en: 'Compress the PDFs again with an ordinary tool and send them again; IT checks where the archive came from.' },
  },
  DUPLICATE_NAME: {
    severity: 'warning',
    vi: (p) => `Tên "${s(p, 'name')}" bị trùng: văn bản sau được ghi là "${s(p, 'renamed')}" để không lẫn với văn bản trước.`,
    en: (p) => `The name "${s(p, 'name')}" occurs twice: the later document is listed as "${s(p, 'renamed')}" so it is not confused with the earlier one.`,
    remedy: { vi: 'Không cần xử lý; nên đặt tên tệp khác nhau cho từng văn bản.', en: 'No action needed; give each document its own file name.' },
  },
  ZIP_NESTED_TOO_DEEP: {
    severity: 'warning',
    vi: (p) => `Bỏ qua ${s(p, 'entry')}: chỉ mở tệp .zip lồng nhau một cấp.`,
    en: (p) => `Skipped ${s(p, 'entry')}: nested .zip files are opened one level deep only.`,
    remedy: { vi: 'Giải nén tệp nén nằm bên trong rồi gửi trực tiếp các tệp PDF.', en: 'Extract the inner archive and send the PDFs themselves.' },
  },
  ZIP_UNREADABLE: {
    severity: 'error',
    vi: (p) => `Không đọc được tệp nén ${s(p, 'archive')}: ${s(p, 'detail')}`,
    en: (p) => `Cannot read the archive ${s(p, 'archive')}: ${s(p, 'detail')}`,
    remedy: { vi: 'Nén lại và gửi lại tệp; nếu vẫn lỗi, bộ phận CNTT kiểm tra tệp nén.', en: 'Compress and send the files again; if it still fails, IT checks the archive.' },
  },
} satisfies Record<string, FindingText>;

export type BatchFindingCode = keyof typeof BATCH_FINDINGS;

export function batchFinding(code: BatchFindingCode, params: Params = {}): Finding {
  const def: FindingText = BATCH_FINDINGS[code];
  return { code, severity: def.severity, message: def.vi(params), messageEn: def.en(params), signature: null, remedy: def.remedy.vi, remedyEn: def.remedy.en };
}

/** What to do about a finding in the chosen language: the one it carries, else the catalog's (older reports). */
export function findingRemedyText(f: Finding, lang: Lang): string | null {
  const carried = lang === 'en' ? f.remedyEn : f.remedy;
  return carried ?? findingRemedy(f.code, lang);
}

/** A finding's text in the chosen language (English falls back to Vietnamese when a finding has none). */
export function findingText(f: Finding, lang: Lang): string {
  return lang === 'en' ? (f.messageEn ?? f.message) : f.message;
}

/**
 * What to do about a finding, worker or batch code alike, in the chosen language; null for a code neither catalog
 * knows (a report written by an older or newer version).
 */
export function findingRemedy(code: string, lang: Lang): string | null {
  const remedy = Object.prototype.hasOwnProperty.call(BATCH_FINDINGS, code) ? BATCH_FINDINGS[code as BatchFindingCode].remedy : remedyFor(code);
  return remedy ? remedy[lang] : null;
}
