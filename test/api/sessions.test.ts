import * as fs from 'node:fs';
import request from 'supertest';
import type express from 'express';
import { createApp } from '../../server/api/app';
import { createAccount } from '../../server/api/accounts';
import { issueToken } from '../../server/api/auth';
import { FileBlobStore } from '../../server/store/blobs';
import { openStore } from '../../server/store/open';
import type { Store } from '../../server/shared/types';
import { FakeQueue, tempDir, testConfig } from './helpers/fakes';

/**
 * Signing in with an account, on the real store (embedded PGlite): the cookie and its flags, CSRF on what the
 * cookie authenticates, idle and absolute expiry on a clock the test moves, sign-out, throttling per account and
 * per address, and Bearer tokens left as they were.
 */

const dir = tempDir('kiemky-sessions-');
let store: Store;
let app: express.Application;
/** The app behind a proxy it trusts (KIEMKY_TRUST_PROXY=loopback) to say the client's address and scheme. */
let proxied: express.Application;
const clock = { now: new Date('2026-05-04T01:00:00Z') };
const advance = (ms: number): void => {
  clock.now = new Date(clock.now.getTime() + ms);
};
const MIN = 60_000;
const PASSWORD = 'mật khẩu đủ dài';
let adminToken = '';

beforeAll(async () => {
  store = await openStore({ databaseUrl: null, dataDir: dir });
  const deps = { cfg: testConfig(dir), store, blobs: new FileBlobStore(dir), queue: new FakeQueue(), log: () => undefined, now: () => clock.now };
  app = createApp(deps);
  proxied = createApp({ ...deps, cfg: testConfig(dir, { trustProxy: 'loopback' }) });
  await createAccount(store, { username: 'quantri', password: PASSWORD, role: 'admin', units: [] });
  await createAccount(store, { username: 'Lan', password: PASSWORD, role: 'clerk', units: ['Phòng Nội vụ'] });
  await createAccount(store, { username: 'tam', password: PASSWORD, role: 'inspector', units: [] });
  adminToken = (await issueToken(store, 'admin', [], 'script')).token;
}, 30_000);
afterAll(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface SignedIn {
  cookie: string;
  csrf: string;
  setCookie: string;
}

function expectError(res: request.Response, status: number, code: string): void {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: { error: { code, message: expect.any(String), messageEn: expect.any(String) } } });
}

async function signIn(username: string, password = PASSWORD, on: express.Application = app, from?: string): Promise<SignedIn> {
  const r = request(on).post('/api/session').send({ username, password });
  if (from) r.set('X-Forwarded-For', from);
  const res = await r;
  expect(res.status).toBe(200);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0];
  const cookie = /^(kiemky_session=[^;]+)/.exec(setCookie)![1];
  return { cookie, csrf: res.body.csrfToken as string, setCookie };
}

const withSession = (r: request.Test, s: SignedIn, csrf: string | null = s.csrf): request.Test => {
  r.set('Cookie', s.cookie);
  if (csrf !== null) r.set('X-CSRF-Token', csrf);
  return r;
};

beforeEach(async () => {
  // Each test starts with no failures on record (the throttle would carry over between tests).
  for (const key of ['user:lan', 'user:quantri', 'user:tam', 'user:nobody', 'addr:127.0.0.1', 'addr:::ffff:127.0.0.1']) await store.clearLoginFailures(key);
  advance(60 * MIN);
});

test('sign-in sets an HttpOnly, SameSite=Strict cookie and answers the user and a CSRF token; GET /api/session and /api/me read it', async () => {
  const s = await signIn('LAN');
  expect(s.setCookie).toMatch(/^kiemky_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
  const session = await request(app).get('/api/session').set('Cookie', s.cookie);
  expect(session.status).toBe(200);
  expect(session.body).toEqual({ user: { username: 'Lan', role: 'clerk', units: ['Phòng Nội vụ'] }, csrfToken: s.csrf });
  const me = await request(app).get('/api/me').set('Cookie', s.cookie);
  expect(me.body).toMatchObject({ username: 'Lan', role: 'clerk', units: ['Phòng Nội vụ'], id: 'user:Lan' });
  // The stored session is the cookie's hash, never the value.
  const dump = JSON.stringify(await store.findSession(s.cookie.split('=')[1]));
  expect(dump).toBe('null');
  expect((await store.listUsers()).find((u) => u.username === 'Lan')?.lastLoginAt).toBe(clock.now.toISOString());
  // Without a session or with a made-up one: 401.
  expectError(await request(app).get('/api/session'), 401, 'UNAUTHORIZED');
  expectError(await request(app).get('/api/me').set('Cookie', `kiemky_session=${'A'.repeat(43)}`), 401, 'UNAUTHORIZED');
});

test('over HTTPS (behind a proxy that says so) the cookie is Secure', async () => {
  const res = await request(proxied).post('/api/session').set('X-Forwarded-Proto', 'https').send({ username: 'tam', password: PASSWORD });
  expect(res.status).toBe(200);
  expect(([] as string[]).concat(res.headers['set-cookie'])[0]).toMatch(/; Secure;/);
  // Without KIEMKY_TRUST_PROXY the header is anyone's to send, and is not believed.
  const direct = await request(app).post('/api/session').set('X-Forwarded-Proto', 'https').send({ username: 'tam', password: PASSWORD });
  expect(([] as string[]).concat(direct.headers['set-cookie'])[0]).not.toMatch(/Secure/);
});

test('a wrong password, an unknown user and a disabled account get the same 401 LOGIN_FAILED', async () => {
  const wrong = await request(app).post('/api/session').send({ username: 'tam', password: 'không phải mật khẩu' });
  expectError(wrong, 401, 'LOGIN_FAILED');
  expect(wrong.headers['set-cookie']).toBeUndefined();
  const unknown = await request(app).post('/api/session').send({ username: 'nobody', password: PASSWORD });
  expectError(unknown, 401, 'LOGIN_FAILED');
  expect(unknown.body).toEqual(wrong.body);
  await store.updateUser('tam', { disabled: true });
  try {
    const disabled = await request(app).post('/api/session').send({ username: 'tam', password: PASSWORD });
    expectError(disabled, 401, 'LOGIN_FAILED');
    expect(disabled.body).toEqual(wrong.body);
  } finally {
    await store.updateUser('tam', { disabled: false });
  }
  expectError(await request(app).post('/api/session').send({ username: 'tam' }), 400, 'BAD_REQUEST');
  expectError(await request(app).post('/api/session').send({ username: 'tam\u0000', password: PASSWORD }), 400, 'BAD_REQUEST');
  expectError(await request(app).post('/api/session').send([1, 2]), 400, 'BAD_REQUEST');
});

test('state-changing requests on a session need its CSRF token; Bearer tokens do not', async () => {
  const s = await signIn('quantri');
  const body = { role: 'leader' };
  expectError(await withSession(request(app).post('/api/tokens'), s, null).send(body), 403, 'CSRF');
  expectError(await withSession(request(app).post('/api/tokens'), s, 'x'.repeat(43)).send(body), 403, 'CSRF');
  const other = await signIn('quantri');
  // Another session's token is not this one's.
  expectError(await withSession(request(app).post('/api/tokens'), s, other.csrf).send(body), 403, 'CSRF');
  expect((await withSession(request(app).post('/api/tokens'), s).send(body)).status).toBe(201);
  // Uploads too, before the body is read.
  expectError(await withSession(request(app).post('/api/batches'), s, null).attach('files', Buffer.from('%PDF-1.7'), 'a.pdf'), 403, 'CSRF');
  // With the token, a clerk's upload goes in like a script's.
  const clerk = await signIn('lan');
  const upload = await withSession(request(app).post('/api/batches'), clerk).attach('files', Buffer.from('%PDF-1.7\n%%EOF\n'), 'cv-1.pdf');
  expect(upload.status).toBe(202);
  // Reads need no token.
  expect((await withSession(request(app).get('/api/units'), s, null)).status).toBe(200);
  // A script's token: no cookie, no CSRF header, as before.
  expect((await request(app).post('/api/tokens').set('Authorization', `Bearer ${adminToken}`).send(body)).status).toBe(201);
});

test('a sign-in posted from another site is refused (login CSRF); the same origin and scripts are not', async () => {
  const body = { username: 'tam', password: PASSWORD };
  expectError(await request(app).post('/api/session').set('Origin', 'https://evil.example').send(body), 403, 'CSRF');
  expectError(await request(app).post('/api/session').set('Sec-Fetch-Site', 'cross-site').send(body), 403, 'CSRF');
  expectError(await request(app).post('/api/session').set('Origin', 'null').send(body), 403, 'CSRF');
  const same = request(app).post('/api/session').set('Sec-Fetch-Site', 'same-origin');
  expect((await same.send(body)).status).toBe(200);
});

test('a session ends after the idle time without requests, and 12 hours after sign-in however active', async () => {
  const s = await signIn('tam');
  // Requests every 29 minutes keep it alive…
  for (let i = 0; i < 4; i++) {
    advance(29 * MIN);
    expect((await request(app).get('/api/me').set('Cookie', s.cookie)).status).toBe(200);
  }
  // …30 minutes of silence end it, for good.
  advance(30 * MIN);
  expectError(await request(app).get('/api/me').set('Cookie', s.cookie), 401, 'UNAUTHORIZED');
  advance(-30 * MIN);
  expectError(await request(app).get('/api/me').set('Cookie', s.cookie), 401, 'UNAUTHORIZED');

  const busy = await signIn('tam');
  for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
    advance(20 * MIN);
    expect((await request(app).get('/api/session').set('Cookie', busy.cookie)).status).toBe(200);
  }
  advance(20 * MIN);
  expectError(await request(app).get('/api/session').set('Cookie', busy.cookie), 401, 'UNAUTHORIZED');
});

test('sign-out needs the CSRF token, revokes the session on the server and clears the cookie', async () => {
  const s = await signIn('tam');
  expectError(await withSession(request(app).delete('/api/session'), s, null), 403, 'CSRF');
  expect((await request(app).get('/api/me').set('Cookie', s.cookie)).status).toBe(200);
  const out = await withSession(request(app).delete('/api/session'), s);
  expect(out.status).toBe(204);
  expect(([] as string[]).concat(out.headers['set-cookie'])[0]).toMatch(/^kiemky_session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/);
  // The browser might keep the cookie: the server does not.
  expectError(await request(app).get('/api/me').set('Cookie', s.cookie), 401, 'UNAUTHORIZED');
  expect((await request(app).delete('/api/session').set('Cookie', s.cookie)).status).toBe(204);
});

test('five failures on one account in 15 minutes: 429 with Retry-After, longer after each further failure, the right password included', async () => {
  const fail = (): request.Test => request(app).post('/api/session').send({ username: 'lan', password: 'sai mật khẩu rồi' });
  for (let i = 0; i < 5; i++) expectError(await fail(), 401, 'LOGIN_FAILED');
  const throttled = await request(app).post('/api/session').send({ username: 'Lan', password: PASSWORD });
  expectError(throttled, 429, 'LOGIN_THROTTLED');
  expect(throttled.headers['retry-after']).toBe('30');
  expect(throttled.body.error.message).toContain('30 giây');
  // Another account from the same address is not held back by Lan's.
  expect((await request(app).post('/api/session').send({ username: 'tam', password: PASSWORD })).status).toBe(200);
  advance(31_000);
  expectError(await fail(), 401, 'LOGIN_FAILED');
  expect((await fail()).headers['retry-after']).toBe('60');
  advance(61_000);
  expectError(await fail(), 401, 'LOGIN_FAILED');
  expect((await fail()).headers['retry-after']).toBe('120');
  // Once the wait is over the right password works, and clears the account's count.
  advance(121_000);
  await signIn('lan');
  expectError(await fail(), 401, 'LOGIN_FAILED');
});

test('twenty failures from one address throttle every account from it, not from other addresses', async () => {
  for (let i = 0; i < 20; i++) {
    const res = await request(proxied).post('/api/session').set('X-Forwarded-For', '10.9.8.7').send({ username: `khach${i}`, password: 'sai mật khẩu rồi' });
    expectError(res, 401, 'LOGIN_FAILED');
  }
  const res = await request(proxied).post('/api/session').set('X-Forwarded-For', '10.9.8.7').send({ username: 'tam', password: PASSWORD });
  expectError(res, 429, 'LOGIN_THROTTLED');
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  await signIn('tam', PASSWORD, proxied, '10.9.8.6');
});

test('a burst of simultaneous wrong guesses for one account is held to the limit, not let through before it is counted', async () => {
  const guesses = await Promise.all(
    Array.from({ length: 12 }, (_, i) => request(proxied).post('/api/session').set('X-Forwarded-For', `10.1.1.${i}`).send({ username: 'tam', password: `đoán sai lần ${i}` })),
  );
  const statuses = guesses.map((g) => g.status).sort();
  expect(statuses.filter((s) => s === 401)).toHaveLength(5);
  expect(statuses.filter((s) => s === 429)).toHaveLength(7);
});

test('KIEMKY_SESSION_IDLE_MINUTES sets the idle time', async () => {
  const short = createApp({ cfg: testConfig(dir, { sessionIdleMinutes: 5 }), store, blobs: new FileBlobStore(dir), queue: new FakeQueue(), log: () => undefined, now: () => clock.now });
  const s = await signIn('tam', PASSWORD, short);
  advance(4 * MIN);
  expect((await request(short).get('/api/session').set('Cookie', s.cookie)).status).toBe(200);
  advance(5 * MIN);
  expectError(await request(short).get('/api/session').set('Cookie', s.cookie), 401, 'UNAUTHORIZED');
});
