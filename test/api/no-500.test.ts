import * as fs from 'node:fs';
import request from 'supertest';
import { loadConfig } from '../../server/shared/config';
import { startServer, type ServerHandle } from '../../server/service/serve';
import { buildZip } from './helpers/zip-deflate';
import { tempDir } from './helpers/fakes';
import { FakeVerifier } from '../queue/helpers/fake-verifier';

/**
 * No 500 for any client input, against the real embedded store (PGlite, the default): what made it answer 500 — a batch
 * with two documents of one name (its key), a NUL where a database text goes — is a 202 or a 4xx now.
 */

const ADMIN = 'kk_no-500-admin';
let dir: string;
let server: ServerHandle;

beforeAll(async () => {
  dir = tempDir();
  server = await startServer(loadConfig({ DATA_DIR: dir, PORT: '0', KIEMKY_ADMIN_TOKEN: ADMIN }), {
    verifier: new FakeVerifier(1, 1),
    handleSignals: false,
    log: () => undefined,
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const auth = (r: request.Test): request.Test => r.set('Authorization', `Bearer ${ADMIN}`);
const pdf = (text: string): Buffer => Buffer.from(`%PDF-1.7\n% ${text}\n%%EOF\n`);

test('duplicate names in a ZIP and across parts are stored under unique names', async () => {
  const zip = buildZip([
    { name: 'a.pdf', data: pdf('1') },
    { name: 'a.pdf', data: pdf('2') },
  ]);
  const res = await auth(request(server.app).post('/api/batches')).attach('files', zip, 'thang.zip').attach('files', pdf('3'), 'b.pdf').attach('files', pdf('4'), 'b.pdf');
  expect(res.status).toBe(202);
  expect(res.body.total).toBe(4);
  expect(res.body.findings.map((f: { code: string }) => f.code)).toEqual(['DUPLICATE_NAME', 'DUPLICATE_NAME']);
  const status = await auth(request(server.app).get(`/api/batches/${res.body.id}`));
  expect(status.body).toMatchObject({ total: 4 });
});

test('NUL bytes a client sends never reach the database as such', async () => {
  const zip = buildZip([{ name: 'n\0ul.pdf', data: pdf('nul') }]);
  const register = Buffer.from('Tên tệp,Số ký hiệu,Đơn vị ban hành\r\nn\0ul.pdf,1\0/UBND,UBND xã\0 A\r\n');
  const res = await auth(request(server.app).post('/api/batches')).attach('files', zip, 'z.zip').attach('register', register, 'so.csv');
  expect(res.status).toBe(202);
  expect((await auth(request(server.app).get('/api/batches/x%00y'))).status).toBe(404);
  expect((await auth(request(server.app).get('/api/batches/x%00y/report'))).status).toBe(404);
  const label = await auth(request(server.app).post('/api/tokens')).send({ role: 'inspector', label: 'a\u0000b' });
  expect(label.status).toBe(400);
  const unit = await auth(request(server.app).post('/api/tokens')).send({ role: 'clerk', unit: 'xã\u0000A' });
  expect(unit.status).toBe(400);
});

test('NUL bytes and odd shapes sent to the account routes are 4xx', async () => {
  const app = server.app;
  const answers = [
    await request(app).post('/api/session').send({ username: 'a\0b', password: 'x\0y' }),
    await request(app).post('/api/session').send({ username: ['a'], password: {} }),
    await request(app).post('/api/session').set('Content-Type', 'application/json').send('"just a string"'),
    await request(app).get('/api/session').set('Cookie', 'kiemky_session=%00; kiemky_session="x"'),
    await auth(request(app).post('/api/users')).send({ username: 'n\0ul', password: 'mật khẩu đủ dài', role: 'leader' }),
    await auth(request(app).post('/api/users')).send({ username: 'vt', password: 'mật khẩu đủ dài', role: 'clerk', units: ['A\0'] }),
    await auth(request(app).post('/api/users')).send({ username: 'vt', password: 'p\0'.repeat(700), role: 'leader' }),
    await auth(request(app).patch('/api/users/n%00ul')).send({ disabled: true }),
    await auth(request(app).patch('/api/users/x')).send({ units: 'A' }),
    await auth(request(app).delete('/api/tokens/t%00k')),
  ];
  expect(answers.map((r) => r.status).filter((s) => s < 400 || s >= 500)).toEqual([]);
});
