import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/api/app';
import { FileBlobStore } from '../../server/store/blobs';
import type { RegisterThread } from '../../server/register/thread';
import type { ServiceConfig, UploadLimits } from '../../server/shared/types';
import { buildXlsx, inlineCell, row } from '../server/helpers/xlsx-writer';
import { FakeQueue, FakeStore, tempDir, testConfig } from './helpers/fakes';

/**
 * Through the API: a register over its byte, row or cell limit is a 413 whose Vietnamese message names the limit, CSV
 * and XLSX alike, and nothing of the upload is kept; while a large register is parsed (in its own thread, as `serve`
 * does) the server answers health checks.
 */

const ADMIN = 'Bearer kk_admin-from-env';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The register thread from the TypeScript sources, as the compiled server runs it from dist/. */
const THREAD: RegisterThread = {
  script: path.join(__dirname, '..', '..', 'server', 'register', 'thread-main.ts'),
  execArgv: ['-r', path.join(__dirname, '..', 'queue', 'fixtures', 'ts-register.js')],
};

function setup(limits: Partial<UploadLimits> = {}, registerThread: RegisterThread | null = null): { store: FakeStore; queue: FakeQueue; cfg: ServiceConfig; app: ReturnType<typeof createApp> } {
  const dir = tempDir();
  dirs.push(dir);
  const base = testConfig(dir);
  const cfg = testConfig(dir, { limits: { ...base.limits, ...limits } });
  const store = new FakeStore();
  const queue = new FakeQueue();
  return { store, queue, cfg, app: createApp({ cfg, store, blobs: new FileBlobStore(dir), queue, log: () => undefined, registerThread }) };
}

const pdf = (text: string): Buffer => Buffer.from(`%PDF-1.7\n% ${text}\n%%EOF\n`);
const HEADER = 'Tên tệp,Số ký hiệu,Ngày ban hành,Trích yếu,Người ký,Đơn vị ban hành\r\n';
const csvRows = (n: number, summary = 'Về việc triển khai ký số hai lớp'): string =>
  HEADER + Array.from({ length: n }, (_, i) => `cv-${i}.pdf,${i}/UBND-VP,05/11/2024,${summary} ${i},Nguyễn Văn A,UBND xã Vạn Thắng\r\n`).join('');

function tmpLeft(cfg: ServiceConfig): string[] {
  const dir = path.join(cfg.dataDir, 'tmp');
  return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String) : [];
}

async function upload(app: ReturnType<typeof createApp>, register: Buffer, name: string): Promise<request.Response> {
  return request(app).post('/api/batches').set('Authorization', ADMIN).attach('files', pdf('a'), 'cv-0.pdf').attach('register', register, name);
}

test.each([
  ['CSV', 'so.csv', (): Buffer => Buffer.from(csvRows(60))],
  ['XLSX', 'so.xlsx', (): Buffer => buildXlsx({ rows: row(1, inlineCell('A1', 'Tên tệp') + inlineCell('B1', 'Số')) + Array.from({ length: 60 }, (_, i) => row(i + 2, inlineCell(`A${i + 2}`, `cv-${i}.pdf`))).join('') })],
])('%s over the row limit: 413 REGISTER_TOO_MANY_ROWS naming the limit, nothing stored', async (_kind, name, make) => {
  const { app, store, queue, cfg } = setup({ maxRegisterRows: 50 });
  const res = await upload(app, make(), name);
  expect(res.status).toBe(413);
  expect(res.body.error).toEqual({
    code: 'REGISTER_TOO_MANY_ROWS',
    message: `Sổ đăng ký văn bản đi ${name}: quá nhiều dòng (giới hạn 50 dòng).`,
    messageEn: `The register ${name}: too many rows (limit 50 rows).`,
  });
  expect(store.batches.size).toBe(0);
  expect(queue.jobs).toHaveLength(0);
  expect(tmpLeft(cfg)).toEqual([]);
});

test('over the byte limit: refused while it arrives, 413 REGISTER_TOO_LARGE naming the limit', async () => {
  const { app, store, cfg } = setup({ maxRegisterBytes: 4096 });
  const res = await upload(app, Buffer.from(csvRows(200)), 'so.csv');
  expect(res.status).toBe(413);
  expect(res.body.error.code).toBe('REGISTER_TOO_LARGE');
  expect(res.body.error.message).toBe('Sổ đăng ký văn bản đi so.csv: tệp quá lớn (giới hạn 4 KB).');
  expect(store.batches.size).toBe(0);
  expect(tmpLeft(cfg)).toEqual([]);
  // An XLSX is held to the same number for the text its cells unpack to.
  const xlsx = buildXlsx({ rows: row(1, inlineCell('A1', 'Tên tệp') + inlineCell('B1', 'Số')) + Array.from({ length: 20 }, (_, i) => row(i + 2, inlineCell(`A${i + 2}`, 'x'.repeat(300)))).join('') });
  expect(xlsx.length).toBeLessThan(4096);
  const unpacked = await upload(app, xlsx, 'so.xlsx');
  expect(unpacked.status).toBe(413);
  expect(unpacked.body.error.code).toBe('REGISTER_TOO_LARGE');
  expect(unpacked.body.error.message).toBe('Sổ đăng ký văn bản đi so.xlsx: các ô chứa quá nhiều chữ (giới hạn 4096 ký tự).');
});

test('a cell over 32,767 characters: 413 REGISTER_CELL_TOO_LONG naming its row', async () => {
  const { app } = setup();
  const res = await upload(app, Buffer.from(`${HEADER}cv-0.pdf,1/UBND,05/11/2024,"${'dài '.repeat(10_000)}",,\r\n`), 'so.csv');
  expect(res.status).toBe(413);
  expect(res.body.error.code).toBe('REGISTER_CELL_TOO_LONG');
  expect(res.body.error.message).toBe('Sổ đăng ký văn bản đi so.csv: một ô ở dòng 2 dài quá 32767 ký tự.');
});

test('in its own thread, a register within the limits is joined as before', async () => {
  const { app, store } = setup({}, THREAD);
  const res = await upload(app, Buffer.from(csvRows(3)), 'so.csv');
  expect(res.status).toBe(202);
  const batch = store.batches.get(res.body.id as string)!;
  expect(batch.items[0].register).toMatchObject({ file: 'cv-0.pdf', number: '0/UBND-VP', date: '2024-11-05', unit: 'UBND xã Vạn Thắng' });
  expect(batch.findings.map((f) => f.code)).toEqual(['REGISTER_ROW_WITHOUT_PDF', 'REGISTER_ROW_WITHOUT_PDF']);
});

test('the server answers health checks while a large register is parsed', async () => {
  // 150,000 rows, about 20 MB: the old parse held the event loop for seconds; refused at the row limit here, so the
  // time is all parsing.
  const { app } = setup({ maxRegisterRows: 149_000 }, THREAD);
  const register = Buffer.from(csvRows(150_000));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let uploading = true;
    const latencies: number[] = [];
    const probe = (async () => {
      while (uploading) {
        const t0 = performance.now();
        const health = await fetch(`${base}/api/health`);
        expect(health.status).toBe(200);
        await health.arrayBuffer();
        latencies.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const t0 = performance.now();
    const res = await request(base).post('/api/batches').set('Authorization', ADMIN).attach('files', pdf('a'), 'a.pdf').attach('register', register, 'so.csv');
    const took = performance.now() - t0;
    uploading = false;
    await probe;
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('REGISTER_TOO_MANY_ROWS');
    // Probes all through the parse, none of them kept waiting.
    expect(latencies.length).toBeGreaterThan(Math.min(10, took / 100));
    expect(Math.max(...latencies)).toBeLessThan(500);
  } finally {
    server.close();
  }
});

test('a register far larger than the upload lists its first 1,000 rows without a PDF and counts the rest', async () => {
  const { app, store } = setup();
  const res = await upload(app, Buffer.from(csvRows(1500)), 'so.csv');
  expect(res.status).toBe(202);
  const findings = store.batches.get(res.body.id as string)!.findings;
  expect(findings).toHaveLength(1001);
  expect(findings.slice(0, 1000).every((f) => f.code === 'REGISTER_ROW_WITHOUT_PDF')).toBe(true);
  expect(findings[1000]).toMatchObject({ code: 'REGISTER_ROWS_WITHOUT_PDF_MORE', severity: 'warning', message: 'Còn 499 dòng khác của sổ đăng ký (từ dòng 1003) không có tệp PDF tương ứng.' });
  expect(res.body.findings).toHaveLength(1001);
});
