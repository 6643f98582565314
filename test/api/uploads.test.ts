import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApp } from '../../server/api/app';
import { FileBlobStore } from '../../server/store/blobs';
import { buildZip } from '../server/helpers/zip-writer';
import { failingBlobs, FakeQueue, FakeStore, tempDir, testConfig } from './helpers/fakes';
import { ADMIN, pdf, tmpLeft, uploadSetup } from './helpers/upload-setup';

/**
 * POST /api/batches: what goes into the blob store and the store before the 202, ZIP handling with the CLI's
 * rules (traversal refused, nested one level), the register joined by file name, and every limit as a clear 4xx.
 */

const { dirs, setup } = uploadSetup();

function expectError(res: request.Response, status: number, code: string): void {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: { error: { code, message: expect.any(String), messageEn: expect.any(String) } } });
}

test('PDFs and a ZIP: blobs and the batch are stored before the 202, then one job per distinct document', async () => {
  const { app, store, queue, blobs, cfg } = setup();
  const zip = buildZip([
    { name: 'thang-11/2026-11_a.pdf', data: pdf('a') },
    { name: 'thang-11/ghi-chu.txt', data: 'not a document' },
    { name: 'thang-11/dup.pdf', data: pdf('b') },
  ]);
  const res = await request(app)
    .post('/api/batches')
    .set('Authorization', ADMIN)
    .attach('files', pdf('b'), 'Công văn số 12.pdf')
    .attach('files', zip, 'thang-11.zip');
  expect(res.status).toBe(202);
  expect(res.body.id).toEqual(expect.any(String));
  expect(res.headers.location).toBe(`/api/batches/${res.body.id}`);
  const batch = store.batches.get(res.body.id as string);
  expect(batch?.items.map((i) => i.file)).toEqual(['Công văn số 12.pdf', 'thang-11.zip/thang-11/2026-11_a.pdf', 'thang-11.zip/thang-11/dup.pdf']);
  expect(batch?.source).toBe('upload');
  expect(batch?.hasRegister).toBe(false);
  expect(batch?.createdBy).toBe('env:KIEMKY_ADMIN_TOKEN');
  for (const item of batch?.items ?? []) expect(await blobs.has(item.sha256)).toBe(true);
  expect(fs.readFileSync(blobs.pathOf(batch!.items[1].sha256)).toString()).toContain('% a');
  // The same bytes twice (a file and a ZIP entry) are one job, under one of its names (whichever was stored first).
  expect(queue.jobs).toHaveLength(2);
  const names = Object.fromEntries(queue.jobs.map((j) => [j.sha256, j.fileName]));
  expect(names[batch!.items[1].sha256]).toBe('thang-11.zip/thang-11/2026-11_a.pdf');
  expect(['Công văn số 12.pdf', 'thang-11.zip/thang-11/dup.pdf']).toContain(names[batch!.items[0].sha256]);
  expect(tmpLeft(cfg)).toEqual([]);

  const status = await request(app).get(`/api/batches/${res.body.id}`).set('Authorization', ADMIN);
  expect(status.body).toMatchObject({ id: res.body.id, status: 'queued', total: 3, done: 0, errors: 0 });
});

test('a ZIP entry that walks out of the archive is refused and reported; the rest is checked', async () => {
  const { app, store } = setup();
  const zip = buildZip([
    { name: '../evil.pdf', data: pdf('evil') },
    { name: '/etc/abs.pdf', data: pdf('abs') },
    { name: 'ok.pdf', data: pdf('ok') },
  ]);
  const res = await request(app).post('/api/batches').set('Authorization', ADMIN).attach('files', zip, 'x.zip');
  expect(res.status).toBe(202);
  const batch = store.batches.get(res.body.id as string)!;
  expect(batch.items.map((i) => i.file)).toEqual(['x.zip/ok.pdf']);
  expect(batch.findings.map((f) => f.code)).toEqual(['ZIP_UNSAFE_PATH', 'ZIP_UNSAFE_PATH']);
  expect(batch.findings[0].message).toContain('../evil.pdf');
  expect(res.body.findings).toHaveLength(2);
});

test('nested ZIPs are opened one level deep', async () => {
  const { app, store } = setup();
  const deeper = buildZip([{ name: 'too-deep.pdf', data: pdf('deep') }]);
  const inner = buildZip([
    { name: 'c.pdf', data: pdf('c') },
    { name: 'deeper.zip', data: deeper },
  ]);
  const outer = buildZip([
    { name: 'a.pdf', data: pdf('a') },
    { name: 'don-vi/inner.zip', data: inner },
  ]);
  const res = await request(app).post('/api/batches').set('Authorization', ADMIN).attach('files', outer, 'outer.zip');
  expect(res.status).toBe(202);
  const batch = store.batches.get(res.body.id as string)!;
  expect(batch.items.map((i) => i.file)).toEqual(['outer.zip/a.pdf', 'outer.zip/don-vi/inner.zip/c.pdf']);
  expect(batch.findings.map((f) => f.code)).toEqual(['ZIP_NESTED_TOO_DEEP']);
});

test('the register is joined by file base name as the CLI does; rows without a PDF become batch findings', async () => {
  const { app, store } = setup();
  const csv =
    '\ufeffTên tệp,Số ký hiệu,Ngày ban hành,Trích yếu,Người ký,Đơn vị ban hành\r\n' +
    '2026-11_A.PDF,12/UBND-VP,02/11/2026,V/v ký số,Nguyễn Văn A,Văn phòng UBND\r\n' +
    'b,13/UBND-VP,03/11/2026,V/v khác,Nguyễn Văn B,Phòng Tài chính\r\n' +
    'thieu.pdf,14/UBND-VP,04/11/2026,V/v thiếu,Nguyễn Văn C,Văn phòng UBND\r\n';
  const zip = buildZip([
    { name: 'x/2026-11_a.pdf', data: pdf('a') },
    { name: 'b.pdf', data: pdf('b') },
    { name: 'khong-so.pdf', data: pdf('c') },
  ]);
  const res = await request(app)
    .post('/api/batches')
    .set('Authorization', ADMIN)
    .attach('files', zip, 'thang.zip')
    .attach('register', Buffer.from(csv, 'utf8'), 'so-dang-ky.csv');
  expect(res.status).toBe(202);
  const batch = store.batches.get(res.body.id as string)!;
  expect(batch.hasRegister).toBe(true);
  const byFile = Object.fromEntries(batch.items.map((i) => [i.file, i.register]));
  expect(byFile['thang.zip/x/2026-11_a.pdf']).toMatchObject({ number: '12/UBND-VP', date: '2026-11-02', unit: 'Văn phòng UBND', line: 2 });
  expect(byFile['thang.zip/b.pdf']).toMatchObject({ number: '13/UBND-VP', unit: 'Phòng Tài chính' });
  expect(byFile['thang.zip/khong-so.pdf']).toBeNull();
  expect(batch.findings.map((f) => f.code)).toEqual(['REGISTER_ROW_WITHOUT_PDF']);
  expect(batch.findings[0].message).toBe('Sổ đăng ký có văn bản thieu.pdf — 14/UBND-VP (dòng 4) nhưng không có tệp PDF tương ứng.');
});

test('an unreadable register or archive is a 400 and nothing is stored', async () => {
  const { app, store, cfg } = setup();
  const noHeader = await request(app)
    .post('/api/batches')
    .set('Authorization', ADMIN)
    .attach('files', pdf('a'), 'a.pdf')
    .attach('register', Buffer.from('chỉ một dòng\r\n'), 'so.csv');
  expectError(noHeader, 400, 'REGISTER_UNREADABLE');
  expect(noHeader.body.error.message).toContain('không tìm thấy dòng tiêu đề');
  expect(noHeader.body.error.messageEn).toContain('no header row');
  const badZip = await request(app).post('/api/batches').set('Authorization', ADMIN).attach('files', Buffer.from('PK not really'), 'hong.zip');
  expectError(badZip, 400, 'ZIP_UNREADABLE');
  expect(store.batches.size).toBe(0);
  expect(tmpLeft(cfg).filter((f) => f.startsWith('upload-'))).toEqual([]);
});

test('requests that are not a proper upload: not multipart, no files, unknown file field', async () => {
  const { app } = setup();
  expectError(await request(app).post('/api/batches').set('Authorization', ADMIN).send({ files: [] }), 400, 'NOT_MULTIPART');
  expectError(await request(app).post('/api/batches').set('Authorization', ADMIN).field('note', 'x'), 400, 'NO_FILES');
  expectError(await request(app).post('/api/batches').set('Authorization', ADMIN).attach('other', pdf('a'), 'a.pdf'), 400, 'UNEXPECTED_FIELD');
  const emptyZip = await request(app).post('/api/batches').set('Authorization', ADMIN).attach('files', buildZip([{ name: 'a.txt', data: 'x' }]), 'e.zip');
  expectError(emptyZip, 400, 'NO_DOCUMENTS');
});

test('limits: file size, file count, request size, ZIP entries and ZIP uncompressed size are 413 with their code', async () => {
  const small = setup({ maxFileBytes: 1000 });
  expectError(await request(small.app).post('/api/batches').set('Authorization', ADMIN).attach('files', Buffer.alloc(2000, 1), 'big.pdf'), 413, 'FILE_TOO_LARGE');
  expect(small.store.batches.size).toBe(0);
  expect(tmpLeft(small.cfg).filter((f) => f.startsWith('upload-'))).toEqual([]);

  const few = setup({ maxFiles: 2 });
  const tooMany = await request(few.app)
    .post('/api/batches')
    .set('Authorization', ADMIN)
    .attach('files', pdf('1'), '1.pdf')
    .attach('files', pdf('2'), '2.pdf')
    .attach('files', pdf('3'), '3.pdf');
  expectError(tooMany, 413, 'TOO_MANY_FILES');

  const req = setup({ maxRequestBytes: 3000 });
  const declared = await request(req.app)
    .post('/api/batches')
    .set('Authorization', ADMIN)
    .attach('files', Buffer.alloc(2000, 1), '1.pdf')
    .attach('files', Buffer.alloc(2000, 2), '2.pdf');
  expectError(declared, 413, 'REQUEST_TOO_LARGE');

  const entries = setup({ maxZipEntries: 2 });
  const manyEntries = buildZip([1, 2, 3].map((n) => ({ name: `${n}.pdf`, data: pdf(String(n)) })));
  const e = await request(entries.app).post('/api/batches').set('Authorization', ADMIN).attach('files', manyEntries, 'many.zip');
  expectError(e, 413, 'ZIP_TOO_MANY_ENTRIES');
  expect(e.body.error.message).toContain('many.zip');

  const bytes = setup({ maxZipBytes: 100 });
  const big = await request(bytes.app).post('/api/batches').set('Authorization', ADMIN).attach('files', buildZip([{ name: 'a.pdf', data: Buffer.alloc(500, 7) }]), 'big.zip');
  expectError(big, 413, 'ZIP_TOO_LARGE');
  expect(bytes.store.batches.size).toBe(0);
});

test('a chunked upload without Content-Length is still held to the request limit while it streams', async () => {
  const { app, store } = setup({ maxRequestBytes: 3000 });
  const server = app.listen(0);
  try {
    const port = (server.address() as AddressInfo).port;
    const boundary = 'kiemkyboundary';
    const part = (name: string, size: number): Buffer =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`),
        Buffer.alloc(size, 1),
        Buffer.from('\r\n'),
      ]);
    const body = Buffer.concat([part('1.pdf', 2000), part('2.pdf', 2000), Buffer.from(`--${boundary}--\r\n`)]);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const r = http.request(
        { port, method: 'POST', path: '/api/batches', headers: { authorization: ADMIN, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      r.on('error', reject);
      for (let i = 0; i < body.length; i += 512) r.write(body.subarray(i, i + 512));
      r.end();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe('REQUEST_TOO_LARGE');
    expect(store.batches.size).toBe(0);
  } finally {
    server.close();
  }
});

test('a queue that is down does not lose the upload: 202, the batch is in the store for the reconciler', async () => {
  const { app, store, queue } = setup();
  queue.down = true;
  const zip = buildZip([1, 2, 3].map((n) => ({ name: `${n}.pdf`, data: pdf(`down ${n}`) })));
  const res = await request(app).post('/api/batches').set('Authorization', ADMIN).attach('files', pdf('q'), 'q.pdf').attach('files', zip, 'z.zip');
  expect(res.status).toBe(202);
  expect(store.batches.get(res.body.id as string)?.items).toHaveLength(4);
  expect(queue.jobs).toHaveLength(0);
});

/** A month's worth of small distinct documents in one ZIP. */
function month(n: number, tag = 'm'): { zip: Buffer; docs: Buffer[] } {
  const docs = Array.from({ length: n }, (_, i) => pdf(`${tag} ${i} ${'x'.repeat(i * 37)}`));
  return { zip: buildZip(docs.map((data, i) => ({ name: `thang/${String(i).padStart(3, '0')}.pdf`, data }))), docs };
}

test('documents are enqueued while the upload is still being stored: before the batch exists, each once, only when stored', async () => {
  const { app, store, queue, blobs } = setup();
  const { zip } = month(60);
  const seen: Array<{ batches: number; missingBlobs: number }> = [];
  queue.onEnqueue = (jobs) => {
    let missing = 0;
    for (const j of jobs) if (!fs.existsSync(blobs.pathOf(j.sha256))) missing++;
    seen.push({ batches: store.batches.size, missingBlobs: missing });
  };
  const res = await request(app).post('/api/batches').set('Authorization', ADMIN).attach('files', zip, 'thang.zip');
  expect(res.status).toBe(202);
  const batch = store.batches.get(res.body.id as string)!;
  expect(batch.items).toHaveLength(60);
  // Enqueued in more than one group, all of them before the batch was created, never naming a blob not written.
  expect(seen.length).toBeGreaterThan(1);
  expect(seen.every((s) => s.batches === 0 && s.missingBlobs === 0)).toBe(true);
  // Every document exactly once, under its name in the archive.
  expect(queue.jobs.map((j) => j.sha256).sort()).toEqual(batch.items.map((i) => i.sha256).sort());
  expect(queue.jobs.map((j) => j.fileName).sort()).toEqual(batch.items.map((i) => i.file).sort());
});

test('documents verified before are not enqueued; the batch completes them from their reports', async () => {
  const { app, store, queue } = setup();
  const { zip, docs } = month(6, 'known');
  const known = docs.slice(0, 4).map((d) => crypto.createHash('sha256').update(d).digest('hex'));
  for (const s of known) store.setReport(s, 'UBND xã Vạn Thắng');
  const res = await request(app).post('/api/batches').set('Authorization', ADMIN).attach('files', zip, 'known.zip');
  expect(res.status).toBe(202);
  expect(queue.jobs).toHaveLength(2);
  for (const j of queue.jobs) expect(known).not.toContain(j.sha256);
  const status = await request(app).get(`/api/batches/${res.body.id}`).set('Authorization', ADMIN);
  expect(status.body).toMatchObject({ status: 'running', total: 6, done: 4 });
});

test('an archive over the limits, after a good one: 413 before anything of the upload is stored or enqueued', async () => {
  const { app, store, queue, blobs } = setup({ maxZipEntries: 5 });
  const good = month(4, 'good').zip;
  const tooMany = month(6, 'many').zip;
  const res = await request(app).post('/api/batches').set('Authorization', ADMIN).attach('files', good, 'a.zip').attach('files', tooMany, 'b.zip');
  expectError(res, 413, 'ZIP_TOO_MANY_ENTRIES');
  expect(res.body.error.message).toContain('b.zip');
  expect(store.batches.size).toBe(0);
  expect(queue.jobs).toHaveLength(0);
  expect(fs.readdirSync(blobs.root).filter((d) => d !== 'tmp')).toEqual([]);
});

test('a disk error mid-upload: 500, no batch, upload files removed; what was enqueued early is stored and verifies alone', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const cfg = testConfig(dir);
  const store = new FakeStore();
  const queue = new FakeQueue();
  const real = new FileBlobStore(dir);
  const app = createApp({ cfg, store, blobs: failingBlobs(real, 30), queue, log: () => undefined });
  const { zip } = month(60, 'enospc');
  const res = await request(app).post('/api/batches').set('Authorization', ADMIN).attach('files', zip, 'thang.zip');
  expectError(res, 500, 'INTERNAL');
  expect(store.batches.size).toBe(0);
  expect(queue.jobs.length).toBeLessThan(30);
  for (const j of queue.jobs) expect(fs.existsSync(real.pathOf(j.sha256))).toBe(true);
  expect(tmpLeft(cfg)).toEqual([]);
});

test('a client that goes away mid-upload leaves nothing: no batch, no job, no temporary file', async () => {
  const { app, store, queue, blobs, cfg } = setup();
  const server = app.listen(0);
  try {
    const port = (server.address() as AddressInfo).port;
    const boundary = 'kiemkyboundary';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="thang.zip"\r\nContent-Type: application/zip\r\n\r\n`);
    const { zip } = month(40, 'gone');
    await new Promise<void>((resolve) => {
      const r = http.request({
        port,
        method: 'POST',
        path: '/api/batches',
        headers: { authorization: ADMIN, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + zip.length + 100 },
      });
      r.on('error', () => resolve());
      r.write(head);
      r.write(zip.subarray(0, zip.length >> 1), () => setTimeout(() => {
        r.destroy();
        resolve();
      }, 100));
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(store.batches.size).toBe(0);
    expect(queue.jobs).toHaveLength(0);
    expect(tmpLeft(cfg)).toEqual([]);
    expect(fs.readdirSync(blobs.root).filter((d) => d !== 'tmp')).toEqual([]);
  } finally {
    server.close();
  }
});
