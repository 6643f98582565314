import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import type express from 'express';
import { createApp } from '../../server/api/app';
import { issueToken } from '../../server/api/auth';
import * as leaderPage from '../../server/report/leader/page';
import type { Store } from '../../server/shared/types';
import { FileBlobStore } from '../../server/store/blobs';
import { openStore } from '../../server/store/open';
import type { BatchReport, UnitSummary } from '../../worker/report';
import { defineFormat, type ReportOut } from '../../server/report/format';
import type { Outline } from '../../server/report/document/outline';
import { InspectionReportWriter } from '../../server/report/inspection/writer';
import { writeStreamedReport } from '../../server/report/period';
import { fillPeriodStore, PERIOD, UNIT_A, UNIT_B, UNIT_C } from '../helpers/period-data';
import { docxText, pdfWords } from '../helpers/report-files';
import { FakeQueue, tempDir, testConfig } from './helpers/fakes';

/**
 * GET /api/reports and /api/reports/summary on the embedded store: the figures are /api/units' for the same range,
 * a clerk's report holds only the clerk's units, the leader's page compares with the period of as many months just
 * before, and what is wrong in the query is a 400 with a code. (The store's side, on both engines:
 * test/store/period-report-*.)
 */

const dir = tempDir('kiemky-period-api-');
let store: Store;
let app: express.Application;
const tok = { admin: '', clerkA: '', inspector: '', leader: '' };

beforeAll(async () => {
  store = await openStore({ databaseUrl: null, dataDir: dir });
  await fillPeriodStore(store);
  app = createApp({ cfg: testConfig(dir), store, blobs: new FileBlobStore(dir), queue: new FakeQueue(), log: () => undefined });
  tok.admin = (await issueToken(store, 'admin', [], null)).token;
  tok.clerkA = (await issueToken(store, 'clerk', [UNIT_A], null)).token;
  tok.inspector = (await issueToken(store, 'inspector', [], null)).token;
  tok.leader = (await issueToken(store, 'leader', [], null)).token;
}, 120_000);
afterAll(async () => {
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, token: string): request.Test => request(app).get(url).set('Authorization', `Bearer ${token}`);
const units = async (query: string, token: string): Promise<UnitSummary[]> => (await get(`/api/units?${query}`, token)).body as UnitSummary[];

function expectError(res: request.Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.body.error.message).toEqual(expect.any(String));
  expect(res.body.error.messageEn).toEqual(expect.any(String));
}

test('the report of a period holds its documents, its figures those of /api/units for the range', async () => {
  const res = await get('/api/reports?from=2026-09&to=11/2026&format=json', tok.inspector);
  expect(res.status).toBe(200);
  const report = res.body as BatchReport;
  expect(report.units).toEqual(await units('from=2026-09&to=2026-11', tok.inspector));
  // Unit by unit as the summary lists them, each unit's by file name.
  const files: Record<string, string[]> = { [UNIT_A]: ['CV-12.pdf', 'CV-13.pdf'], [UNIT_B]: ['BC-9.pdf', 'TB-5.pdf'] };
  expect(report.units.map((u) => u.unit).sort()).toEqual([UNIT_A, UNIT_B].sort());
  expect(report.documents.map((d) => d.file)).toEqual(report.units.flatMap((u) => files[u.unit!]!));
  expect(report.documents.find((d) => d.file === 'CV-12.pdf')!.register).toMatchObject({ number: '12/UBND-VP', date: '2026-10-05' });
  expect(report.totals.documents).toBe(4);
});

test('the inspection draft of a period names its units, its period and its failed documents by số ký hiệu, and nothing outside it', async () => {
  // The draft as the renderers receive it (they are tested on their own: report/document).
  const outlines: Outline[] = [];
  const capture = defineFormat({
    name: 'outline',
    help: { vi: '', en: '' },
    contentType: 'application/json',
    extension: 'json',
    toTerminal: false,
    incremental: false,
    api: false,
    download: false,
    writer: { kind: 'binary', open: (o) => new InspectionReportWriter(o, async (outline) => (outlines.push(outline), new Uint8Array())) },
  });
  const out: ReportOut = { text: () => undefined, stream: () => new PassThrough() };
  const stream = await store.streamPeriodReport(PERIOD);
  const summary = await writeStreamedReport(stream, capture, { lang: 'vi', generatedAt: new Date(), compact: false, scope: { kind: 'period', ...PERIOD, units: [] } }, out);
  expect(summary.units).toEqual(await units('from=2026-09&to=2026-11', tok.inspector));
  const text = JSON.stringify(outlines[0]);
  for (const expected of [UNIT_A, UNIT_B, '5/TB-PVH', 'từ tháng 9 đến tháng 11 năm 2026']) expect(text).toContain(expected);
  expect(text).not.toContain(UNIT_C);
  expect(text).not.toContain('1/QĐ-UBND');
});

test('a clerk\'s report holds the clerk\'s units only; another unit asked for answers as one with no documents', async () => {
  const own = (await get('/api/reports?from=2026-09&to=2026-11&format=json', tok.clerkA)).body as BatchReport;
  expect(own.units.map((u) => u.unit)).toEqual([UNIT_A]);
  expect(own.documents.every((d) => d.unit === UNIT_A)).toBe(true);
  expect(own.units).toEqual(await units('from=2026-09&to=2026-11', tok.clerkA));
  const other = await get(`/api/reports?from=2026-09&to=2026-11&format=json&unit=${encodeURIComponent(UNIT_B)}`, tok.clerkA);
  expect(other.status).toBe(200);
  expect((other.body as BatchReport).documents).toEqual([]);
  // An inspector may ask for some units.
  const one = (await get(`/api/reports?from=2026-09&to=2026-11&format=json&unit=${encodeURIComponent(UNIT_B)}`, tok.inspector)).body as BatchReport;
  expect(one.units.map((u) => u.unit)).toEqual([UNIT_B]);
});

test('a period without documents is a report saying so, not a failure', async () => {
  const res = await get('/api/reports?from=2025-01&to=2025-03&format=json', tok.admin);
  expect(res.status).toBe(200);
  expect((res.body as BatchReport).documents).toEqual([]);
  expect((res.body as BatchReport).totals.documents).toBe(0);
});

test('what is wrong in the query is a 400 with its code, in Vietnamese and English', async () => {
  expectError(await get('/api/reports?to=2026-11', tok.admin), 400, 'BAD_MONTH');
  expectError(await get('/api/reports?from=2026-13', tok.admin), 400, 'BAD_MONTH');
  expectError(await get('/api/reports?from=2026-09&to=tháng 11', tok.admin), 400, 'BAD_MONTH');
  expectError(await get('/api/reports?from=2026-11&to=2026-09', tok.admin), 400, 'BAD_PERIOD');
  expectError(await get('/api/reports?from=2026-11&format=exe', tok.admin), 400, 'BAD_FORMAT');
  expectError(await get(`/api/reports?from=2026-11&agency=${'A'.repeat(201)}`, tok.admin), 400, 'BAD_REQUEST');
  expectError(await get('/api/reports?from=2026-11&signerName=a%0Ab', tok.admin), 400, 'BAD_REQUEST');
  expectError(await get('/api/reports/summary?from=2026-11&to=2026-01', tok.leader), 400, 'BAD_PERIOD');
  expectError(await get('/api/reports/summary', tok.leader), 400, 'BAD_MONTH');
});

describe('the leader\'s page', () => {
  let seen: leaderPage.LeaderPageInput[] = [];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    seen = [];
    const real = leaderPage.leaderPagePdf;
    spy = jest.spyOn(leaderPage, 'leaderPagePdf').mockImplementation(async (input) => {
      seen.push(input);
      return real(input);
    });
  });
  afterEach(() => spy.mockRestore());

  test('is drawn from the period\'s /api/units figures and those of as many months just before', async () => {
    const res = await get('/api/reports/summary?from=2026-09&to=2026-11&agency=UBND huyện Thử', tok.leader);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?ty-le-ky-so-2026-09_2026-11\.pdf"?$/);
    const input = seen[0]!;
    expect(input.period).toEqual(PERIOD);
    expect(input.previousPeriod).toEqual({ from: '2026-06', to: '2026-08' });
    expect(input.current.units).toEqual(await units('from=2026-09&to=2026-11', tok.leader));
    expect(input.previous?.units).toEqual(await units('from=2026-06&to=2026-08', tok.leader));
    expect(input.current.totals).toMatchObject({ unit: null, documents: 4 });
    expect(input.issuer).toEqual({ agency: 'UBND huyện Thử' });
    expect(input.current.units.map((u) => u.unit)).not.toContain(UNIT_C);
  });

  test('of a clerk holds the clerk\'s units only', async () => {
    expect((await get('/api/reports/summary?from=2026-09&to=2026-11', tok.clerkA)).status).toBe(200);
    expect(seen[0]!.current.units.map((u) => u.unit)).toEqual([UNIT_A]);
    expect(seen[0]!.previous?.units.map((u) => u.unit)).toEqual([UNIT_A]);
  });
});

test('every role may have both; a clerk within their units', async () => {
  for (const token of Object.values(tok)) {
    const res = await get('/api/reports?from=2026-09&format=json', token);
    expect(res.status).toBe(200);
  }
  expect(path.basename(dir)).toMatch(/^kiemky-period-api-/);
});

// -- The files themselves: the real DOCX and PDF renderers --------------------------------------------------------

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const download = async (url: string, token: string): Promise<request.Response> => get(url, token).buffer(true).parse(binary);

describe('the files', () => {
  test('the period\'s Word draft names its units, its issuer and its failed documents, saved under the period\'s name; a clerk\'s only theirs', async () => {
    const res = await download('/api/reports?from=2026-09&to=2026-11&agency=Sở Nội vụ tỉnh Khánh Hòa', tok.inspector);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?bao-cao-kiem-tra-2026-09_2026-11\.docx"?$/);
    const text = await docxText(res.body as Buffer);
    // The appendix lists the failed documents by số ký hiệu.
    for (const expected of [UNIT_A, UNIT_B, 'Sở Nội vụ tỉnh Khánh Hòa', '5/TB-PVH']) expect({ expected, found: text.includes(expected) || text.includes(expected.toUpperCase()) }).toEqual({ expected, found: true });
    expect(text).not.toContain(UNIT_C);
    const clerk = await docxText((await download('/api/reports?from=2026-09&to=2026-11', tok.clerkA)).body as Buffer);
    expect(clerk).toContain(UNIT_A);
    expect(clerk).not.toContain(UNIT_B);
    expect(clerk).not.toContain('5/TB-PVH');
  }, 60_000);

  test('a period without documents is a draft that says it checked none', async () => {
    const res = await download('/api/reports?from=2025-01&to=2025-03', tok.inspector);
    expect(res.status).toBe(200);
    expect(await docxText(res.body as Buffer)).toMatch(/\b0 văn bản/);
  }, 60_000);

  test('the PDF draft and the leader\'s page are PDFs whose words name the units', async () => {
    const pdf = await download('/api/reports?from=2026-09&to=2026-11&format=pdf', tok.inspector);
    expect(pdf.status).toBe(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const leader = await download('/api/reports/summary?from=2026-09&to=2026-11', tok.leader);
    expect(leader.status).toBe(200);
    expect((leader.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const clerk = await download('/api/reports/summary?from=2026-09&to=2026-11', tok.clerkA);
    const [draft, page, own] = [pdfWords(pdf.body as Buffer), pdfWords(leader.body as Buffer), pdfWords(clerk.body as Buffer)];
    if (draft === null || page === null || own === null) return;
    for (const unit of [UNIT_A, UNIT_B]) expect(draft).toContain(unit);
    expect(draft).not.toContain(UNIT_C);
    // The leader's page shortens a long name to fit its column (…): the start of each name is there.
    const start = (unit: string): string => unit.slice(0, 12);
    for (const unit of [UNIT_A, UNIT_B]) expect(page).toContain(start(unit));
    expect(page).not.toContain(start(UNIT_C));
    expect(page).toContain('6/2026');
    expect(own).toContain(start(UNIT_A));
    expect(own).not.toContain(start(UNIT_B));
  }, 60_000);
});
