import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import type express from 'express';
import { createApp } from '../../server/api/app';
import { createAccount } from '../../server/api/accounts';
import { issueToken } from '../../server/api/auth';
import { describeTrustStore } from '../../server/pool/trust-list';
import { defaultCertsDir } from '../../server/shared/paths';
import { FileBlobStore } from '../../server/store/blobs';
import { openStore } from '../../server/store/open';
import type { Store } from '../../server/shared/types';
import { FakeQueue, tempDir, testConfig } from './helpers/fakes';

/**
 * The admin's routes as the web app uses them — signed in, with the CSRF token — on the real store (embedded
 * PGlite): accounts made, changed, disabled and reset with the effect on their sessions; tokens listed and revoked;
 * the trust store the service verifies with; the export folder. And that no other role reaches any of it.
 */

const dir = tempDir('kiemky-admin-');
let store: Store;
let app: express.Application;
const PASSWORD = 'mật khẩu quản trị';
const UNIT = 'UBND xã Vạn Thắng';

beforeAll(async () => {
  store = await openStore({ databaseUrl: null, dataDir: dir });
  const cfg = testConfig(dir, { exportDir: path.join(dir, 'exports'), exportIntervalSeconds: 45 });
  const trust = describeTrustStore(defaultCertsDir());
  app = createApp({ cfg, store, blobs: new FileBlobStore(dir), queue: new FakeQueue(), log: () => undefined, trust: () => trust, lastExportScan: () => new Date('2026-05-04T02:00:00Z') });
  await createAccount(store, { username: 'quantri', password: PASSWORD, role: 'admin', units: [] });
  for (const role of ['clerk', 'inspector', 'leader'] as const) await createAccount(store, { username: role, password: PASSWORD, role, units: [UNIT] });
}, 30_000);
afterAll(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(username: string, password = PASSWORD): Promise<Session> {
  const res = await request(app).post('/api/session').send({ username, password });
  expect({ username, status: res.status }).toEqual({ username, status: 200 });
  return { cookie: /^(kiemky_session=[^;]+)/.exec(([] as string[]).concat(res.headers['set-cookie'])[0])![1], csrf: res.body.csrfToken as string };
}

function as(s: Session, method: 'get' | 'post' | 'patch' | 'delete', url: string): request.Test {
  return request(app)[method](url).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);
}

function expectError(res: request.Response, status: number, code: string): void {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: { error: { code, message: expect.any(String), messageEn: expect.any(String) } } });
}

test('signed in as clerk, inspector or leader: every admin route is 403, with or without the CSRF token', async () => {
  const routes: Array<['get' | 'post' | 'patch' | 'delete', string]> = [
    ['get', '/api/users'],
    ['post', '/api/users'],
    ['patch', '/api/users/quantri'],
    ['get', '/api/tokens'],
    ['post', '/api/tokens'],
    ['delete', '/api/tokens/x'],
    ['get', '/api/trust'],
    ['get', '/api/exports'],
  ];
  for (const role of ['clerk', 'inspector', 'leader']) {
    const s = await signIn(role);
    for (const [method, url] of routes) {
      const res = await as(s, method, url).send({ username: 'x', password: 'xxxxxxxxxxxx', role: 'admin', disabled: true });
      expect({ role, method, url, status: res.status, code: res.body.error?.code }).toEqual({ role, method, url, status: 403, code: 'FORBIDDEN' });
    }
  }
  // Nothing was changed by those attempts.
  expect((await store.userCredentials('quantri'))?.user.disabled).toBe(false);
  expect(await store.userCredentials('x')).toBeNull();
});

test('an admin makes an account; names are unique without case; short passwords and unit-less clerks are refused', async () => {
  const admin = await signIn('quantri');
  const made = await as(admin, 'post', '/api/users').send({ username: 'Hoa', password: 'một mật khẩu dài', role: 'clerk', units: [`  ${UNIT} `] });
  expect(made.status).toBe(201);
  expect(made.body).toEqual({ username: 'Hoa', role: 'clerk', units: [UNIT], disabled: false, createdAt: expect.any(String), lastLoginAt: null });
  expectError(await as(admin, 'post', '/api/users').send({ username: 'HOA', password: 'một mật khẩu dài', role: 'leader' }), 409, 'USERNAME_TAKEN');
  const short = await as(admin, 'post', '/api/users').send({ username: 'ngan', password: 'ngắn', role: 'leader' });
  expectError(short, 400, 'PASSWORD_TOO_SHORT');
  expect(short.body.error.message).toBe('Mật khẩu quá ngắn: cần ít nhất 10 ký tự.');
  expectError(await as(admin, 'post', '/api/users').send({ username: 'vt', password: 'một mật khẩu dài', role: 'clerk', units: [] }), 400, 'CLERK_NEEDS_UNIT');
  expectError(await as(admin, 'post', '/api/users').send({ username: 'có dấu cách', password: 'một mật khẩu dài', role: 'leader' }), 400, 'BAD_USERNAME');
  expectError(await as(admin, 'post', '/api/users').send({ username: 'boss', password: 'một mật khẩu dài', role: 'boss' }), 400, 'BAD_ROLE');
  const list = await as(admin, 'get', '/api/users');
  expect(list.body.items.map((u: { username: string }) => u.username)).toEqual(['clerk', 'Hoa', 'inspector', 'leader', 'quantri']);
  expect(JSON.stringify(list.body)).not.toMatch(/salt|hash|password/i);
  // The new account signs in.
  await signIn('hoa', 'một mật khẩu dài');
});

test('role and units change at once on live sessions; disabling ends them; a reset password replaces the old one', async () => {
  const admin = await signIn('quantri');
  await createAccount(store, { username: 'binh', password: 'mật khẩu cũ 123', role: 'inspector', units: [] });
  const binh = await signIn('binh', 'mật khẩu cũ 123');
  expect((await as(binh, 'get', '/api/units')).status).toBe(200);

  expectError(await as(admin, 'patch', '/api/users/binh').send({ role: 'clerk' }), 400, 'CLERK_NEEDS_UNIT');
  const changed = await as(admin, 'patch', '/api/users/BINH').send({ role: 'clerk', units: [UNIT] });
  expect(changed.body).toMatchObject({ username: 'binh', role: 'clerk', units: [UNIT] });
  expect((await as(binh, 'get', '/api/session')).body.user).toEqual({ username: 'binh', role: 'clerk', units: [UNIT] });
  expect((await as(binh, 'get', '/api/me')).body).toMatchObject({ role: 'clerk', units: [UNIT] });

  expect((await as(admin, 'patch', '/api/users/binh').send({ disabled: true })).body.disabled).toBe(true);
  expectError(await as(binh, 'get', '/api/me'), 401, 'UNAUTHORIZED');
  expectError(await request(app).post('/api/session').send({ username: 'binh', password: 'mật khẩu cũ 123' }), 401, 'LOGIN_FAILED');

  await as(admin, 'patch', '/api/users/binh').send({ disabled: false });
  const again = await signIn('binh', 'mật khẩu cũ 123');
  expect((await as(admin, 'patch', '/api/users/binh').send({ password: 'mật khẩu mới 456' })).status).toBe(200);
  expectError(await as(again, 'get', '/api/me'), 401, 'UNAUTHORIZED');
  expectError(await request(app).post('/api/session').send({ username: 'binh', password: 'mật khẩu cũ 123' }), 401, 'LOGIN_FAILED');
  await signIn('binh', 'mật khẩu mới 456');

  expectError(await as(admin, 'patch', '/api/users/binh').send({ password: 'ngắn' }), 400, 'PASSWORD_TOO_SHORT');
  expectError(await as(admin, 'patch', '/api/users/binh').send({ username: 'other' }), 400, 'BAD_REQUEST');
  expectError(await as(admin, 'patch', '/api/users/nobody').send({ disabled: true }), 404, 'USER_NOT_FOUND');
  // Without the CSRF token, the admin's own session changes nothing.
  expectError(await request(app).patch('/api/users/binh').set('Cookie', admin.cookie).send({ disabled: true }), 403, 'CSRF');
  expect((await store.userCredentials('binh'))?.user.disabled).toBe(false);
});

test('tokens are listed without their secrets and revoked by id', async () => {
  const admin = await signIn('quantri');
  const issued = await issueToken(store, 'leader', [], 'bảng điều khiển');
  const list = await as(admin, 'get', '/api/tokens');
  expect(list.body.items).toContainEqual({ id: issued.id, role: 'leader', units: [], label: 'bảng điều khiển', createdAt: issued.createdAt });
  expect(JSON.stringify(list.body)).not.toContain(issued.token);
  expect((await request(app).get('/api/units').set('Authorization', `Bearer ${issued.token}`)).status).toBe(200);
  expect((await as(admin, 'delete', `/api/tokens/${issued.id}`)).status).toBe(204);
  expectError(await request(app).get('/api/units').set('Authorization', `Bearer ${issued.token}`), 401, 'INVALID_TOKEN');
  expectError(await as(admin, 'delete', `/api/tokens/${issued.id}`), 404, 'TOKEN_NOT_FOUND');
});

test('the trust store: the bundled roots and CAs, each with its category and provider', async () => {
  const admin = await signIn('quantri');
  const items = (await as(admin, 'get', '/api/trust')).body.items as Array<{ kind: string; category: string; provider: string | null; commonName: string | null; fingerprint: string; notAfter: string }>;
  expect(items.length).toBeGreaterThan(10);
  for (const item of items) expect(item.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  const government = items.filter((i) => i.category === 'government');
  expect(new Set(government.map((i) => i.provider))).toEqual(new Set(['Ban Cơ yếu Chính phủ']));
  expect(government.some((i) => i.kind === 'root')).toBe(true);
  expect(government.some((i) => i.kind === 'intermediate')).toBe(true);
  const providers = new Set(items.filter((i) => i.category === 'public').map((i) => i.provider));
  for (const p of ['VNPT-CA', 'Viettel-CA', 'NEAC', 'BkavCA']) expect(providers.has(p)).toBe(true);
  // Roots come first.
  expect(items.findIndex((i) => i.kind === 'intermediate')).toBeGreaterThan(items.map((i) => i.kind).lastIndexOf('root'));
});

test('the export folder: configured, its interval, the last scan and the exports taken', async () => {
  const admin = await signIn('quantri');
  await store.claimExport('thang-11.zip', 'f1', 'batch-x');
  const res = await as(admin, 'get', '/api/exports');
  expect(res.body).toEqual({
    configured: true,
    dir: path.join(dir, 'exports'),
    intervalSeconds: 45,
    lastScanAt: '2026-05-04T02:00:00.000Z',
    taken: [{ name: 'thang-11.zip', batchId: 'batch-x', takenAt: expect.any(String) }],
  });
});
