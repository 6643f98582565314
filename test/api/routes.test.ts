import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import request from 'supertest';
import type express from 'express';
import { createApp } from '../../server/api/app';
import { FileBlobStore } from '../../server/store/blobs';
import { FakeQueue, FakeStore, tempDir, testConfig } from './helpers/fakes';
import type { DocumentReport } from '../../worker/report';
import { formatCsv } from '../../server/report/format-csv';
import { formatXlsx, XlsxReportWriter } from '../../server/report/format-xlsx';
import { wholeReport } from '../helpers/whole-report';
import { sheetValues } from '../helpers/sheet-values';

/** Every route's answers and errors, and the OpenAPI document listing them all. */

const dir = tempDir();
const store = new FakeStore();
let app: express.Application;
const ADMIN = 'Bearer kk_admin-from-env';
const sha = 'c'.repeat(64);

beforeAll(() => {
  app = createApp({ cfg: testConfig(dir), store, blobs: new FileBlobStore(dir), queue: new FakeQueue(), log: () => undefined });
  store.setReport(sha, 'Văn phòng');
  const item = { file: 'a.pdf', sha256: sha, size: 1, register: null };
  store.batches.set('done-1', { id: 'done-1', source: 'upload', hasRegister: false, createdBy: null, findings: [], items: [item] });
  store.batches.set('open-1', { id: 'open-1', source: 'upload', hasRegister: false, createdBy: null, findings: [], items: [item, { ...item, sha256: 'd'.repeat(64) }] });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What an XLSX report left in DATA_DIR/tmp, where it spools its rows. */
const leftInTmp = (): string[] => (fs.existsSync(path.join(dir, 'tmp')) ? fs.readdirSync(path.join(dir, 'tmp')) : []).filter((n) => n.startsWith('kiemky-'));


const get = (url: string): request.Test => request(app).get(url).set('Authorization', ADMIN);

function expectError(res: request.Response, status: number, code: string): void {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: { error: { code, message: expect.any(String), messageEn: expect.any(String) } } });
}

test('batch status and report: json, csv, xlsx; unfinished batches need ?partial=1', async () => {
  expect((await get('/api/batches/done-1')).body).toMatchObject({ id: 'done-1', status: 'done', total: 1, done: 1, errors: 0 });
  expect((await get('/api/batches/open-1')).body).toMatchObject({ status: 'running', total: 2, done: 1 });
  const json = await get('/api/batches/done-1/report');
  expect(json.status).toBe(200);
  expect(json.body.documents[0]).toMatchObject({ file: 'a.pdf', verdict: 'compliant' });
  expect(json.body.totals.documents).toBe(1);
  const csv = await get('/api/batches/done-1/report?format=csv');
  expect(csv.headers['content-type']).toMatch(/^text\/csv/);
  expect(csv.text).toContain('a.pdf');
  expect(csv.text.startsWith('\ufeffTệp;Đơn vị;')).toBe(true);
  const csvEn = await get('/api/batches/done-1/report?format=csv&lang=en');
  expect(csvEn.text.startsWith('\ufeffFile,Unit,')).toBe(true);
  // ?separator= overrides the language's: `;` (escaped in the URL), `,` or `tab`; anything else is a 400.
  expect((await get('/api/batches/done-1/report?format=csv&lang=en&separator=%3B')).text.startsWith('\ufeffFile;Unit;')).toBe(true);
  expect((await get('/api/batches/done-1/report?format=csv&separator=tab')).text.startsWith('\ufeffTệp\tĐơn vị\t')).toBe(true);
  const badSeparator = await get('/api/batches/done-1/report?format=csv&separator=%7C');
  expect(badSeparator.status).toBe(400);
  expect(badSeparator.body.error.code).toBe('BAD_REQUEST');
  const xlsx = await get('/api/batches/done-1/report?format=xlsx').buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
  expectError(await get('/api/batches/open-1/report'), 409, 'BATCH_NOT_DONE');
  expect((await get('/api/batches/open-1/report?partial=1')).status).toBe(200);
  expectError(await get('/api/batches/done-1/report?format=odt'), 400, 'BAD_FORMAT');
  expectError(await get('/api/batches/nope'), 404, 'BATCH_NOT_FOUND');
  expectError(await get('/api/batches/nope/report'), 404, 'BATCH_NOT_FOUND');
});

test('a batch report larger than the socket buffers is streamed whole, as compact JSON', async () => {
  // 64 KB written at a time against a 16 KB buffer: the route waits for the client to read, many times over.
  const items = Array.from({ length: 1500 }, (_, i) => {
    const sha256 = crypto.createHash('sha256').update(`big-${i}`).digest('hex');
    store.setReport(sha256, `Đơn vị ${i % 5}`, `CV-${String(i).padStart(4, '0')}.pdf`);
    return { file: `CV-${String(i).padStart(4, '0')}.pdf`, sha256, size: 1, register: null };
  });
  try {
    store.batches.set('big-1', { id: 'big-1', source: 'upload', hasRegister: false, createdBy: null, findings: [], items });
    const res = await get('/api/batches/big-1/report').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const text = res.body as string;
    expect(text.length).toBeGreaterThan(256 * 1024);
    const report = JSON.parse(text) as { documents: { file: string }[]; totals: { documents: number } };
    expect(text).toBe(JSON.stringify(report));
    expect(report.documents.map((d) => d.file)).toEqual(items.map((i) => i.file));
    expect(report.totals.documents).toBe(1500);
    // The CSV is streamed the same way, and is the text the whole report makes.
    const csv = await get('/api/batches/big-1/report?format=csv&lang=en').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
    });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const whole = await wholeReport(store, 'big-1');
    expect(csv.body).toBe(formatCsv(whole!, 'en'));
    // The workbook too: its rows spooled as the store reads them, then streamed; the cells of the whole report's.
    const xlsx = await get('/api/batches/big-1/report?format=xlsx').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(xlsx.headers['content-disposition']).toContain('kiemky-big-1.xlsx');
    expect(await sheetValues(xlsx.body as Buffer)).toEqual(await sheetValues(await formatXlsx(whole!, 'vi')));
    expect(leftInTmp()).toEqual([]);
  } finally {
    // The other tests read the units of the store's reports: leave it as it was.
    for (const i of items) store.reports.delete(i.sha256);
    store.batches.delete('big-1');
  }
});

/**
 * Serves a month of 200,000 documents behind streamBatchReport to a client that `leave`s when it will; returns how
 * many documents the route had pulled from the store once it stopped pulling.
 */
async function pulledAfterClientLeaves(url: string, leave: (req: http.ClientRequest, pulled: () => number) => Promise<void>): Promise<number> {
  const template = store.reports.get(sha);
  if (!template) throw new Error('the report set up in beforeAll is missing');
  let pulled = 0;
  async function* month(): AsyncGenerator<DocumentReport> {
    for (let i = 0; i < 200_000; i++) {
      pulled++;
      // A page read from the store at a time: the route gets to see the client has gone.
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
      yield { ...template!, file: `CV-${i}.pdf` };
    }
  }
  const spy = jest.spyOn(store, 'streamBatchReport').mockResolvedValue({ generatedAt: new Date(), findings: [], documents: month() });
  const server = http.createServer(app).listen(0);
  try {
    const port = (server.address() as AddressInfo).port;
    const req = http.get({ port, path: url, headers: { Authorization: ADMIN } });
    req.on('error', () => undefined);
    await leave(req, () => pulled);
    let before = -1;
    while (before !== pulled) {
      before = pulled;
      await new Promise((r) => setTimeout(r, 100));
    }
    return pulled;
  } finally {
    spy.mockRestore();
    await new Promise((r) => server.close(r));
  }
}

test('a client that goes away mid-report stops the batch being read from the store', async () => {
  const pulled = await pulledAfterClientLeaves('/api/batches/done-1/report', (req) => {
    return new Promise<void>((resolve) => {
      req.on('response', (res) => {
        expect(res.statusCode).toBe(200);
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
    });
  });
  // The route notices at its next write and stops pulling documents.
  expect(pulled).toBeLessThan(200_000);
});

test('a client that goes away while its workbook is being made stops the reading, and the spool is removed', async () => {
  // Nothing is sent before the last document is read (the unit summary comes first): leave while it reads.
  const pulled = await pulledAfterClientLeaves('/api/batches/done-1/report?format=xlsx', async (req, soFar) => {
    while (soFar() < 2000) await new Promise((r) => setTimeout(r, 5));
    req.destroy();
  });
  expect(pulled).toBeLessThan(200_000);
  expect(leftInTmp()).toEqual([]);
});

test('a workbook that fails before its first byte is answered in the API error shape, not as a workbook', async () => {
  const spy = jest.spyOn(XlsxReportWriter.prototype, 'end').mockRejectedValue(new Error('EIO: the spool could not be read'));
  try {
    const res = await get('/api/batches/done-1/report?format=xlsx');
    expectError(res, 500, 'INTERNAL');
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(leftInTmp()).toEqual([]);
  } finally {
    spy.mockRestore();
  }
});

test('documents by sha256; units and providers by month', async () => {
  expect((await get(`/api/documents/${sha.toUpperCase()}`)).body).toMatchObject({ sha256: sha });
  expectError(await get(`/api/documents/${'e'.repeat(64)}`), 404, 'DOCUMENT_NOT_FOUND');
  expectError(await get('/api/documents/xyz'), 400, 'BAD_SHA256');
  const units = await get('/api/units?from=2026-01&to=2026-12');
  expect(units.status).toBe(200);
  expect(units.body[0]).toMatchObject({ unit: 'Văn phòng', documents: expect.any(Number) });
  expect(store.lastUnitQuery).toEqual({ from: '2026-01', to: '2026-12' });
  const bad = await get('/api/units?from=2026-13');
  expectError(bad, 400, 'BAD_MONTH');
  expect(bad.body.error.message).toContain('Tháng không hợp lệ');
  expectError(await get('/api/providers?to=11-2026'), 400, 'BAD_MONTH');
  const providers = await get('/api/providers');
  expect(providers.body[0]).toEqual({ unit: 'A', provider: 'Ban Cơ yếu Chính phủ', category: 'government', documents: 1 });
});

test('months are read as YYYY-MM or MM/YYYY, and kept as YYYY-MM; anything else is 400', async () => {
  expect((await get('/api/units?from=03/2026&to=2026-11')).status).toBe(200);
  expect(store.lastUnitQuery).toEqual({ from: '2026-03', to: '2026-11' });
  expect((await get('/api/providers?from=3/2026&to=12/2026')).status).toBe(200);
  expect(store.lastUnitQuery).toEqual({ from: '2026-03', to: '2026-12' });
  for (const bad of ['13/2026', '2026/03', '2026-3', '03-2026', '0/2026', '2026-11-01', 'tháng 3']) {
    expectError(await get(`/api/units?from=${encodeURIComponent(bad)}`), 400, 'BAD_MONTH');
    expectError(await get(`/api/documents?to=${encodeURIComponent(bad)}`), 400, 'BAD_MONTH');
    expectError(await get(`/api/certificates?from=${encodeURIComponent(bad)}`), 400, 'BAD_MONTH');
  }
  expect((await get('/api/certificates?from=11/2026&to=11/2026')).status).toBe(200);
  expect(store.lastCertificateQuery).toEqual({ from: '2026-11', to: '2026-11' });
  expect((await get('/api/documents?from=11/2026')).status).toBe(200);
  expect(store.lastDocumentQuery).toMatchObject({ from: '2026-11' });
});

test('unknown API routes and bad JSON answer in the one error shape', async () => {
  expectError(await get('/api/nothing-here'), 404, 'NOT_FOUND');
  const badJson = await request(app).post('/api/tokens').set('Authorization', ADMIN).set('Content-Type', 'application/json').send('{"role":');
  expectError(badJson, 400, 'BAD_REQUEST');
});

test('the report contract is served as the very file the reports are validated against, and the OpenAPI points to it', async () => {
  const res = await get('/api/report.schema.json');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/schema\+json/);
  expect(res.text).toBe(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'report.schema.json'), 'utf8'));
  const openapi = (await get('/api/openapi.json')).body as { components: { schemas: { BatchReport: { externalDocs?: { url: string } } } } };
  expect(openapi.components.schemas.BatchReport.externalDocs?.url).toBe('/api/report.schema.json');
});

test('the OpenAPI document is valid JSON and lists every route', async () => {
  const res = await get('/api/openapi.json');
  expect(res.status).toBe(200);
  const doc = JSON.parse(res.text) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  expect(doc.openapi).toMatch(/^3\./);
  const routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
  expect(routes.sort()).toEqual(
    [
      'GET /api/health',
      'GET /api/openapi.json',
      'GET /api/report.schema.json',
      'GET /api/me',
      'POST /api/batches',
      'GET /api/batches/{id}',
      'GET /api/batches/{id}/report',
      'GET /api/documents/{sha256}',
      'GET /api/documents/{sha256}/history',
      'POST /api/admin/rejudge',
      'GET /api/admin/rejudge/{id}',
      'GET /api/units',
      'GET /api/providers',
      'POST /api/tokens',
      'GET /api/tokens',
      'DELETE /api/tokens/{id}',
      'POST /api/session',
      'GET /api/session',
      'DELETE /api/session',
      'GET /api/users',
      'POST /api/users',
      'PATCH /api/users/{username}',
      'GET /api/trust',
      'GET /api/exports',
      'GET /api/admin/units',
      'PUT /api/admin/units',
      'GET /api/batches',
      'GET /api/batches/{id}/documents',
      'GET /api/batches/{id}/summary',
      'GET /api/documents',
      'GET /api/certificates',
      'GET /api/reports',
      'GET /api/reports/summary',
    ].sort(),
  );
  // Every $ref points at a schema that exists.
  const refs = [...res.text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]);
  const schemas = (doc as unknown as { components: { schemas: Record<string, unknown> } }).components.schemas;
  for (const r of refs) expect(schemas[r]).toBeDefined();
  // A signature's revision counts from 0 (the file as first written): the description must say so.
  const revision = (schemas.SignatureReport as { properties: Record<string, { description?: string; minimum?: number }> }).properties.revision!;
  expect(revision.minimum).toBe(0);
  expect(revision.description).toMatch(/đếm từ 0/);
  expect(revision.description).toMatch(/0-based: 0 is the file as first written/);
});
