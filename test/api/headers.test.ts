import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApp } from '../../server/api/app';
import { parseArgs } from '../../server/cli/args';
import { FileBlobStore } from '../../server/store/blobs';
import { loadConfig } from '../../server/shared/config';
import { startServer } from '../../server/service/serve';
import { FakeQueue, FakeStore, tempDir, testConfig } from './helpers/fakes';

/**
 * Every response carries the security headers (answers, errors, 404s in and outside /api), a 413 names its limit, and
 * the server listens where HOST / --host says — on this machine only unless told.
 */

const ADMIN = 'Bearer kk_admin-from-env';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function app(): ReturnType<typeof createApp> {
  const dir = tempDir();
  dirs.push(dir);
  return createApp({ cfg: testConfig(dir), store: new FakeStore(), blobs: new FileBlobStore(dir), queue: new FakeQueue(), log: () => undefined });
}

function expectSecurityHeaders(res: request.Response): void {
  const csp = String(res.headers['content-security-policy']);
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['x-powered-by']).toBeUndefined();
}

test('security headers on answers, errors and 404s, in and outside /api', async () => {
  const a = app();
  const cases: Array<[request.Test, number]> = [
    [request(a).get('/api/health'), 200],
    [request(a).get('/api/me').set('Authorization', ADMIN), 200],
    [request(a).get('/api/openapi.json').set('Authorization', ADMIN), 200],
    [request(a).get('/api/me'), 401],
    [request(a).get('/api/units?from=2026-13').set('Authorization', ADMIN), 400],
    [request(a).get('/api/no-such-route').set('Authorization', ADMIN), 404],
    [request(a).get('/'), 404],
    [request(a).get('/index.html?x=<script>'), 404],
    [request(a).post('/api/batches').set('Authorization', ADMIN).send({}), 400],
  ];
  for (const [req, status] of cases) {
    const res = await req;
    expect(res.status).toBe(status);
    expectSecurityHeaders(res);
  }
  // Outside /api too, a 404 is the API's JSON, not Express's HTML page.
  const outside = await request(a).get('/');
  expect(outside.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Không tìm thấy.', messageEn: 'Not found.' } });
});

test('a 413 names its limit, never "?"', async () => {
  const res = await request(app())
    .post('/api/tokens')
    .set('Authorization', ADMIN)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify({ role: 'inspector', label: 'x'.repeat(20_000) }));
  expect(res.status).toBe(413);
  expectSecurityHeaders(res);
  expect(res.body.error.code).toBe('REQUEST_TOO_LARGE');
  expect(res.body.error.message).toBe('Yêu cầu quá lớn (giới hạn 16 KB mỗi lần gửi).');
  expect(res.body.error.messageEn).toBe('Request too large (limit 16 KB per request).');
});

test('the server listens on 127.0.0.1 unless HOST or --host says otherwise', async () => {
  expect(parseArgs(['serve', '--host', '0.0.0.0'])).toMatchObject({ command: 'serve', flags: { host: '0.0.0.0' } });
  const listenOn = async (env: Record<string, string>): Promise<string> => {
    const dir = tempDir();
    dirs.push(dir);
    const cfg = loadConfig({ DATA_DIR: dir, PORT: '0', ...env });
    const server = await startServer(cfg, { store: new FakeStore(), verifier: { size: 1, verify: () => Promise.reject(new Error('unused')), close: async () => undefined }, handleSignals: false, log: () => undefined });
    try {
      const address = (server.server.address() as AddressInfo).address;
      // Headers hold on the real server too.
      expectSecurityHeaders(await request(`http://127.0.0.1:${server.port}`).get('/api/health'));
      return address;
    } finally {
      await server.close();
    }
  };
  expect(await listenOn({})).toBe('127.0.0.1');
  expect(await listenOn({ HOST: '0.0.0.0' })).toBe('0.0.0.0');
});
