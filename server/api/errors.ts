import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { IngestError } from '../ingest/errors';
import { registerLimitText, type RegisterLimitKind } from '../shared/register-limits';
import { formatSize } from '../shared/sizes';

/**
 * One error shape for every route, `{ error: { code, message, messageEn } }`: the code is what scripts key on,
 * the Vietnamese message is what a clerk reads, the English one is for everyone else. Every text lives in the
 * catalog below so that an HTTP status and its wording never drift apart.
 */

type Params = Record<string, string | number>;

interface ErrorText {
  status: number;
  vi: (p: Params) => string;
  en: (p: Params) => string;
}

const p = (params: Params, key: string): string => String(params[key] ?? '');
/** A size limit as people read it ("50 MB"), or as given when it is not a number. */
const size = (params: Params, key: string, lang: 'vi' | 'en'): string => {
  const v = params[key];
  return typeof v === 'number' ? formatSize(v, lang) : String(v ?? '');
};
const registerReason = (params: Params, lang: 'vi' | 'en'): string =>
  registerLimitText({ kind: p(params, 'kind') as RegisterLimitKind, limit: Number(params.limit), line: typeof params.line === 'number' ? params.line : null }, lang);

export const API_ERRORS = {
  UNAUTHORIZED: {
    status: 401,
    vi: () => 'Cần đăng nhập, hoặc mã truy cập: thêm tiêu đề "Authorization: Bearer <mã>".',
    en: () => 'Sign in, or give a token: add the header "Authorization: Bearer <token>".',
  },
  LOGIN_FAILED: {
    status: 401,
    vi: () => 'Tên đăng nhập hoặc mật khẩu không đúng.',
    en: () => 'Wrong user name or password.',
  },
  LOGIN_THROTTLED: {
    status: 429,
    vi: (x) => `Đăng nhập sai quá nhiều lần; vui lòng thử lại sau ${p(x, 'seconds')} giây.`,
    en: (x) => `Too many failed sign-ins; try again in ${p(x, 'seconds')} seconds.`,
  },
  CSRF: {
    status: 403,
    vi: () => 'Yêu cầu bị từ chối: thiếu hoặc sai mã chống giả mạo (tiêu đề X-CSRF-Token), hoặc gửi từ trang web khác.',
    en: () => 'Request refused: the anti-forgery token (header X-CSRF-Token) is missing or wrong, or it came from another site.',
  },
  BAD_USERNAME: {
    status: 400,
    vi: () => 'Tên đăng nhập không hợp lệ: 1–64 ký tự gồm chữ, số và . _ - @ (không có dấu cách).',
    en: () => 'Invalid user name: 1–64 letters, digits and . _ - @ (no spaces).',
  },
  USERNAME_TAKEN: {
    status: 409,
    vi: (x) => `Tên đăng nhập "${p(x, 'username')}" đã có người dùng.`,
    en: (x) => `The user name "${p(x, 'username')}" is taken.`,
  },
  USER_NOT_FOUND: { status: 404, vi: (x) => `Không có tài khoản "${p(x, 'username')}".`, en: (x) => `No account "${p(x, 'username')}".` },
  TOKEN_NOT_FOUND: { status: 404, vi: (x) => `Không có mã truy cập ${p(x, 'id')}.`, en: (x) => `No token ${p(x, 'id')}.` },
  PASSWORD_TOO_SHORT: {
    status: 400,
    vi: (x) => `Mật khẩu quá ngắn: cần ít nhất ${p(x, 'min')} ký tự.`,
    en: (x) => `The password is too short: at least ${p(x, 'min')} characters.`,
  },
  PASSWORD_TOO_LONG: {
    status: 400,
    vi: (x) => `Mật khẩu quá dài: tối đa ${p(x, 'max')} ký tự.`,
    en: (x) => `The password is too long: at most ${p(x, 'max')} characters.`,
  },
  INVALID_TOKEN: { status: 401, vi: () => 'Mã truy cập không hợp lệ.', en: () => 'Invalid token.' },
  FORBIDDEN: {
    status: 403,
    vi: (x) => `Vai trò "${p(x, 'role')}" không được phép thực hiện thao tác này.`,
    en: (x) => `The role "${p(x, 'role')}" may not do this.`,
  },
  NOT_FOUND: { status: 404, vi: () => 'Không tìm thấy.', en: () => 'Not found.' },
  BATCH_NOT_FOUND: { status: 404, vi: (x) => `Không tìm thấy lô ${p(x, 'id')}.`, en: (x) => `No batch ${p(x, 'id')}.` },
  DOCUMENT_NOT_FOUND: {
    status: 404,
    vi: (x) => `Không tìm thấy văn bản có SHA-256 ${p(x, 'sha256')}.`,
    en: (x) => `No document with SHA-256 ${p(x, 'sha256')}.`,
  },
  BATCH_NOT_DONE: {
    status: 409,
    vi: (x) => `Lô chưa kiểm tra xong (${p(x, 'done')}/${p(x, 'total')}); thêm ?partial=1 để xem kết quả tạm.`,
    en: (x) => `The batch is not finished (${p(x, 'done')}/${p(x, 'total')}); add ?partial=1 for the results so far.`,
  },
  UNITS_INVALID: {
    status: 400,
    // The detail in Vietnamese when the registry parser gave one (worker/registry-parse.ts), else as given.
    vi: (x) => `Danh mục đơn vị không hợp lệ: ${p(x, x.detailVi !== undefined ? 'detailVi' : 'detail')}`,
    en: (x) => `The unit registry is not valid: ${p(x, 'detail')}`,
  },
  BAD_REQUEST: { status: 400, vi: (x) => `Yêu cầu không hợp lệ: ${p(x, 'detail')}`, en: (x) => `Bad request: ${p(x, 'detail')}` },
  BAD_MONTH: {
    status: 400,
    vi: (x) => `Tháng không hợp lệ cho ${p(x, 'name')}: "${p(x, 'value')}" (cần dạng YYYY-MM hoặc MM/YYYY).`,
    en: (x) => `Invalid month for ${p(x, 'name')}: "${p(x, 'value')}" (expected YYYY-MM or MM/YYYY).`,
  },
  BAD_PERIOD: {
    status: 400,
    vi: (x) => `Kỳ báo cáo không hợp lệ: đến tháng ${p(x, 'to')} trước từ tháng ${p(x, 'from')}.`,
    en: (x) => `Invalid period: to ${p(x, 'to')} is before from ${p(x, 'from')}.`,
  },
  BAD_FORMAT: {
    status: 400,
    vi: (x) => `Định dạng không hợp lệ: "${p(x, 'value')}" (chấp nhận: ${p(x, 'allowed')}).`,
    en: (x) => `Invalid format: "${p(x, 'value')}" (allowed: ${p(x, 'allowed')}).`,
  },
  BAD_SHA256: {
    status: 400,
    vi: () => 'SHA-256 phải gồm 64 chữ số thập lục phân.',
    en: () => 'A SHA-256 is 64 hexadecimal digits.',
  },
  BAD_ROLE: {
    status: 400,
    vi: (x) => `Vai trò không hợp lệ: "${p(x, 'value')}" (chấp nhận: admin, clerk, inspector, leader).`,
    en: (x) => `Invalid role: "${p(x, 'value')}" (allowed: admin, clerk, inspector, leader).`,
  },
  CLERK_NEEDS_UNIT: {
    status: 400,
    vi: () => 'Văn thư (clerk) phải gắn với ít nhất một đơn vị.',
    en: () => 'A clerk (token or account) needs at least one unit.',
  },
  NOT_MULTIPART: {
    status: 400,
    vi: () => 'Cần gửi dạng multipart/form-data với trường "files" (PDF hoặc ZIP) và tùy chọn "register".',
    en: () => 'Send multipart/form-data with a "files" field (PDFs or ZIPs) and an optional "register".',
  },
  NO_FILES: {
    status: 400,
    vi: () => 'Chưa có tệp nào trong trường "files".',
    en: () => 'No file in the "files" field.',
  },
  NO_DOCUMENTS: {
    status: 400,
    vi: () => 'Không tìm thấy tệp PDF nào để kiểm tra trong các tệp đã gửi.',
    en: () => 'No PDF file to check in what was sent.',
  },
  UNEXPECTED_FIELD: {
    status: 400,
    vi: (x) => `Trường tệp không được chấp nhận: "${p(x, 'field')}" (chỉ "files" và một "register").`,
    en: (x) => `Unexpected file field "${p(x, 'field')}" (only "files" and one "register").`,
  },
  MULTIPART_NO_BOUNDARY: {
    status: 400,
    vi: () => 'Tiêu đề Content-Type thiếu tham số boundary của multipart/form-data.',
    en: () => 'The Content-Type header lacks the multipart/form-data boundary parameter.',
  },
  MULTIPART_TRUNCATED: {
    status: 400,
    vi: () => 'Nội dung gửi lên bị cắt ngang: biểu mẫu multipart kết thúc trước dấu phân cách cuối cùng.',
    en: () => 'The request body is cut short: the multipart form ends before its closing boundary.',
  },
  MULTIPART_MALFORMED: {
    status: 400,
    vi: () => 'Nội dung multipart/form-data không đúng định dạng (tiêu đề của một phần bị hỏng).',
    en: () => 'Malformed multipart/form-data (a part has a broken header).',
  },
  BAD_FILE_NAME: {
    status: 400,
    vi: (x) => `Tên tệp không hợp lệ: "${p(x, 'name')}" chứa ký tự điều khiển.`,
    en: (x) => `Invalid file name: "${p(x, 'name')}" holds control characters.`,
  },
  FILE_TOO_LARGE: {
    status: 413,
    vi: (x) => `Tệp quá lớn (giới hạn ${size(x, 'limit', 'vi')} mỗi tệp).`,
    en: (x) => `File too large (limit ${size(x, 'limit', 'en')} per file).`,
  },
  REQUEST_TOO_LARGE: {
    status: 413,
    vi: (x) => `Yêu cầu quá lớn (giới hạn ${size(x, 'limit', 'vi')} mỗi lần gửi).`,
    en: (x) => `Request too large (limit ${size(x, 'limit', 'en')} per request).`,
  },
  TOO_MANY_FILES: {
    status: 413,
    vi: (x) => `Quá nhiều tệp trong một lần gửi (giới hạn ${p(x, 'limit')}).`,
    en: (x) => `Too many files in one request (limit ${p(x, 'limit')}).`,
  },
  ZIP_TOO_MANY_ENTRIES: {
    status: 413,
    vi: (x) => `${p(x, 'archive')} có quá nhiều mục (giới hạn ${p(x, 'limit')}).`,
    en: (x) => `${p(x, 'archive')} has too many entries (limit ${p(x, 'limit')}).`,
  },
  ZIP_TOO_LARGE: {
    status: 413,
    vi: (x) => `${p(x, 'archive')} quá lớn khi giải nén (giới hạn ${size(x, 'limit', 'vi')}).`,
    en: (x) => `${p(x, 'archive')} is too large uncompressed (limit ${size(x, 'limit', 'en')}).`,
  },
  ZIP_RATIO_TOO_HIGH: {
    status: 413,
    vi: (x) =>
      `${p(x, 'archive')} giải nén ra quá nhiều so với kích thước tệp nén (giới hạn ${p(x, 'ratio')} lần, tức ${size(x, 'limit', 'vi')} cho tệp này).`,
    en: (x) =>
      `${p(x, 'archive')} expands too much for its size (limit ${p(x, 'ratio')} times, ${size(x, 'limit', 'en')} for this archive).`,
  },
  REGISTER_TOO_LARGE: {
    status: 413,
    vi: (x) => `Sổ đăng ký văn bản đi ${p(x, 'file')}: ${registerReason(x, 'vi')}.`,
    en: (x) => `The register ${p(x, 'file')}: ${registerReason(x, 'en')}.`,
  },
  REGISTER_TOO_MANY_ROWS: {
    status: 413,
    vi: (x) => `Sổ đăng ký văn bản đi ${p(x, 'file')}: ${registerReason(x, 'vi')}.`,
    en: (x) => `The register ${p(x, 'file')}: ${registerReason(x, 'en')}.`,
  },
  REGISTER_CELL_TOO_LONG: {
    status: 413,
    vi: (x) => `Sổ đăng ký văn bản đi ${p(x, 'file')}: ${registerReason(x, 'vi')}.`,
    en: (x) => `The register ${p(x, 'file')}: ${registerReason(x, 'en')}.`,
  },
  ZIP_UNREADABLE: {
    status: 400,
    vi: (x) => `Không đọc được tệp nén ${p(x, 'archive')}: ${p(x, 'detail')}`,
    en: (x) => `Cannot read the archive ${p(x, 'archive')}: ${p(x, 'detail')}`,
  },
  REGISTER_UNREADABLE: {
    status: 400,
    vi: (x) => `Không đọc được sổ đăng ký văn bản đi ${p(x, 'file')}: ${p(x, 'detail')}`,
    en: (x) => `Cannot read the register ${p(x, 'file')}: ${p(x, 'detail')}`,
  },
  INTERNAL: {
    status: 500,
    vi: () => 'Lỗi nội bộ của máy chủ; vui lòng thử lại sau.',
    en: () => 'Internal server error; please try again later.',
  },
} satisfies Record<string, ErrorText>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; messageEn: string };
}

/** Thrown by routes and middleware; the error handler turns it into the one JSON shape. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    readonly params: Params = {},
  ) {
    super(code);
    this.name = 'ApiError';
    this.status = API_ERRORS[code].status;
  }

  body(): ApiErrorBody {
    const text: ErrorText = API_ERRORS[this.code];
    return { error: { code: this.code, message: text.vi(this.params), messageEn: text.en(this.params) } };
  }
}

export function sendError(res: Response, err: ApiError): void {
  res.status(err.status).json(err.body());
}

/** Unknown routes under /api answer in the same shape rather than Express's HTML page. */
export const notFound: RequestHandler = () => {
  throw new ApiError('NOT_FOUND');
};

/** What ingest refused (an upload's archive), answered under the same code: ingest's codes are API codes too. */
function fromIngest(err: IngestError): ApiError {
  return new ApiError(err.code, { ...err.params });
}

/** Express's body parser errors carry a status and a type; anything else unexpected is a 500 and is logged. */
function fromUnknown(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof IngestError) return fromIngest(err);
  const e = err as { status?: unknown; type?: unknown; message?: unknown; limit?: unknown };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    // Express's body parsers say which limit was passed.
    if (e.status === 413) return new ApiError('REQUEST_TOO_LARGE', { limit: typeof e.limit === 'number' ? e.limit : '?' });
    return new ApiError('BAD_REQUEST', { detail: typeof e.type === 'string' ? e.type : String(e.message ?? '') });
  }
  return new ApiError('INTERNAL');
}

export function errorHandler(log: (err: unknown) => void = (err) => console.error(err)): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const apiError = fromUnknown(err);
    if (apiError.status >= 500) log(err);
    sendError(res, apiError);
  };
}
