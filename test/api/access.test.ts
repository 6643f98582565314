import * as fs from 'node:fs';
import request from 'supertest';
import type express from 'express';
import { createApp } from '../../server/api/app';
import { hashToken, issueToken } from '../../server/api/auth';
import { FileBlobStore } from '../../server/store/blobs';
import { run } from '../../server/cli/main';
import { openStore } from '../../server/store/open';
import { Capture } from '../server/helpers/reports';
import { FakeQueue, FakeStore, tempDir, testConfig } from './helpers/fakes';

/**
 * Who may do what: every route but health needs a token; the role table (admin everything, clerk
 * own units, inspector read all, leader summaries); tokens are stored hashed and made by admins.
 */

const dir = tempDir();
const store = new FakeStore();
const queue = new FakeQueue();
let app: express.Application;
const tok: Record<'admin' | 'clerk' | 'inspector' | 'leader', string> = { admin: '', clerk: '', inspector: '', leader: '' };
const A = 'Phòng Văn hóa và Thông tin';
const B = 'UBND xã Vạn Thắng';
const shaA = 'a'.repeat(64);
const shaB = 'b'.repeat(64);

beforeAll(async () => {
  const cfg = testConfig(dir);
  app = createApp({ cfg, store, blobs: new FileBlobStore(dir), queue, log: () => undefined });
  tok.admin = (await issueToken(store, 'admin', [], 'a')).token;
  tok.clerk = (await issueToken(store, 'clerk', [A], 'văn thư')).token;
  tok.inspector = (await issueToken(store, 'inspector', [], null)).token;
  tok.leader = (await issueToken(store, 'leader', [], null)).token;
  store.setReport(shaA, A);
  store.setReport(shaB, B);
  store.batches.set('batch-1', {
    id: 'batch-1',
    source: 'upload',
    hasRegister: false,
    createdBy: null,
    findings: [],
    items: [
      { file: 'a.pdf', sha256: shaA, size: 1, register: null },
      { file: 'b.pdf', sha256: shaB, size: 1, register: null },
    ],
  });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const get = (url: string, token?: string): request.Test => {
  const r = request(app).get(url);
  return token ? r.set('Authorization', `Bearer ${token}`) : r;
};

function expectError(body: unknown, code: string): void {
  expect(body).toEqual({ error: { code, message: expect.any(String), messageEn: expect.any(String) } });
}

test('health answers without a token; everything else is 401 without one, in the one error shape', async () => {
  const health = await get('/api/health');
  expect(health.status).toBe(200);
  expect(health.body.status).toBe('ok');
  for (const url of [
    '/api/openapi.json',
    '/api/batches/batch-1',
    '/api/batches/batch-1/report',
    `/api/documents/${shaA}`,
    '/api/units',
    '/api/providers',
    '/api/me',
    '/api/batches',
    '/api/batches/batch-1/documents',
    '/api/batches/batch-1/summary',
    '/api/documents',
    '/api/certificates',
    '/api/reports?from=2026-11',
    '/api/reports/summary?from=2026-11',
  ]) {
    const res = await get(url);
    expect({ url, status: res.status }).toEqual({ url, status: 401 });
    expectError(res.body, 'UNAUTHORIZED');
    // Vietnamese first, with its diacritics.
    expect(res.body.error.message).toMatch(/mã truy cập/);
  }
  const post = await request(app).post('/api/batches');
  expect(post.status).toBe(401);
  const tokens = await request(app).post('/api/tokens').send({ role: 'admin' });
  expect(tokens.status).toBe(401);
});

test('a wrong token is 401 INVALID_TOKEN; tokens are stored only as their sha256', async () => {
  const res = await get('/api/units', 'kk_not-a-token');
  expect(res.status).toBe(401);
  expectError(res.body, 'INVALID_TOKEN');
  expect(tok.clerk).toMatch(/^kk_[A-Za-z0-9_-]{43}$/);
  expect(store.tokens.has(hashToken(tok.clerk))).toBe(true);
  expect([...store.tokens.keys()].every((k) => /^[0-9a-f]{64}$/.test(k))).toBe(true);
  expect(JSON.stringify([...store.tokens.values()])).not.toContain(tok.clerk);
});

test('KIEMKY_ADMIN_TOKEN is an admin token', async () => {
  const me = await get('/api/me', 'kk_admin-from-env');
  expect(me.status).toBe(200);
  expect(me.body.role).toBe('admin');
  const created = await request(app).post('/api/tokens').set('Authorization', 'Bearer kk_admin-from-env').send({ role: 'inspector', label: 'Đoàn kiểm tra' });
  expect(created.status).toBe(201);
});

test('admins create tokens; the new token works with its role; bad roles and unit-less clerks are 400', async () => {
  const res = await request(app).post('/api/tokens').set('Authorization', `Bearer ${tok.admin}`).send({ role: 'clerk', unit: B, label: 'văn thư xã' });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ role: 'clerk', units: [B], label: 'văn thư xã', id: expect.any(String), token: expect.stringMatching(/^kk_/) });
  const me = await get('/api/me', res.body.token as string);
  expect(me.body).toMatchObject({ role: 'clerk', units: [B] });
  expect(me.body.token).toBeUndefined();

  const bad = await request(app).post('/api/tokens').set('Authorization', `Bearer ${tok.admin}`).send({ role: 'boss' });
  expect(bad.status).toBe(400);
  expectError(bad.body, 'BAD_ROLE');
  const noUnit = await request(app).post('/api/tokens').set('Authorization', `Bearer ${tok.admin}`).send({ role: 'clerk' });
  expect(noUnit.status).toBe(400);
  expectError(noUnit.body, 'CLERK_NEEDS_UNIT');
  for (const role of ['clerk', 'inspector', 'leader'] as const) {
    const denied = await request(app).post('/api/tokens').set('Authorization', `Bearer ${tok[role]}`).send({ role: 'admin' });
    expect({ role, status: denied.status }).toEqual({ role, status: 403 });
    expectError(denied.body, 'FORBIDDEN');
  }
});

test('the role table: leader sees summaries and batch status only; inspector reads all but cannot upload', async () => {
  const matrix: Array<[string, string, Record<keyof typeof tok, number>]> = [
    ['GET', '/api/batches/batch-1', { admin: 200, clerk: 200, inspector: 200, leader: 200 }],
    ['GET', '/api/batches/batch-1/report', { admin: 200, clerk: 200, inspector: 200, leader: 403 }],
    // Another unit's document is, to a clerk, a document that does not exist (clerk-units tests say more).
    ['GET', `/api/documents/${shaB}`, { admin: 200, clerk: 404, inspector: 200, leader: 403 }],
    ['GET', '/api/units', { admin: 200, clerk: 200, inspector: 200, leader: 200 }],
    ['GET', '/api/units?by=month', { admin: 200, clerk: 200, inspector: 200, leader: 200 }],
    ['GET', '/api/providers', { admin: 200, clerk: 200, inspector: 200, leader: 200 }],
    // The leader reads the figures, not the documents, batches or certificates behind them.
    ['GET', '/api/batches', { admin: 200, clerk: 200, inspector: 200, leader: 403 }],
    ['GET', '/api/batches/batch-1/documents', { admin: 200, clerk: 200, inspector: 200, leader: 403 }],
    // A period's inspection report is addressed to the leader as well (its appendix lists the failed documents).
    ['GET', '/api/reports?from=2026-11&format=json', { admin: 200, clerk: 200, inspector: 200, leader: 200 }],
    // A batch's summary is figures (counts per unit, provider and code; no file, signer or số ký hiệu): the leader's.
    ['GET', '/api/batches/batch-1/summary', { admin: 200, clerk: 200, inspector: 200, leader: 200 }],
    ['GET', '/api/batches/nope/summary', { admin: 404, clerk: 404, inspector: 404, leader: 404 }],
    ['GET', '/api/documents', { admin: 200, clerk: 200, inspector: 200, leader: 403 }],
    ['GET', '/api/documents?from=2026-01&to=12/2026&verdict=error', { admin: 200, clerk: 200, inspector: 200, leader: 403 }],
    ['GET', '/api/certificates', { admin: 200, clerk: 200, inspector: 200, leader: 403 }],
    ['GET', '/api/openapi.json', { admin: 200, clerk: 200, inspector: 200, leader: 200 }],
    ['GET', '/api/report.schema.json', { admin: 200, clerk: 200, inspector: 200, leader: 200 }],
    // No multipart body: those allowed to upload get 400, the others 403 before the body is looked at.
    ['POST', '/api/batches', { admin: 400, clerk: 400, inspector: 403, leader: 403 }],
    // Accounts, tokens, the trust store and the export folder: the admin's alone (an empty body: 400 / 404 for
    // the admin, 403 for the others before it is read).
    ['GET', '/api/users', { admin: 200, clerk: 403, inspector: 403, leader: 403 }],
    ['POST', '/api/users', { admin: 400, clerk: 403, inspector: 403, leader: 403 }],
    ['PATCH', '/api/users/nobody', { admin: 404, clerk: 403, inspector: 403, leader: 403 }],
    ['GET', '/api/tokens', { admin: 200, clerk: 403, inspector: 403, leader: 403 }],
    ['POST', '/api/tokens', { admin: 400, clerk: 403, inspector: 403, leader: 403 }],
    ['DELETE', '/api/tokens/nope', { admin: 404, clerk: 403, inspector: 403, leader: 403 }],
    ['GET', '/api/trust', { admin: 200, clerk: 403, inspector: 403, leader: 403 }],
    ['GET', '/api/exports', { admin: 200, clerk: 403, inspector: 403, leader: 403 }],
  ];
  const notFound: Record<string, string> = { '/api/batches': 'BATCH_NOT_FOUND', '/api/documents': 'DOCUMENT_NOT_FOUND', '/api/users': 'USER_NOT_FOUND', '/api/tokens': 'TOKEN_NOT_FOUND' };
  for (const [method, url, want] of matrix) {
    for (const role of Object.keys(tok) as (keyof typeof tok)[]) {
      const verb = method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
      const res = await request(app)[verb](url).set('Authorization', `Bearer ${tok[role]}`);
      expect({ method, url, role, status: res.status }).toEqual({ method, url, role, status: want[role] });
      if (res.status === 403) expectError(res.body, 'FORBIDDEN');
      if (res.status === 404) expectError(res.body, notFound[url.split('/').slice(0, 3).join('/')]!);
    }
  }
});

test('a batch summary is its report\'s units and totals, scoped as the report is; the leader\'s has no file names', async () => {
  for (const role of ['admin', 'clerk', 'leader'] as const) {
    const summary = await get('/api/batches/batch-1/summary', tok[role]);
    const report = await get('/api/batches/batch-1/report', tok[role === 'leader' ? 'admin' : role]);
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ status: 'done', units: report.body.units, totals: report.body.totals });
    expect(JSON.stringify(summary.body)).not.toMatch(/\.pdf/);
  }
  const clerk = await get('/api/batches/batch-1/summary', tok.clerk);
  expect(clerk.body.units.map((u: { unit: string }) => u.unit)).toEqual([A]);
});

test('a clerk reads only their own unit: report filtered, other unit\'s document 404 as if absent, summaries scoped', async () => {
  const report = await get('/api/batches/batch-1/report', tok.clerk);
  expect(report.body.documents.map((d: { unit: string }) => d.unit)).toEqual([A]);
  const all = await get('/api/batches/batch-1/report', tok.inspector);
  expect(all.body.documents).toHaveLength(2);

  const own = await get(`/api/documents/${shaA}`, tok.clerk);
  expect(own.status).toBe(200);
  const other = await get(`/api/documents/${shaB}`, tok.clerk);
  const absent = await get(`/api/documents/${'e'.repeat(64)}`, tok.clerk);
  expect(other.status).toBe(404);
  expectError(other.body, 'DOCUMENT_NOT_FOUND');
  // The same answer as for bytes nobody uploaded, but for the hash it names.
  expect(JSON.stringify(other.body).replaceAll(shaB, 'X')).toBe(JSON.stringify(absent.body).replaceAll('e'.repeat(64), 'X'));

  const units = await get('/api/units', tok.clerk);
  expect(units.body.map((u: { unit: string }) => u.unit)).toEqual([A]);
  expect(store.lastUnitQuery?.units).toEqual([A]);
  const providers = await get('/api/providers', tok.clerk);
  expect(providers.body.map((p: { unit: string }) => p.unit)).toEqual([A]);
  await get('/api/units', tok.leader);
  expect(store.lastUnitQuery?.units).toBeUndefined();
});

test('kiemky token create writes a hashed token the real store finds', async () => {
  const dataDir = tempDir('kiemky-token-');
  try {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await run(['token', 'create', '--role', 'clerk', '--unit', A, '--label', 'văn thư'], { stdout, stderr, env: { DATA_DIR: dataDir } });
    expect(code).toBe(0);
    const token = stdout.text.trim();
    expect(token).toMatch(/^kk_[A-Za-z0-9_-]{43}$/);
    expect(stderr.text).toContain('Đã tạo mã truy cập vai trò clerk');
    const real = await openStore({ databaseUrl: null, dataDir });
    try {
      expect(await real.findToken(hashToken(token))).toMatchObject({ role: 'clerk', units: [A], label: 'văn thư' });
      expect(await real.findToken(token)).toBeNull();
    } finally {
      await real.close();
    }
    const noUnit = await run(['token', 'create', '--role', 'clerk'], { stdout: new Capture(), stderr, env: { DATA_DIR: dataDir } });
    expect(noUnit).toBe(2);
    const badRole = await run(['token', 'create', '--role', 'boss'], { stdout: new Capture(), stderr: new Capture(), env: { DATA_DIR: dataDir } });
    expect(badRole).toBe(2);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
