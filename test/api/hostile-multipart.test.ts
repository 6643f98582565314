import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/api/app';
import { collectInputs } from '../../server/ingest/collect';
import type { ServiceConfig } from '../../server/shared/types';
import { buildZip } from './helpers/zip-deflate';
import { tempDir } from './helpers/fakes';
import { ADMIN, pdf, tmpLeft, uploadSetup } from './helpers/upload-setup';

/**
 * No 500 for any client input: whatever a client sends as a multipart body or a ZIP, the answer is a 202 or a 4xx with
 * a code — never a 500. Malformed bodies are sent byte by byte over a real socket (supertest would not write them);
 * duplicate names are kept, renamed and listed; a ZIP that expands past its ratio is refused before it is stored.
 */

const { dirs, setup } = uploadSetup();

/** multer may answer before the part it was writing is removed: the removal is given a moment. */
async function tmpLeftSoon(cfg: ServiceConfig): Promise<string[]> {
  for (let i = 0; i < 50 && tmpLeft(cfg).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  return tmpLeft(cfg);
}

const B = 'kiemkyB0undary';
const part = (field: string, disposition: string, data: Buffer | string): Buffer =>
  Buffer.concat([Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="${field}"; ${disposition}\r\nContent-Type: application/pdf\r\n\r\n`), Buffer.from(data), Buffer.from('\r\n')]);
const end = Buffer.from(`--${B}--\r\n`);

/** Sends exactly these bytes as the body of POST /api/batches, and reads the answer. */
async function post(app: ReturnType<typeof createApp>, contentType: string, body: Buffer): Promise<{ status: number; body: { error?: { code: string; message: string } } & Record<string, unknown> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    return await new Promise((resolve, reject) => {
      const r = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/api/batches', headers: { authorization: ADMIN, 'content-type': contentType, 'content-length': body.length } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { error?: { code: string; message: string } } }));
      });
      r.on('error', reject);
      r.end(body);
    });
  } finally {
    server.close();
  }
}

describe('malformed multipart bodies are a 400 with a code', () => {
  const multipart = `multipart/form-data; boundary=${B}`;
  const whole = Buffer.concat([part('files', 'filename="a.pdf"', pdf('a')), end]);
  const shapes: Array<[string, string, Buffer, string]> = [
    ['a body cut short in a part', multipart, whole.subarray(0, whole.length - 30), 'MULTIPART_TRUNCATED'],
    ['a body with no closing boundary', multipart, part('files', 'filename="a.pdf"', pdf('a')), 'MULTIPART_TRUNCATED'],
    ['a body that is not multipart at all', multipart, Buffer.from('hello world'), 'MULTIPART_TRUNCATED'],
    ['no boundary parameter', 'multipart/form-data', whole, 'MULTIPART_NO_BOUNDARY'],
    ['a part header without its colon', multipart, Buffer.concat([Buffer.from(`--${B}\r\nContent-Disposition form-data\r\n\r\nx\r\n`), end]), 'MULTIPART_MALFORMED'],
    ['a CR in a file name', multipart, Buffer.concat([part('files', 'filename="a\rb.pdf"', pdf('a')), end]), 'MULTIPART_MALFORMED'],
    ['an ESC in a file name', multipart, Buffer.concat([part('files', 'filename="a\x1b[2Jb.pdf"', pdf('a')), end]), 'MULTIPART_MALFORMED'],
    // RFC 5987 encoding gets a control character past the header parser: the name itself is refused.
    ['an encoded ESC in a file name', multipart, Buffer.concat([part('files', "filename*=UTF-8''a%1B%5D0%3Bx%07.pdf", pdf('a')), end]), 'BAD_FILE_NAME'],
    ['an encoded CR in a file name', multipart, Buffer.concat([part('files', "filename*=UTF-8''a%0Db.pdf", pdf('a')), end]), 'BAD_FILE_NAME'],
    ['an encoded NUL in a register name', multipart, Buffer.concat([part('files', 'filename="a.pdf"', pdf('a')), part('register', "filename*=UTF-8''s%00.csv", 'Tệp,Số\r\n'), end]), 'BAD_FILE_NAME'],
    ['a right-to-left override in a file name', multipart, Buffer.concat([part('files', "filename*=UTF-8''a%E2%80%AEfdp.exe", pdf('a')), end]), 'BAD_FILE_NAME'],
    ['two register parts', multipart, Buffer.concat([part('files', 'filename="a.pdf"', pdf('a')), part('register', 'filename="s.csv"', 'x'), part('register', 'filename="s.csv"', 'x'), end]), 'UNEXPECTED_FIELD'],
  ];
  test.each(shapes)('%s', async (_name, contentType, body, code) => {
    const { app, store, queue, cfg } = setup();
    const res = await post(app, contentType, body);
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code });
    expect(res.body.error?.message).toEqual(expect.any(String));
    expect(store.batches.size).toBe(0);
    expect(queue.jobs).toHaveLength(0);
    expect(await tmpLeftSoon(cfg)).toEqual([]);
  });

  test('the refused name is shown with its control characters written out', async () => {
    const { app } = setup();
    const res = await post(app, multipart, Buffer.concat([part('files', "filename*=UTF-8''a%1B%5B2Jb.pdf", pdf('a')), end]));
    expect(res.body.error?.message).toBe('Tên tệp không hợp lệ: "a\\u{1B}[2Jb.pdf" chứa ký tự điều khiển.');
  });
});

describe('duplicate names are kept, renamed and listed', () => {
  test('two parts with the same file name', async () => {
    const { app, store, queue } = setup();
    const res = await request(app).post('/api/batches').set('Authorization', ADMIN).attach('files', pdf('one'), 'a.pdf').attach('files', pdf('two'), 'a.pdf').attach('files', pdf('three'), 'a.pdf');
    expect(res.status).toBe(202);
    const batch = store.batches.get(res.body.id as string)!;
    expect(batch.items.map((i) => i.file)).toEqual(['a.pdf', 'a (2).pdf', 'a (3).pdf']);
    expect(new Set(batch.items.map((i) => i.sha256)).size).toBe(3);
    expect(batch.findings.map((f) => [f.code, f.severity])).toEqual([
      ['DUPLICATE_NAME', 'warning'],
      ['DUPLICATE_NAME', 'warning'],
    ]);
    expect(batch.findings[0].message).toBe('Tên "a.pdf" bị trùng: văn bản sau được ghi là "a (2).pdf" để không lẫn với văn bản trước.');
    expect(res.body.findings).toHaveLength(2);
    expect(queue.jobs).toHaveLength(3);
  });

  test('entries of a ZIP with one name, and two ZIP parts with one name', async () => {
    const { app, store } = setup();
    const zip = buildZip([
      { name: 'thang/a.pdf', data: pdf('1') },
      { name: 'thang/a.pdf', data: pdf('2') },
      { name: 'thang/a (2).pdf', data: pdf('3') },
      { name: 'thang/b', data: pdf('4') },
      { name: 'thang/b.pdf', data: pdf('5') },
    ]);
    const again = buildZip([{ name: 'thang/b.pdf', data: pdf('6') }]);
    const res = await request(app).post('/api/batches').set('Authorization', ADMIN).attach('files', zip, 'thang.zip').attach('files', again, 'thang.zip');
    expect(res.status).toBe(202);
    const batch = store.batches.get(res.body.id as string)!;
    expect(batch.items.map((i) => i.file)).toEqual([
      'thang.zip/thang/a.pdf',
      'thang.zip/thang/a (2).pdf',
      // The archive's own "a (2).pdf" comes after the renamed copy took that name.
      'thang.zip/thang/a (2) (2).pdf',
      'thang.zip/thang/b.pdf',
      'thang.zip/thang/b (2).pdf',
    ]);
    expect(batch.findings.map((f) => f.code)).toEqual(['DUPLICATE_NAME', 'DUPLICATE_NAME', 'DUPLICATE_NAME']);
  });

  test('kiemky check renames and lists them the same way', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'thang.zip');
    fs.writeFileSync(file, buildZip([{ name: 'a.pdf', data: pdf('1') }, { name: 'a.pdf', data: pdf('2') }]));
    const plan = await collectInputs([file]);
    try {
      expect(plan.items.map((i) => i.name)).toEqual([`${file}/a.pdf`, `${file}/a (2).pdf`]);
      expect(plan.findings.map((f) => f.code)).toEqual(['DUPLICATE_NAME']);
    } finally {
      await plan.close();
    }
  });
});

describe('ZIP expansion ratio', () => {
  /** 8 MB of zeros deflates to about 8 KB: a thousandfold, as a ZIP bomb's entries do. */
  const bomb = (): Buffer => buildZip([{ name: 'ok.pdf', data: pdf('ok') }, ...Array.from({ length: 4 }, (_, i) => ({ name: `bomb-${i}.pdf`, data: Buffer.alloc(8 << 20) }))]);

  test('an upload that expands past the ratio is a 413 naming the limit, before anything is stored', async () => {
    const { app, store, queue, blobs, cfg } = setup();
    const zip = bomb();
    expect(zip.length).toBeLessThan(64 * 1024);
    const res = await request(app).post('/api/batches').set('Authorization', ADMIN).attach('files', zip, 'bom.zip');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('ZIP_RATIO_TOO_HIGH');
    expect(res.body.error.message).toContain('bom.zip');
    expect(res.body.error.message).toContain('100 lần');
    expect(res.body.error.messageEn).toContain(`${100 * zip.length} bytes`);
    expect(store.batches.size).toBe(0);
    expect(queue.jobs).toHaveLength(0);
    expect(fs.readdirSync(blobs.root).filter((d) => d !== 'tmp')).toEqual([]);
    expect(tmpLeft(cfg)).toEqual([]);
  });

  test('the ratio counts nested archives against the outer one, and is configurable', async () => {
    const inner = bomb();
    const outer = buildZip([{ name: 'inner.zip', data: inner, method: 'store' }]);
    const strict = setup();
    expect((await request(strict.app).post('/api/batches').set('Authorization', ADMIN).attach('files', outer, 'outer.zip')).body.error?.code).toBe('ZIP_RATIO_TOO_HIGH');
    const lenient = setup({ maxZipRatio: 5000 });
    const res = await request(lenient.app).post('/api/batches').set('Authorization', ADMIN).attach('files', outer, 'outer.zip');
    expect(res.status).toBe(202);
    expect(lenient.store.batches.get(res.body.id as string)!.items).toHaveLength(5);
  });

  test('kiemky check keeps what came before the limit and reports the archive', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'bom.zip');
    fs.writeFileSync(file, bomb());
    const plan = await collectInputs([file]);
    try {
      expect(plan.items.map((i) => path.basename(i.name))).toEqual(['ok.pdf']);
      expect(plan.findings.map((f) => [f.code, f.severity])).toEqual([['ZIP_RATIO_TOO_HIGH', 'error']]);
      expect(plan.findings[0].message).toContain('100 lần');
    } finally {
      await plan.close();
    }
  });
});
