import { apiFormats, DEFAULT_API_FORMAT } from '../report/formats';
import type { ReportFormat } from '../report/format';
import { CSV_SEPARATOR_NAMES } from '../report/format-csv';
import { API_ERRORS } from './errors';
import { accountPaths, accountSchemas, sessionSecurityScheme, tokenListOperation } from './openapi-accounts';
import { listBatchesOperation, queryPaths, querySchemas } from './openapi-queries';
import { rejudgePaths } from './openapi-rejudge';
import { issuerParams, reportPaths } from './openapi-reports';

/**
 * The OpenAPI 3.0 description served at /api/openapi.json. Written by hand next to the routes (no generator in
 * the dependencies); a test checks that every route the app answers is listed here. The report schemas below give
 * the outline; the report contract itself, field by field, is served at /api/report.schema.json (docs/).
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

const errorResponse = (description: string): Json => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});

const jsonResponse = (description: string, schema: Json): Json => ({ description, content: { 'application/json': { schema } } });

const monthParams: Json[] = ['from', 'to'].map((name) => ({
  name,
  in: 'query',
  required: false,
  description: `Tháng ${name === 'from' ? 'đầu' : 'cuối'} (gồm cả tháng đó) theo tháng của văn bản, YYYY-MM hoặc MM/YYYY / inclusive month, YYYY-MM or MM/YYYY`,
  schema: { type: 'string', pattern: '^(\\d{4}-(0[1-9]|1[0-2])|(0?[1-9]|1[0-2])/\\d{4})$', example: '2026-11' },
}));

/** A format's media type: its Content-Type without parameters. */
const mediaType = (format: ReportFormat): string => format.contentType.split(';')[0]!.trim();

/** A report body's schema: the contract for JSON, else text or bytes as the format's writer makes them. */
function reportSchema(format: ReportFormat): Json {
  if (mediaType(format) === 'application/json') return ref('BatchReport');
  return format.writer.kind === 'binary' ? { type: 'string', format: 'binary' } : { type: 'string' };
}

/** The report's 200: one body per format the API offers (report/formats.ts), in the registry's order. */
function reportResponse(): Json {
  const formats = apiFormats();
  const files = formats.filter((f) => mediaType(f) !== 'application/json').map((f) => f.name.toUpperCase());
  return {
    description: `BatchReport (JSON), or a ${files.join(' / ')} file`,
    content: Object.fromEntries(formats.map((f): [string, Json] => [mediaType(f), { schema: reportSchema(f) }])),
  };
}

const separatorParam: Json = {
  name: 'separator',
  in: 'query',
  required: false,
  description: "format=csv: the separator (';' by default with lang=vi, as Vietnamese Excel expects; ',' with lang=en)",
  schema: { type: 'string', enum: Object.keys(CSV_SEPARATOR_NAMES) },
};

const common = { '401': errorResponse('Thiếu hoặc sai mã truy cập / missing or invalid token'), '403': errorResponse('Vai trò không được phép / role not allowed') };

export function openApiDocument(version: string): Json {
  return {
    openapi: '3.0.3',
    info: {
      title: 'kiemky API',
      version,
      description:
        'Kiểm tra chữ ký số văn bản đi (NĐ 30/2020/NĐ-CP): tải lên PDF/ZIP kèm sổ đăng ký, xem báo cáo theo lô, văn bản, đơn vị và nhà cung cấp CA. ' +
        'Digital-signature compliance of outgoing documents. Every route but /api/health and POST /api/session needs "Authorization: Bearer <token>" or a signed-in session ' +
          '(cookie kiemky_session, plus the header X-CSRF-Token on POST/PUT/PATCH/DELETE). ' +
        'Errors are { error: { code, message (Vietnamese), messageEn } }.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
    paths: {
      ...accountPaths,
      '/api/health': {
        get: {
          summary: 'Tình trạng dịch vụ / health (no token)',
          security: [],
          responses: { '200': jsonResponse('OK', { type: 'object', properties: { status: { type: 'string', enum: ['ok'] }, version: { type: 'string' } } }) },
        },
      },
      '/api/openapi.json': { get: { summary: 'Tài liệu này / this document', responses: { '200': { description: 'OpenAPI 3.0 JSON' }, ...common } } },
      '/api/report.schema.json': {
        get: {
          summary: 'Lược đồ báo cáo / the report contract',
          description: 'JSON Schema (draft 2020-12) of BatchReport and DocumentReport, field by field: the schema every JSON report is written to.',
          responses: { '200': { description: 'JSON Schema', content: { 'application/schema+json': { schema: { type: 'object' } } } }, ...common },
        },
      },
      '/api/me': { get: { summary: 'Mã truy cập hoặc tài khoản đang dùng / the calling token or signed-in user', responses: { '200': jsonResponse('Token', ref('Token')), ...common } } },
      '/api/batches': {
        get: listBatchesOperation(),
        post: {
          summary: 'Tạo lô kiểm tra / create a batch (admin, clerk)',
          description:
            'files: PDF và/hoặc ZIP (ZIP lồng nhau một cấp); register: sổ đăng ký văn bản đi CSV/XLSX (tùy chọn), ghép theo tên tệp. ' +
            'The bytes and the batch are stored before the 202. A clerk\'s upload counts only for the clerk\'s units: a register row ' +
            'naming another unit is not applied (REGISTER_ROW_OTHER_UNIT, by line number; in the 202\'s findings when no PDF matched ' +
            'it), a document signed by another unit\'s agency counts for no unit (AGENCY_SIGNATURE_OTHER_UNIT), any other for the clerk.',
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['files'],
                  properties: {
                    files: { type: 'array', items: { type: 'string', format: 'binary' } },
                    register: { type: 'string', format: 'binary' },
                  },
                },
              },
            },
          },
          responses: {
            '202': jsonResponse('Đã nhận / accepted', {
              type: 'object',
              required: ['id'],
              properties: { id: { type: 'string' }, status: { type: 'string' }, total: { type: 'integer' }, findings: { type: 'array', items: ref('Finding') } },
            }),
            '400': errorResponse(
              'NOT_MULTIPART, MULTIPART_NO_BOUNDARY, MULTIPART_TRUNCATED, MULTIPART_MALFORMED, BAD_FILE_NAME, NO_FILES, NO_DOCUMENTS, UNEXPECTED_FIELD, ZIP_UNREADABLE, REGISTER_UNREADABLE',
            ),
            '413': errorResponse(
              'FILE_TOO_LARGE, REQUEST_TOO_LARGE, TOO_MANY_FILES, ZIP_TOO_MANY_ENTRIES, ZIP_TOO_LARGE, ZIP_RATIO_TOO_HIGH, REGISTER_TOO_LARGE, REGISTER_TOO_MANY_ROWS, REGISTER_CELL_TOO_LONG (the message names the limit)',
            ),
            ...common,
          },
        },
      },
      '/api/batches/{id}': {
        get: {
          summary: 'Trạng thái lô / batch status (all roles; clerk: own units only)',
          description:
            'A clerk: a batch a clerk of their units uploaded, whole; another batch only while it holds done rows of their units, ' +
            'total/done/errors counting those rows (status stays the batch\'s); else 404, as a batch that does not exist.',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': jsonResponse('Status', ref('BatchStatus')), '404': errorResponse('BATCH_NOT_FOUND'), ...common },
        },
      },
      '/api/batches/{id}/report': {
        get: {
          summary: 'Báo cáo lô / batch report (admin, inspector, clerk: own units only)',
          description:
            'A clerk: a batch a clerk of their units uploaded, whole with its findings; another batch only its rows counted for ' +
            'their units, without findings; 404 when it holds none.',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: apiFormats().map((f) => f.name), default: DEFAULT_API_FORMAT } },
            { name: 'lang', in: 'query', required: false, schema: { type: 'string', enum: ['vi', 'en'], default: 'vi' } },
            { name: 'partial', in: 'query', required: false, description: '1: the results so far of a batch not done', schema: { type: 'string', enum: ['1'] } },
            separatorParam,
            ...issuerParams,
          ],
          responses: {
            '200': reportResponse(),
            '400': errorResponse('BAD_FORMAT'),
            '404': errorResponse('BATCH_NOT_FOUND'),
            '409': errorResponse('BATCH_NOT_DONE'),
            ...common,
          },
        },
      },
      '/api/documents/{sha256}': {
        get: {
          summary: 'Báo cáo một văn bản / one document (admin, inspector, clerk: own units only)',
          description:
            'Admin, inspector: the document as verified (under the name it was first verified under). A clerk: the document as ' +
            'the clerk\'s latest row of it shows it (that row\'s file name, unit and register row); 404 with no such row, exactly ' +
            'as for bytes nobody uploaded — never another unit\'s row of the same bytes.',
          parameters: [{ name: 'sha256', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' } }],
          responses: {
            '200': jsonResponse('DocumentReport', ref('DocumentReport')),
            '400': errorResponse('BAD_SHA256'),
            '404': errorResponse('DOCUMENT_NOT_FOUND'),
            ...common,
          },
        },
      },
      '/api/units': {
        get: {
          summary: 'Tổng hợp theo đơn vị, theo tháng của văn bản / unit summaries by document month (all roles; clerk: own units)',
          description:
            'Over the range, a document counts once per unit however many batches or months of the range hold it. With by=month, ' +
            'one row per unit and month (UnitMonthSummary), each month counting the documents it holds: a document in two months ' +
            'of the range is in both months\' rows, and once in the range\'s.',
          parameters: [
            ...monthParams,
            { name: 'by', in: 'query', required: false, description: 'month: một dòng cho mỗi đơn vị và tháng / a row per unit and month', schema: { type: 'string', enum: ['month'] } },
          ],
          responses: {
            '200': jsonResponse('UnitSummary[], or UnitMonthSummary[] with by=month', {
              oneOf: [
                { type: 'array', items: ref('UnitSummary') },
                { type: 'array', items: ref('UnitMonthSummary') },
              ],
            }),
            '400': errorResponse('BAD_MONTH, BAD_REQUEST'),
            ...common,
          },
        },
      },
      '/api/providers': {
        get: {
          summary: 'Đơn vị × nhà cung cấp CA / units × CA providers (all roles; clerk: own units)',
          description: 'Documents per unit and CA provider over the range, each document once per unit and provider, with the category of the provider\'s CA.',
          parameters: monthParams,
          responses: { '200': jsonResponse('ProviderRow[]', { type: 'array', items: ref('ProviderRow') }), '400': errorResponse('BAD_MONTH'), ...common },
        },
      },
      ...queryPaths(monthParams),
      ...rejudgePaths(),
      ...reportPaths(reportResponse(), separatorParam),
      '/api/tokens': {
        get: tokenListOperation,
        post: {
          summary: 'Tạo mã truy cập / create a token (admin)',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['role'],
                  properties: {
                    role: { type: 'string', enum: ['admin', 'clerk', 'inspector', 'leader'] },
                    unit: { type: 'string' },
                    units: { type: 'array', items: { type: 'string' } },
                    label: { type: 'string' },
                  },
                },
              },
            },
          },
          responses: {
            '201': jsonResponse('Token, with the secret shown once', { allOf: [ref('Token'), { type: 'object', properties: { token: { type: 'string' } } }] }),
            '400': errorResponse('BAD_ROLE, CLERK_NEEDS_UNIT'),
            ...common,
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'kk_… tokens (POST /api/tokens, kiemky token create) or KIEMKY_ADMIN_TOKEN' },
        session: sessionSecurityScheme,
      },
      schemas: {
        ...accountSchemas,
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'messageEn'],
              properties: { code: { type: 'string', enum: Object.keys(API_ERRORS) }, message: { type: 'string' }, messageEn: { type: 'string' } },
            },
          },
        },
        Token: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            role: { type: 'string', enum: ['admin', 'clerk', 'inspector', 'leader'] },
            units: { type: 'array', items: { type: 'string' } },
            label: { type: 'string', nullable: true },
            createdAt: { type: 'string', format: 'date-time' },
            username: { type: 'string', description: 'GET /api/me for a signed-in user only (id is then "user:<username>")' },
          },
        },
        BatchStatus: {
          type: 'object',
          required: ['id', 'status', 'total', 'done', 'errors'],
          properties: {
            id: { type: 'string' },
            status: { type: 'string', enum: ['queued', 'running', 'done'] },
            total: { type: 'integer' },
            done: { type: 'integer' },
            errors: { type: 'integer' },
            createdAt: { type: 'string', format: 'date-time' },
            source: { type: 'string' },
          },
        },
        Finding: {
          type: 'object',
          required: ['code', 'severity', 'message'],
          properties: {
            code: { type: 'string' },
            severity: { type: 'string', enum: ['error', 'warning', 'info'] },
            message: { type: 'string' },
            messageEn: { type: 'string' },
            signature: { type: 'integer', nullable: true },
          },
        },
        BatchReport: {
          type: 'object',
          description: 'The batch report: generatedAt, documents (in file-name order), units and totals (UnitSummary), findings (the batch\'s own)',
          externalDocs: { description: 'The report contract, field by field (JSON Schema)', url: '/api/report.schema.json' },
          required: ['generatedAt', 'documents', 'units', 'totals'],
          properties: {
            generatedAt: { type: 'string', format: 'date-time' },
            documents: { type: 'array', items: ref('DocumentReport') },
            units: { type: 'array', items: ref('UnitSummary') },
            totals: ref('UnitSummary'),
            findings: { type: 'array', items: ref('Finding') },
          },
        },
        DocumentReport: {
          type: 'object',
          description: 'file, sha256, size, unit, register?, verdict, error?, checks, signatures, findings (report contract)',
          required: ['file', 'sha256', 'size', 'unit', 'verdict', 'checks', 'signatures', 'findings'],
          properties: {
            file: { type: 'string' },
            sha256: { type: 'string' },
            size: { type: 'integer' },
            unit: { type: 'string', nullable: true },
            verdict: { type: 'string', enum: ['compliant', 'noncompliant', 'error'] },
            checks: {
              type: 'object',
              properties: Object.fromEntries(
                ['signed', 'twoLayer', 'governmentCa', 'intact', 'certificatesValid', 'strongAlgorithms'].map((k): [string, Json] => [k, { type: 'boolean' }]),
              ),
            },
            signatures: { type: 'array', items: ref('SignatureReport') },
            findings: { type: 'array', items: ref('Finding') },
          },
        },
        SignatureReport: {
          type: 'object',
          description: 'One signature or document timestamp, in revision order (report contract: signer, ca, integrity, certificate, changesAfter …)',
          properties: {
            index: { type: 'integer', description: 'Số thứ tự chữ ký, từ 1 / 1-based, in revision order' },
            field: { type: 'string', nullable: true },
            subFilter: { type: 'string', nullable: true },
            revision: {
              type: 'integer',
              nullable: true,
              minimum: 0,
              description:
                'Phiên bản (lần lưu) mà chữ ký bao phủ, đếm từ 0: 0 là tệp khi được tạo ra, 1 là lần cập nhật gia tăng đầu tiên … ' +
                '/ The revision the signature covers, 0-based: 0 is the file as first written, 1 its first incremental update. ' +
                'Null when the signed bytes end at no revision.',
            },
            integrity: { type: 'string', enum: ['valid', 'invalid'] },
            certificate: { type: 'string', enum: ['valid', 'expired', 'not_yet_valid', 'revoked', 'untrusted', 'invalid'] },
            changesAfter: { type: 'string', enum: ['none', 'allowed', 'disallowed'] },
          },
        },
        UnitSummary: {
          type: 'object',
          required: ['unit', 'documents', 'signed', 'twoLayer', 'governmentCa', 'compliant', 'errors', 'signedPct', 'twoLayerPct', 'governmentCaPct', 'compliantPct', 'providers'],
          properties: {
            unit: { type: 'string', nullable: true },
            documents: { type: 'integer' },
            signed: { type: 'integer' },
            twoLayer: { type: 'integer' },
            governmentCa: { type: 'integer' },
            compliant: { type: 'integer' },
            errors: { type: 'integer' },
            signedPct: { type: 'number' },
            twoLayerPct: { type: 'number' },
            governmentCaPct: { type: 'number' },
            compliantPct: { type: 'number' },
            providers: { type: 'object', additionalProperties: { type: 'integer' } },
          },
        },
        ProviderRow: {
          type: 'object',
          required: ['unit', 'provider', 'category', 'documents'],
          properties: {
            unit: { type: 'string', nullable: true },
            provider: { type: 'string' },
            category: ref('CaCategory'),
            documents: { type: 'integer' },
          },
        },
        ...querySchemas(),
      },
    },
  };
}
