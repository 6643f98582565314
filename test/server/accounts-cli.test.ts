import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { run } from '../../server/cli/main';
import { verifyPassword } from '../../server/api/passwords';
import { hashToken } from '../../server/api/auth';
import { openStore } from '../../server/store/open';
import { CONTROL_FILE } from '../../server/service/control';
import { Capture } from './helpers/reports';

/**
 * `kiemky user create` and `kiemky token create`, with `kiemky serve` running on the embedded store (a real
 * process: node bin/kiemky.js, built in dist/) and without it: through serve's local control channel, or into the
 * store directly, always into the DATA_DIR serve uses, and saying where.
 */

const bin = path.join(__dirname, '..', '..', 'bin', 'kiemky.js');
const PASSWORD = 'mật khẩu đủ dài 2026';

function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-accounts-cli-'));
}

async function cli(argv: string[], dataDir: string, stdin = `${PASSWORD}\n`): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await run(argv, { stdout, stderr, env: { DATA_DIR: dataDir }, stdin: Readable.from([Buffer.from(stdin, 'utf8')]) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const userCreate = (name: string, role: string, ...extra: string[]): string[] => ['user', 'create', '--username', name, '--role', role, ...extra, '--password-stdin'];

test('without serve: the account goes into DATA_DIR\'s embedded store, hashed, and the command says where', async () => {
  const dir = tempDataDir();
  try {
    const made = await cli(userCreate('quantri', 'admin'), dir);
    expect(made.code).toBe(0);
    expect(made.stderr).toContain('Đã tạo tài khoản "quantri" vai trò admin.');
    expect(made.stderr).toContain(`đã ghi thẳng vào cơ sở dữ liệu. DATA_DIR: ${dir}; cơ sở dữ liệu: ${path.join(dir, 'db')}`);
    // A fresh folder: the command warns that it made a new database, in case serve uses another one.
    expect(made.stderr).toContain('chưa có cơ sở dữ liệu');
    const clerk = await cli(userCreate('lan', 'clerk', '--unit', 'Phòng Nội vụ'), dir);
    expect(clerk.code).toBe(0);
    expect(clerk.stderr).not.toContain('chưa có cơ sở dữ liệu');
    const store = await openStore({ databaseUrl: null, dataDir: dir });
    try {
      const found = await store.userCredentials('QUANTRI');
      expect(found?.user).toMatchObject({ username: 'quantri', role: 'admin', units: [] });
      expect(JSON.stringify(found)).not.toContain(PASSWORD);
      // The line end echo adds is not part of the password.
      expect(await verifyPassword(PASSWORD, found!.password)).toBe(true);
      expect((await store.userCredentials('lan'))?.user.units).toEqual(['Phòng Nội vụ']);
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('refusals: a short password, a taken name, a password on the command line, no --password-stdin, a clerk without a unit', async () => {
  const dir = tempDataDir();
  try {
    const short = await cli(userCreate('ngan', 'leader'), dir, 'ngắn\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('kiemky: Mật khẩu quá ngắn: cần ít nhất 10 ký tự.');
    const shortEn = await cli([...userCreate('ngan', 'leader'), '--lang', 'en'], dir, 'short\n');
    expect(shortEn.stderr).toContain('The password is too short: at least 10 characters.');
    expect((await cli(userCreate('tam', 'inspector'), dir)).code).toBe(0);
    const taken = await cli(userCreate('TAM', 'leader'), dir);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('Tên đăng nhập "TAM" đã có người dùng.');
    const argv = await cli(['user', 'create', '--username', 'x', '--role', 'admin', '--password', PASSWORD], dir);
    expect(argv.code).toBe(2);
    expect(argv.stderr).toContain('Mật khẩu chỉ được nhận qua đầu vào chuẩn');
    expect((await cli(['user', 'create', '--username', 'x', '--role', 'admin'], dir)).stderr).toContain('--password-stdin');
    const clerk = await cli(userCreate('vt', 'clerk'), dir);
    expect(clerk.code).toBe(2);
    expect(clerk.stderr).toContain('ít nhất một đơn vị');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('a control file left by a killed serve (nobody on its port) or writable by others is not used: the store is opened', async () => {
  const dir = tempDataDir();
  try {
    const file = path.join(dir, CONTROL_FILE);
    // Port 1 on loopback: nothing listens there.
    fs.writeFileSync(file, JSON.stringify({ pid: 999999, port: 1, secret: 'old' }), { mode: 0o600 });
    const stale = await cli(userCreate('mot', 'leader'), dir);
    expect(stale.code).toBe(0);
    expect(stale.stderr).toContain('ghi thẳng vào cơ sở dữ liệu');
    if (process.platform !== 'win32') {
      fs.chmodSync(file, 0o644);
      fs.writeFileSync(file, JSON.stringify({ pid: 1, port: 2, secret: 'x' }));
      const loose = await cli(['token', 'create', '--role', 'leader'], dir);
      expect(loose.code).toBe(0);
      expect(loose.stderr).toContain('ghi thẳng vào cơ sở dữ liệu');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

/** `node bin/kiemky.js serve` on a free port and DATA_DIR, embedded store; resolves with its port once listening. */
async function startServe(dir: string): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dir, '--concurrency', '1'], {
    env: { ...process.env, KIEMKY_ADMIN_TOKEN: '', REDIS_URL: '', DATABASE_URL: '', EXPORT_DIR: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let text = '';
  child.stderr!.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = /port (\d+);/.exec(text);
    if (m && fs.existsSync(path.join(dir, CONTROL_FILE))) return { child, port: Number(m[1]), stderr: () => text };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`serve did not start:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

test('with serve running on the embedded store: user create and token create go through it, and both work at once', async () => {
  const dir = tempDataDir();
  const serve = await startServe(dir);
  try {
    const file = path.join(dir, CONTROL_FILE);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const made = await cli(userCreate('quantri', 'admin'), dir);
    expect({ code: made.code, stderr: made.stderr }).toEqual({ code: 0, stderr: expect.stringContaining('Ghi qua kiemky serve đang chạy') });
    expect(made.stderr).toContain(`DATA_DIR: ${dir}`);
    // Signing in on serve with the account just made.
    const base = `http://127.0.0.1:${serve.port}`;
    const signIn = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'quantri', password: PASSWORD }) });
    expect(signIn.status).toBe(200);
    expect(((await signIn.json()) as { user: { role: string } }).user.role).toBe('admin');

    const token = await cli(['token', 'create', '--role', 'inspector', '--label', 'đoàn kiểm tra'], dir);
    expect(token.code).toBe(0);
    expect(token.stderr).toContain('Ghi qua kiemky serve đang chạy');
    const me = await fetch(`${base}/api/me`, { headers: { Authorization: `Bearer ${token.stdout.trim()}` } });
    expect(await me.json()).toMatchObject({ role: 'inspector', label: 'đoàn kiểm tra' });

    // Refusals come back from serve in the same words.
    const taken = await cli(userCreate('QuanTri', 'leader'), dir);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('đã có người dùng');
    expect((await cli(userCreate('ngan', 'leader'), dir, 'ngắn')).stderr).toContain('Mật khẩu quá ngắn');

    // The control port answers nobody without the secret, and is not the API's port.
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as { port: number };
    expect(info.port).not.toBe(serve.port);
    const forged = await fetch(`http://127.0.0.1:${info.port}/users`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer guess' },
      body: JSON.stringify({ username: 'evil', password: PASSWORD, role: 'admin' }),
    });
    expect(forged.status).toBe(401);
    // Nor is it on the API's port.
    expect((await fetch(`${base}/users`, { method: 'POST' })).status).toBe(404);
  } finally {
    await stopServe(serve.child);
  }
  try {
    // Serve gone, its control file with it; the command opens the store itself, which serve has let go.
    expect(fs.existsSync(path.join(dir, CONTROL_FILE))).toBe(false);
    const after = await cli(userCreate('sau', 'leader'), dir);
    expect(after.code).toBe(0);
    expect(after.stderr).toContain('ghi thẳng vào cơ sở dữ liệu');
    const store = await openStore({ databaseUrl: null, dataDir: dir });
    try {
      expect((await store.listUsers()).map((u) => u.username)).toEqual(['quantri', 'sau']);
      expect(await store.listTokens()).toHaveLength(1);
      expect(await store.findToken(hashToken('nothing'))).toBeNull();
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
