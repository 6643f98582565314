import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import type express from 'express';
import { createApp } from '../../server/api/app';
import { issueToken } from '../../server/api/auth';
import { FileBlobStore } from '../../server/store/blobs';
import { assetsDir, readManifest, type WebManifest } from '../../server/web/manifest';
import { PAGE_CSP, webRoutes } from '../../server/web/pages';
import { REPO_ROOT } from '../helpers/shared';
import { FakeQueue, FakeStore, tempDir, testConfig } from '../api/helpers/fakes';

/**
 * The web app as served: one shell for every page path, given only to a caller the page is for (nobody signed in:
 * to the sign-in page; a role the page is not for: 403), under a policy that allows no inline script or style;
 * the assets hashed, immutable and compressed; the API's own policy unchanged.
 */

const dir = tempDir('kiemky-web-');
const store = new FakeStore();
let app: express.Application;
let manifest: WebManifest;
const tok: Record<'admin' | 'clerk' | 'inspector' | 'leader', string> = { admin: '', clerk: '', inspector: '', leader: '' };

const PAGES = ['/', '/tai-len', '/lo', '/lo/abc-123', '/van-ban', `/van-ban/${'a'.repeat(64)}`, '/tong-hop', '/nha-cung-cap', '/chung-thu', '/quan-tri', '/quan-tri/don-vi'];
const OPENS: Record<string, readonly string[]> = {
  '/': ['admin', 'clerk', 'inspector', 'leader'],
  '/tai-len': ['admin', 'clerk'],
  '/lo': ['admin', 'clerk', 'inspector'],
  '/lo/abc-123': ['admin', 'clerk', 'inspector'],
  '/van-ban': ['admin', 'clerk', 'inspector'],
  [`/van-ban/${'a'.repeat(64)}`]: ['admin', 'clerk', 'inspector'],
  '/tong-hop': ['admin', 'inspector', 'leader'],
  '/nha-cung-cap': ['admin', 'inspector', 'leader'],
  '/chung-thu': ['admin', 'inspector'],
  '/quan-tri': ['admin'],
  '/quan-tri/don-vi': ['admin'],
};

beforeAll(async () => {
  const built = readManifest();
  if (!built) throw new Error('the web client is not built: run "npm run build" first');
  manifest = built;
  app = createApp({ cfg: testConfig(dir), store, blobs: new FileBlobStore(dir), queue: new FakeQueue(), log: () => undefined, pages: (identify) => webRoutes({ identify }) });
  tok.admin = (await issueToken(store, 'admin', [], null)).token;
  tok.clerk = (await issueToken(store, 'clerk', ['Phòng Tư pháp'], null)).token;
  tok.inspector = (await issueToken(store, 'inspector', [], null)).token;
  tok.leader = (await issueToken(store, 'leader', [], null)).token;
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('nobody signed in: every page but the sign-in page sends to it, saying where to come back', async () => {
  for (const page of PAGES) {
    const res = await request(app).get(`${page}?from=2026-11`);
    expect({ page, status: res.status, location: res.headers.location }).toEqual({ page, status: 303, location: `/dang-nhap?next=${encodeURIComponent(`${page}?from=2026-11`)}` });
  }
  const login = await request(app).get('/dang-nhap');
  expect(login.status).toBe(200);
  expect(login.text).toContain(`/assets/${manifest.script}`);
});

test('each role opens its pages and gets a 403 page for the others', async () => {
  for (const page of PAGES) {
    for (const role of ['admin', 'clerk', 'inspector', 'leader'] as const) {
      const res = await request(app).get(page).set('Authorization', `Bearer ${tok[role]}`);
      const expected = OPENS[page]!.includes(role) ? 200 : 403;
      expect({ page, role, status: res.status }).toEqual({ page, role, status: expected });
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain(expected === 200 ? 'data-status="ok"' : 'data-status="forbidden"');
    }
  }
});

test('the shell holds no data, no inline script and no inline style, under the pages policy', async () => {
  const res = await request(app).get('/tong-hop').set('Authorization', `Bearer ${tok.leader}`);
  expect(res.headers['content-security-policy']).toBe(PAGE_CSP);
  for (const directive of ["script-src 'self'", "style-src 'self'", "connect-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'", "form-action 'self'"]) expect(PAGE_CSP).toContain(directive);
  expect(PAGE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  const scripts = [...res.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  expect(scripts).toHaveLength(1);
  expect(scripts[0]![1]).toContain(`src="/assets/${manifest.script}"`);
  expect(scripts[0]![2]).toBe('');
  expect(res.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  expect(res.headers['cache-control']).toBe('no-store');
});

test('the API keeps its own policy, which allows nothing', async () => {
  const res = await request(app).get('/api/health');
  expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'/);
  expect(res.headers['content-security-policy']).not.toContain("script-src 'self'");
  const notPage = await request(app).get('/khong-co').set('Authorization', `Bearer ${tok.admin}`);
  expect(notPage.status).toBe(404);
  expect(notPage.body.error.code).toBeDefined();
});

test('assets: named by their content, cached for good, compressed', async () => {
  for (const name of [manifest.script, manifest.style]) {
    expect(name).toMatch(/^[a-z]+-[A-Z0-9]{8,}\.(js|css)$/);
    const res = await request(app).get(`/assets/${name}`).set('Accept-Encoding', 'gzip').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-encoding']).toBe('gzip');
    // supertest inflates what it receives: the bytes are the built file's.
    expect((res.body as Buffer).equals(fs.readFileSync(path.join(assetsDir(), name)))).toBe(true);
  }
  const missing = await request(app).get('/assets/app-NOTTHERE.js');
  expect(missing.status).toBe(404);
});

test('the client never writes markup from strings: text goes in as text', () => {
  const client = path.join(REPO_ROOT, 'server', 'web', 'client');
  const files = fs.readdirSync(client, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(10);
  const offenders = files.filter((f) => /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\s*\(|new Function)\b/.test(fs.readFileSync(path.join(client, f), 'utf8')));
  expect(offenders).toEqual([]);
});
