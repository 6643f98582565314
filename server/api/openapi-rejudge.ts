/**
 * The OpenAPI description of rejudge-routes.ts (judging stored documents again, a document's history of verdicts),
 * merged into openapi.ts.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string): Json => ({ description, content: { 'application/json': { schema: ref('Error') } } });
const jsonResponse = (description: string, schema: Json): Json => ({ description, content: { 'application/json': { schema } } });
const common = { '401': errorResponse('Thiếu hoặc sai mã truy cập / missing or invalid token'), '403': errorResponse('Vai trò không được phép / role not allowed') };

const job: Json = {
  type: 'object',
  required: ['id', 'scope', 'state', 'startedAt', 'finishedAt', 'judged', 'changed', 'failed', 'error'],
  properties: {
    id: { type: 'string' },
    scope: { type: 'object', description: '{batchId} | {from, to} | {notJudgedWith} | {all: true}' },
    state: { type: 'string', enum: ['running', 'done', 'failed'] },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
    judged: { type: 'integer', description: 'documents judged so far' },
    changed: { type: 'integer', description: 'of those, the ones whose report changed (saved, with a history row)' },
    failed: { type: 'integer', description: 'stored facts that could not be judged (another facts version)' },
    error: { type: ['string', 'null'] },
  },
};

const history: Json = {
  type: 'object',
  required: ['judgedAt', 'reason', 'verdict', 'checks', 'findings', 'trustStore', 'revocation', 'units'],
  properties: {
    judgedAt: { type: 'string', format: 'date-time' },
    reason: { type: 'string', enum: ['verified', 'rejudged'] },
    verdict: { type: 'string', enum: ['compliant', 'noncompliant', 'error'] },
    checks: { type: 'object' },
    findings: { type: 'array', items: { type: 'string' }, description: 'finding codes of the report' },
    trustStore: { type: ['string', 'null'], description: 'SHA-256 of the trust store contents it was judged with' },
    revocation: { type: ['string', 'null'] },
    units: { type: ['string', 'null'], description: 'SHA-256 of the unit registry it was judged with' },
  },
};

export function rejudgePaths(): Record<string, Json> {
  const sha = { name: 'sha256', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' } };
  return {
    '/api/admin/rejudge': {
      post: {
        summary: 'Kiểm tra lại từ dữ kiện đã lưu / judge stored documents again (admin)',
        description:
          'Judges the stored facts of the documents in scope again with the current trust store and unit registry, without their PDFs, in the background. A report that changes is saved and gets a history row. Body: {batchId} or {from, to} (YYYY-MM), or {} for every stored document.',
        requestBody: {
          required: false,
          content: { 'application/json': { schema: { type: 'object', properties: { batchId: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } } } },
        },
        responses: { '202': jsonResponse('The job, started', job), '400': errorResponse('BAD_REQUEST, BAD_MONTH, BAD_PERIOD'), ...common },
      },
    },
    '/api/admin/rejudge/{id}': {
      get: {
        summary: 'Tiến độ kiểm tra lại / a re-judging job (admin)',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': jsonResponse('The job', job), '404': errorResponse('NOT_FOUND'), ...common },
      },
    },
    '/api/documents/{sha256}/history': {
      get: {
        summary: 'Lịch sử kết luận của văn bản / a document\'s history of verdicts (all roles that read documents; clerk: own units)',
        parameters: [sha],
        responses: {
          '200': jsonResponse('Oldest first', { type: 'object', required: ['items'], properties: { items: { type: 'array', items: history } } }),
          '400': errorResponse('BAD_SHA256'),
          '404': errorResponse('DOCUMENT_NOT_FOUND'),
          ...common,
        },
      },
    },
  };
}
