import * as fs from 'node:fs';
import request from 'supertest';
import type express from 'express';
import { createApp } from '../../server/api/app';
import { issueToken } from '../../server/api/auth';
import type { RejudgeJobView } from '../../server/api/rejudge-routes';
import { FileBlobStore } from '../../server/store/blobs';
import type { RejudgeScope, VerdictHistoryEntry } from '../../server/shared/types';
import { FakeQueue, FakeStore, tempDir, testConfig } from '../api/helpers/fakes';

/**
 * POST /api/admin/rejudge (the admin's alone; the scope it passes on) and GET /api/documents/:sha256/history
 * (as the document is: a caller who may not read the document may not read its history).
 */

const dir = tempDir();
const store = new FakeStore();
const ADMIN = 'Bearer kk_admin-from-env';
const sha = 'c'.repeat(64);
const started: RejudgeScope[] = [];
const entry: VerdictHistoryEntry = {
  judgedAt: '2026-03-12T01:00:00.000Z',
  reason: 'verified',
  verdict: 'compliant',
  checks: { signed: true, twoLayer: true, governmentCa: true, intact: true, certificatesValid: true, strongAlgorithms: true },
  findings: [],
  trustStore: 'a'.repeat(64),
  revocation: null,
  units: null,
};
let app: express.Application;

beforeAll(() => {
  const job = (scope: RejudgeScope): RejudgeJobView => ({
    id: 'j1',
    scope,
    state: 'running',
    startedAt: '2026-03-12T01:00:00.000Z',
    finishedAt: null,
    judged: 0,
    changed: 0,
    failed: 0,
    error: null,
  });
  app = createApp({
    cfg: testConfig(dir),
    store,
    blobs: new FileBlobStore(dir),
    queue: new FakeQueue(),
    log: () => undefined,
    rejudge: {
      startRejudge: (scope) => {
        started.push(scope);
        return job(scope);
      },
      rejudgeJob: (id) => (id === 'j1' ? job({ all: true }) : null),
      history: async (s) => (s === sha ? [entry] : []),
    },
  });
  store.setReport(sha, 'Văn phòng');
  store.batches.set('b1', { id: 'b1', source: 'upload', hasRegister: false, createdBy: null, findings: [], items: [{ file: 'a.pdf', sha256: sha, size: 1, register: null }], units: ['Văn phòng'] });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the admin starts a re-judging of a batch, a period or everything: 202 and the job', async () => {
  const post = (body: object) => request(app).post('/api/admin/rejudge').set('Authorization', ADMIN).send(body);
  expect((await post({ batchId: 'b1' })).status).toBe(202);
  const period = await post({ from: '2026-01', to: '2026-03' });
  expect(period.status).toBe(202);
  expect(period.body).toMatchObject({ id: 'j1', state: 'running' });
  expect((await post({})).status).toBe(202);
  expect(started).toEqual([{ batchId: 'b1' }, { from: '2026-01', to: '2026-03' }, { all: true }]);
  expect((await post({ from: '2026-13', to: '2026-03' })).body.error.code).toBe('BAD_MONTH');
  expect((await post({ from: '2026-04', to: '2026-03' })).body.error.code).toBe('BAD_PERIOD');
  expect((await post({ batchId: 'b1', from: '2026-01', to: '2026-02' })).body.error.code).toBe('BAD_REQUEST');
  expect(started).toHaveLength(3);
  expect((await request(app).get('/api/admin/rejudge/j1').set('Authorization', ADMIN)).body).toMatchObject({ id: 'j1' });
  expect((await request(app).get('/api/admin/rejudge/other').set('Authorization', ADMIN)).status).toBe(404);
});

test('no other role may start one', async () => {
  for (const role of ['clerk', 'inspector', 'leader'] as const) {
    const issued = await issueToken(store, role, role === 'clerk' ? ['Văn phòng'] : [], null);
    const res = await request(app).post('/api/admin/rejudge').set('Authorization', `Bearer ${issued.token}`).send({});
    expect({ role, status: res.status }).toEqual({ role, status: 403 });
  }
  expect(started).toHaveLength(3);
});

test('a document’s history, for those who may read the document', async () => {
  const res = await request(app).get(`/api/documents/${sha}/history`).set('Authorization', ADMIN);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ items: [entry] });
  expect((await request(app).get(`/api/documents/${'d'.repeat(64)}/history`).set('Authorization', ADMIN)).body.error.code).toBe('DOCUMENT_NOT_FOUND');
  expect((await request(app).get('/api/documents/xyz/history').set('Authorization', ADMIN)).body.error.code).toBe('BAD_SHA256');
  const otherClerk = await issueToken(store, 'clerk', ['Phòng khác'], null);
  expect((await request(app).get(`/api/documents/${sha}/history`).set('Authorization', `Bearer ${otherClerk.token}`)).status).toBe(404);
  const leader = await issueToken(store, 'leader', [], null);
  expect((await request(app).get(`/api/documents/${sha}/history`).set('Authorization', `Bearer ${leader.token}`)).status).toBe(403);
});
