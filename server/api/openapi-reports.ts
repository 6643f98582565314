import { apiFormats } from '../report/formats';
import { MAX_ISSUER_LENGTH } from './routes';

/**
 * The OpenAPI description of the reports of a period (report-routes.ts) and of the issuer parameters every
 * inspection report takes, merged into openapi.ts: kept next to those routes so a change to one is seen beside the
 * other.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const errorResponse = (description: string): Json => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const common = { '401': errorResponse('Thiếu hoặc sai mã truy cập / missing or invalid token'), '403': errorResponse('Vai trò không được phép / role not allowed') };
const query = (name: string, description: string, schema: Json = { type: 'string' }, required = false): Json => ({ name, in: 'query', required, description, schema });
const month: Json = { type: 'string', pattern: '^(\\d{4}-(0[1-9]|1[0-2])|(0?[1-9]|1[0-2])/\\d{4})$', example: '2026-11' };

/** Who issues an inspection report: its header and signature block, blanks for the inspector when absent. */
export const issuerParams: Json[] = [
  ['parentAgency', 'Cơ quan chủ quản / governing body'],
  ['agency', 'Cơ quan ban hành báo cáo / issuing agency'],
  ['place', 'Địa danh ghi ngày tháng / place of the date line'],
  ['signerTitle', 'Chức vụ người ký / title of the signer'],
  ['signerName', 'Họ tên người ký / name of the signer'],
].map(([name, description]) => query(name!, `${description} (≤ ${MAX_ISSUER_LENGTH})`, { type: 'string', maxLength: MAX_ISSUER_LENGTH }));

const periodParams: Json[] = [
  query('from', 'Tháng đầu của kỳ (gồm cả tháng đó), YYYY-MM hoặc MM/YYYY / first month of the period, inclusive', month, true),
  query('to', 'Tháng cuối của kỳ (mặc định: from) / last month, inclusive (default: from)', month),
  {
    name: 'unit',
    in: 'query',
    required: false,
    description: 'Đơn vị, lặp lại được; không có: mọi đơn vị / units, repeatable; none: every unit. A clerk: within their own units.',
    schema: { type: 'array', items: { type: 'string' } },
    style: 'form',
    explode: true,
  },
  query('lang', 'Ngôn ngữ / language', { type: 'string', enum: ['vi', 'en'], default: 'vi' }),
];

const scope =
  "The figures are those of GET /api/units for the same range (a document counted once per unit however many batches or months hold it). A clerk's report holds only their units; a unit not theirs answers as a unit with no documents.";

/** `reportResponse`: openapi.ts's description of a report in any format of the registry. */
export function reportPaths(reportResponse: Json, separatorParam: Json): Record<string, Json> {
  return {
    '/api/reports': {
      get: {
        summary: 'Dự thảo báo cáo kiểm tra một kỳ / the inspection report of a period (all roles; clerk: own units)',
        description: `The inspection report drafted for the period (Decree 30/2020 layout; Word by default, PDF, or any other format of the API), saved as bao-cao-kiem-tra-FROM_TO.EXT. ${scope}`,
        parameters: [
          ...periodParams,
          query('format', 'Định dạng / format', { type: 'string', enum: apiFormats().map((f) => f.name), default: 'docx' }),
          separatorParam,
          ...issuerParams,
        ],
        responses: { '200': reportResponse, '400': errorResponse('BAD_MONTH, BAD_PERIOD, BAD_FORMAT, BAD_REQUEST'), ...common },
      },
    },
    '/api/reports/summary': {
      get: {
        summary: 'Trang tổng hợp cho lãnh đạo / the leader\'s one page (all roles; clerk: own units)',
        description: `A4 landscape PDF: the period's rates by unit, ranked, against the period of as many months just before; saved as ty-le-ky-so-FROM_TO.pdf. ${scope}`,
        parameters: [...periodParams, ...issuerParams],
        responses: {
          '200': { description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } },
          '400': errorResponse('BAD_MONTH, BAD_PERIOD, BAD_REQUEST'),
          ...common,
        },
      },
    },
  };
}
