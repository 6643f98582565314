import * as fs from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import request from 'supertest';
import type express from 'express';
import { createApp } from '../../server/api/app';
import { issueToken } from '../../server/api/auth';
import { openApiDocument } from '../../server/api/openapi';
import type { RegisterRow } from '../../server/register/table';
import type { Store } from '../../server/shared/types';
import { FileBlobStore } from '../../server/store/blobs';
import { openStore } from '../../server/store/open';
import { UNIT_NAMES } from '../../samples/lib/test-pki';
import type { DocumentReport } from '../../worker/report';
import { scenarioReports, type Name } from '../store/fixtures';
import { FakeQueue, tempDir, testConfig } from './helpers/fakes';

/**
 * The query routes over the real embedded store: answers in the shapes the OpenAPI description gives, bad
 * parameters refused, and a clerk who never sees another unit's rows through any route or filter.
 */

const [U0, U1] = UNIT_NAMES as [string, string];
const dir = tempDir('kiemky-queries-api-');
let store: Store;
let app: express.Application;
let reports: Record<Name, DocumentReport>;
const tok = { admin: 'kk_admin-from-env', clerk0: '', clerk1: '', inspector: '', leader: '' };

const reg = (line: number, file: string, unit: string, date: string, number: string): RegisterRow => ({ line, file, number, date, summary: `Trích yếu ${line}`, signer: null, unit });

beforeAll(async () => {
  reports = await scenarioReports();
  store = await openStore({ databaseUrl: null, dataDir: dir });
  app = createApp({ cfg: testConfig(dir), store, blobs: new FileBlobStore(dir), queue: new FakeQueue(), log: () => undefined });
  tok.clerk0 = (await issueToken(store, 'clerk', [U0], null)).token;
  tok.clerk1 = (await issueToken(store, 'clerk', [U1], null)).token;
  tok.inspector = (await issueToken(store, 'inspector', [], null)).token;
  tok.leader = (await issueToken(store, 'leader', [], null)).token;
  const a = reports['compliant-two-layer-unit-0'];
  const b = reports['compliant-two-layer-unit-1'];
  const v = reports['public-ca-two-layer-vnpt'];
  const l = reports['leader-only'];
  await store.createBatch({
    id: 'mixed',
    source: 'upload',
    hasRegister: true,
    createdBy: null,
    findings: [],
    items: [
      { file: 'Công văn 1.pdf', sha256: a.sha256, size: a.size, register: reg(2, 'Công văn 1.pdf', U0, '2026-03-02', '1/UBND-VP') },
      { file: 'bi-mat-2.pdf', sha256: b.sha256, size: b.size, register: reg(3, 'bi-mat-2.pdf', U1, '2026-03-03', '2/BMAT') },
      { file: 'bi-mat-3.pdf', sha256: v.sha256, size: v.size, register: reg(4, 'bi-mat-3.pdf', U1, '2026-03-04', '3/BMAT') },
    ],
  });
  await store.createBatch({
    id: 'clerk1-batch',
    source: 'upload',
    hasRegister: true,
    createdBy: 'clerk-1',
    units: [U1],
    findings: [],
    items: [{ file: 'bi-mat-4.pdf', sha256: l.sha256, size: l.size, register: reg(2, 'bi-mat-4.pdf', U1, '2026-04-01', '4/BMAT') }],
  });
  for (const r of [a, b, v, l]) await store.saveDocumentReport(r.sha256, r);
});
afterAll(async () => {
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, token: string = tok.admin): request.Test => request(app).get(url).set('Authorization', `Bearer ${token}`);

/** Validates against a schema of the OpenAPI description (3.0: `nullable`, as Ajv reads it). */
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi', ...(openApiDocument('test') as object) });
function shapeErrors(schema: object, body: unknown): string[] {
  const validate = ajv.compile(schema);
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
const ref = (name: string): object => ({ $ref: `openapi#/components/schemas/${name}` });
const pageOf = (name: string): object => ({ type: 'object', required: ['items', 'total', 'page', 'pageSize'], properties: { items: { type: 'array', items: ref(name) } } });

test('each query route answers in the shape its OpenAPI schema gives', async () => {
  const cases: Array<[string, object]> = [
    ['/api/batches', pageOf('BatchListItem')],
    ['/api/batches/mixed/documents', pageOf('DocumentRow')],
    ['/api/documents?from=03/2026&to=2026-04', pageOf('DocumentRow')],
    ['/api/units?by=month', { type: 'array', items: ref('UnitMonthSummary') }],
    ['/api/units', { type: 'array', items: ref('UnitSummary') }],
    ['/api/providers', { type: 'array', items: ref('ProviderRow') }],
    ['/api/certificates?from=2026-01', { type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref('CertificateRow') } } }],
  ];
  // The schemas are strict enough to fail: a row without its fields, a verdict not in the list.
  expect(shapeErrors(ref('DocumentRow'), {})).not.toEqual([]);
  expect(shapeErrors(ref('BatchListItem'), { id: 'x' })).not.toEqual([]);
  for (const [url, schema] of cases) {
    const res = await get(url);
    expect({ url, status: res.status }).toEqual({ url, status: 200 });
    expect({ url, errors: shapeErrors(schema, res.body) }).toEqual({ url, errors: [] });
  }
  const batches = (await get('/api/batches')).body;
  expect(batches).toMatchObject({ total: 2, page: 1, pageSize: 50 });
  expect(batches.items.map((b: { id: string }) => b.id).sort()).toEqual(['clerk1-batch', 'mixed']);
  const rows = (await get('/api/batches/mixed/documents?q=cong%20van&sort=-file')).body;
  expect(rows.items.map((r: { file: string }) => r.file)).toEqual(['Công văn 1.pdf']);
  expect(rows.items[0]).toMatchObject({ register: { number: '1/UBND-VP', date: '2026-03-02' }, unit: U0, month: '2026-03' });
  const months = (await get('/api/units?by=month')).body as Array<{ unit: string; month: string; documents: number }>;
  expect(months.map((m) => [m.unit, m.month, m.documents])).toEqual(expect.arrayContaining([[U1, '2026-03', 2], [U1, '2026-04', 1], [U0, '2026-03', 1]]));
  const providers = (await get('/api/providers')).body as Array<{ category: string }>;
  expect(new Set(providers.map((p) => p.category))).toEqual(new Set(['government', 'public']));
});

test('bad parameters are 400 in the one error shape', async () => {
  const bad = [
    '/api/batches?page=0',
    '/api/batches?pageSize=201',
    '/api/batches?page=abc',
    '/api/batches/mixed/documents?sort=size',
    '/api/batches/mixed/documents?verdict=good',
    '/api/documents?pageSize=-1',
    '/api/units?by=year',
    `/api/documents?q=${'x'.repeat(501)}`,
    '/api/documents?q=a%00b',
  ];
  for (const url of bad) {
    const res = await get(url);
    expect({ url, status: res.status, code: res.body?.error?.code }).toEqual({ url, status: 400, code: 'BAD_REQUEST' });
    expect(res.body.error.message).toMatch(/Yêu cầu không hợp lệ/);
  }
  expect((await get('/api/batches/nope/documents')).body.error.code).toBe('BATCH_NOT_FOUND');
});

test('a clerk never sees another unit\'s rows, through any query route or filter', async () => {
  // What only unit 1 has: its name, its documents' hashes and names, its batch.
  const theirs = [U1, reports['compliant-two-layer-unit-1'].sha256, reports['public-ca-two-layer-vnpt'].sha256, reports['leader-only'].sha256, 'bi-mat', 'clerk1-batch', 'BMAT'];
  const filters = [
    '',
    `unit=${encodeURIComponent(U1)}`,
    'q=bi-mat',
    'q=BMAT',
    `provider=${encodeURIComponent(reports['public-ca-two-layer-vnpt'].signatures[0]!.ca.provider!)}`,
    'category=public',
    'category=government',
    'verdict=compliant',
    'verdict=noncompliant',
    'verdict=pending',
    'code=DOCUMENT_NOT_IN_REGISTER',
    'sort=unit',
    'sort=-date',
    'sort=number',
    'batch=clerk1-batch',
    'from=01/2026&to=12/2026',
    'pageSize=200',
  ];
  const urls = [
    '/api/batches',
    '/api/batches?pageSize=1&page=2',
    '/api/units',
    '/api/units?by=month',
    '/api/providers',
    '/api/certificates',
    `/api/certificates?unit=${encodeURIComponent(U1)}`,
    ...filters.map((f) => `/api/documents?${f}`),
    ...filters.map((f) => `/api/batches/mixed/documents?${f}`),
  ];
  let seenOwn = 0;
  for (const url of urls) {
    const res = await get(url, tok.clerk0);
    expect({ url, status: res.status }).toEqual({ url, status: 200 });
    const text = JSON.stringify(res.body);
    for (const secret of theirs) expect({ url, leaks: text.includes(secret) ? secret : null }).toEqual({ url, leaks: null });
    if (text.includes(U0)) seenOwn++;
  }
  // Not an empty answer everywhere: the clerk's own rows are there.
  expect(seenOwn).toBeGreaterThan(10);
  // Another unit's batch is no batch at all.
  const other = await get('/api/batches/clerk1-batch/documents', tok.clerk0);
  expect({ status: other.status, code: other.body.error.code }).toEqual({ status: 404, code: 'BATCH_NOT_FOUND' });
  // The other clerk sees their own batch whole, and of the admin's batch their rows only.
  const mine = (await get('/api/batches', tok.clerk1)).body as { items: Array<{ id: string; total: number }> };
  expect(mine.items.map((b) => [b.id, b.total]).sort()).toEqual([['clerk1-batch', 1], ['mixed', 2]]);
  const rows = (await get('/api/documents', tok.clerk1)).body as { items: Array<{ unit: string }> };
  expect(rows.items.map((r) => r.unit)).toEqual([U1, U1, U1]);
});
