import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { run } from '../../server/cli/main';
import { loadConfig } from '../../server/shared/config';
import { startServer } from '../../server/service/serve';
import { dropSchema, freshSchema, postgresReachable, shownUrl, TEST_DATABASE_URL as url } from '../helpers/postgres';
import { Capture } from './helpers/reports';

/**
 * `kiemky user create` while serve runs on PostgreSQL (in a schema of its own): the command finds serve through
 * DATA_DIR and the account is made in serve's database, whatever schema serve was given.
 */

if (!postgresReachable()) {
  console.warn(`PostgreSQL unreachable at ${shownUrl()}: skipped.`);
  test.skip('user create with serve on PostgreSQL (PostgreSQL unreachable)', () => undefined);
} else {
  test('user create with serve running on PostgreSQL goes through serve, and the account signs in', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-accounts-pg-'));
    const schema = freshSchema();
    const env = { DATA_DIR: dir, DATABASE_URL: url, PORT: '0', KIEMKY_CONCURRENCY: '1' };
    const server = await startServer(loadConfig(env), { handleSignals: false, schema, log: () => undefined });
    try {
      const stderr = new Capture();
      const code = await run(['user', 'create', '--username', 'thanhtra', '--role', 'inspector', '--password-stdin'], {
        stdout: new Capture(),
        stderr,
        env,
        stdin: Readable.from([Buffer.from('mật khẩu thanh tra\n')]),
      });
      expect({ code, stderr: stderr.text }).toEqual({ code: 0, stderr: expect.stringContaining('Ghi qua kiemky serve đang chạy') });
      expect(stderr.text).toContain('cơ sở dữ liệu: PostgreSQL');
      const res = await fetch(`http://127.0.0.1:${server.port}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'ThanhTra', password: 'mật khẩu thanh tra' }),
      });
      expect(res.status).toBe(200);
      expect((await server.store.userCredentials('thanhtra'))?.user.role).toBe('inspector');
    } finally {
      await server.close();
      await dropSchema(schema);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
}
