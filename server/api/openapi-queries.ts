import { DOCUMENT_SORTS, VERDICT_FILTERS } from '../shared/queries';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './query-routes';

/**
 * The OpenAPI description of the query routes (query-routes.ts) and their schemas, merged into openapi.ts: kept
 * next to those routes so a change to one is seen beside the other.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string): Json => ({ description, content: { 'application/json': { schema: ref('Error') } } });
const jsonResponse = (description: string, schema: Json): Json => ({ description, content: { 'application/json': { schema } } });
const common = { '401': errorResponse('Thiếu hoặc sai mã truy cập / missing or invalid token'), '403': errorResponse('Vai trò không được phép / role not allowed') };
const query = (name: string, description: string, schema: Json = { type: 'string' }): Json => ({ name, in: 'query', required: false, description, schema });

const pageParams: Json[] = [
  query('page', 'Trang, từ 1 / page, from 1', { type: 'integer', minimum: 1, default: 1 }),
  query('pageSize', `Số dòng mỗi trang / rows per page (≤ ${MAX_PAGE_SIZE})`, { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
];

const documentParams: Json[] = [
  query('verdict', 'Kết luận; pending: chưa kiểm tra xong / verdict; pending: not verified yet', { type: 'string', enum: [...VERDICT_FILTERS] }),
  query('unit', 'Đơn vị / unit'),
  query('code', 'Mã phát hiện trong báo cáo của văn bản / a finding code of the row\'s report (e.g. NOT_TWO_LAYER)'),
  query('provider', 'Nhà cung cấp CA của một chữ ký / CA provider of one of its signatures'),
  query('category', 'Loại CA của một chữ ký / CA category of one of its signatures', { type: 'string', enum: ['government', 'public', 'untrusted'] }),
  query('q', 'Tìm theo tên tệp hoặc số ký hiệu, không phân biệt hoa thường và dấu / file name or số ký hiệu, case- and diacritic-insensitive'),
  query('sort', 'Sắp xếp / order: file, -file, verdict (worst first), unit, number (số ký hiệu), date, -date (register date, else month)', {
    type: 'string',
    enum: [...DOCUMENT_SORTS],
    default: 'file',
  }),
  ...pageParams,
];

const page = (item: string): Json => ({
  type: 'object',
  required: ['items', 'total', 'page', 'pageSize'],
  properties: { items: { type: 'array', items: ref(item) }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } },
});

const clerkScope =
  'A clerk: a batch a clerk of their units uploaded, whole; of another batch only its verified rows counted for their units; nothing else.';

/** GET /api/batches, next to the upload's POST on the same path (openapi.ts). */
export function listBatchesOperation(): Json {
  return {
    summary: 'Danh sách lô, mới nhất trước / batches, newest first (admin, inspector, clerk: own units)',
    description: `${clerkScope} Counts are of the rows the caller sees; status is the batch's.`,
    parameters: pageParams,
    responses: { '200': jsonResponse('A page of batches', page('BatchListItem')), '400': errorResponse('BAD_REQUEST'), ...common },
  };
}

export function queryPaths(monthParams: Json[]): Record<string, Json> {
  return {
    '/api/batches/{id}/documents': {
      get: {
        summary: 'Văn bản của lô / the rows of a batch (admin, inspector, clerk: own units)',
        description: `${clerkScope} A batch the clerk may not see is 404, as one that does not exist.`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, ...documentParams],
        responses: {
          '200': jsonResponse('A page of rows', page('DocumentRow')),
          '400': errorResponse('BAD_REQUEST'),
          '404': errorResponse('BATCH_NOT_FOUND'),
          ...common,
        },
      },
    },
    '/api/batches/{id}/summary': {
      get: {
        summary: 'Tổng hợp theo đơn vị của lô / a batch\'s unit summary and its filters\' lists (admin, inspector, leader, clerk: own units)',
        description:
          `The units and totals are those of the batch's report (GET /api/batches/{id}/report) for the same caller, counted in SQL ` +
          `without reading it; codes and providers are those of its rows, for the filters of GET /api/batches/{id}/documents. ` +
          `Figures only (no file, signer or số ký hiệu), so a leader may read it. ${clerkScope} A batch the clerk may not see is 404.`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': jsonResponse('The summary', ref('BatchSummary')), '404': errorResponse('BATCH_NOT_FOUND'), ...common },
      },
    },
    '/api/documents': {
      get: {
        summary: 'Văn bản theo tháng, đơn vị, kết luận, mã, nhà cung cấp / rows of documents of any batch (admin, inspector, clerk: own units)',
        description: `One row per batch row (a document in two batches is two rows). from/to: the document's month. ${clerkScope}`,
        parameters: [...monthParams, query('batch', 'Mã lô / batch id'), ...documentParams],
        responses: { '200': jsonResponse('A page of rows', page('DocumentRow')), '400': errorResponse('BAD_MONTH, BAD_REQUEST'), ...common },
      },
    },
    '/api/certificates': {
      get: {
        summary: 'Chứng thư số người ký đã gặp / signer certificates seen (admin, inspector, clerk: own units)',
        description:
          'Each signer certificate of the documents of the range, with the documents it signed (each document once per unit, as ' +
          'the unit summary counts it) and the units. expiring: notAfter within 30 days.',
        parameters: [...monthParams, query('unit', 'Đơn vị / unit')],
        responses: {
          '200': jsonResponse('The inventory', { type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref('CertificateRow') } } }),
          '400': errorResponse('BAD_MONTH, BAD_REQUEST'),
          ...common,
        },
      },
    },
  };
}

const nullableString: Json = { type: 'string', nullable: true };

export function querySchemas(): Record<string, Json> {
  return {
    CaCategory: { type: 'string', enum: ['government', 'public', 'untrusted'] },
    BatchListItem: {
      type: 'object',
      required: ['id', 'createdAt', 'source', 'createdBy', 'status', 'total', 'done', 'errors', 'compliant', 'noncompliant'],
      properties: {
        id: { type: 'string' },
        createdAt: { type: 'string', format: 'date-time' },
        source: { type: 'string', description: 'upload, export:<name> …' },
        createdBy: { ...(nullableString as object), description: 'Token or account id; null for an export' },
        status: { type: 'string', enum: ['queued', 'running', 'done'] },
        total: { type: 'integer' },
        done: { type: 'integer' },
        errors: { type: 'integer' },
        compliant: { type: 'integer' },
        noncompliant: { type: 'integer' },
      },
    },
    RowFinding: {
      type: 'object',
      required: ['code', 'severity', 'message', 'messageEn', 'signature', 'remedy', 'remedyEn', 'detail'],
      properties: {
        code: { type: 'string' },
        severity: { type: 'string', enum: ['error', 'warning', 'info'] },
        message: { type: 'string', description: 'Tiếng Việt' },
        messageEn: { type: 'string' },
        signature: { type: 'integer', nullable: true, description: '1-based signature index, null for the document' },
        remedy: { type: 'string', nullable: true, description: 'Cách khắc phục: who does what, Tiếng Việt; null for a code this version does not know' },
        remedyEn: { type: 'string', nullable: true },
        detail: { type: 'string', nullable: true, description: 'For IT: byte offsets, object numbers, PDF key names' },
      },
    },
    DocumentRow: {
      type: 'object',
      required: ['batchId', 'file', 'sha256', 'unit', 'month', 'verdict', 'checks', 'failedChecks', 'findings', 'register', 'providers', 'completedAt'],
      properties: {
        batchId: { type: 'string' },
        file: { type: 'string' },
        sha256: { type: 'string' },
        unit: nullableString,
        month: { type: 'string', nullable: true, pattern: '^\\d{4}-\\d{2}$' },
        verdict: { type: 'string', nullable: true, enum: ['compliant', 'noncompliant', 'error', null], description: 'null: not verified yet' },
        checks: {
          type: 'object',
          nullable: true,
          required: ['signed', 'twoLayer', 'governmentCa', 'intact', 'certificatesValid', 'strongAlgorithms'],
          properties: Object.fromEntries(
            ['signed', 'twoLayer', 'governmentCa', 'intact', 'certificatesValid', 'strongAlgorithms'].map((k): [string, Json] => [k, { type: 'boolean' }]),
          ),
        },
        failedChecks: { type: 'array', items: { type: 'string', enum: ['signed', 'twoLayer', 'governmentCa', 'intact', 'certificatesValid', 'strongAlgorithms'] } },
        findings: { type: 'array', items: ref('RowFinding') },
        register: {
          type: 'object',
          nullable: true,
          required: ['number', 'date', 'summary', 'signer'],
          properties: { number: nullableString, date: nullableString, summary: nullableString, signer: nullableString },
        },
        providers: {
          type: 'array',
          items: { type: 'object', required: ['provider', 'category'], properties: { provider: { type: 'string' }, category: ref('CaCategory') } },
        },
        completedAt: { type: 'string', format: 'date-time', nullable: true },
      },
    },
    BatchSummary: {
      type: 'object',
      required: ['status', 'units', 'totals', 'codes', 'providers'],
      properties: {
        status: { type: 'string', enum: ['queued', 'running', 'done'], description: "The batch's, as GET /api/batches/{id} says it" },
        units: { type: 'array', items: ref('UnitSummary'), description: 'Vietnamese alphabetical order, the unknown unit (null) last' },
        totals: ref('UnitSummary'),
        codes: {
          type: 'array',
          items: {
            type: 'object',
            required: ['code', 'severity', 'documents', 'message', 'messageEn'],
            properties: {
              code: { type: 'string' },
              severity: { type: 'string', enum: ['error', 'warning', 'info'] },
              documents: { type: 'integer', description: 'Rows with a finding of this code' },
              message: { type: 'string', description: 'One finding of this code, Tiếng Việt (a label for the filter)' },
              messageEn: { type: 'string' },
            },
          },
        },
        providers: {
          type: 'array',
          items: {
            type: 'object',
            required: ['provider', 'category', 'documents'],
            properties: { provider: { type: 'string' }, category: ref('CaCategory'), documents: { type: 'integer', description: 'Rows signed by this provider' } },
          },
        },
      },
    },
    UnitMonthSummary: {
      allOf: [ref('UnitSummary'), { type: 'object', required: ['month'], properties: { month: { type: 'string', pattern: '^\\d{4}-\\d{2}$' } } }],
    },
    CertificateRow: {
      type: 'object',
      required: ['fingerprint', 'commonName', 'subject', 'kind', 'provider', 'category', 'serialNumber', 'notBefore', 'notAfter', 'documents', 'units', 'status'],
      properties: {
        fingerprint: { type: 'string', description: 'SHA-256, lower-case hex' },
        commonName: nullableString,
        subject: nullableString,
        kind: { type: 'string', enum: ['personal', 'organization', 'unknown'] },
        provider: { type: 'string' },
        category: ref('CaCategory'),
        serialNumber: nullableString,
        notBefore: { type: 'string', format: 'date-time', nullable: true },
        notAfter: { type: 'string', format: 'date-time', nullable: true },
        documents: { type: 'integer' },
        units: { type: 'array', items: { type: 'string' } },
        status: { type: 'string', enum: ['valid', 'expired', 'expiring'] },
      },
    },
  };
}
