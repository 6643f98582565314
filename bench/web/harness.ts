import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { loadTestPki, UNIT_NAMES, writeTrustStore } from '../../samples/lib/test-pki';
import { buildMonth } from '../../samples/month';

/**
 * What the browser tests and `npm run screenshots` share: `kiemky serve` on the embedded default (PGlite, in-process
 * queue, no Redis, no PostgreSQL) in a fresh DATA_DIR judged with the sample trust store, the sample month of
 * November 2026 on disk, accounts for each role made with `kiemky user create` while it runs, and Debian's
 * Chromium driven by playwright-core (Playwright's own browser download cannot work on these machines).
 */

const ROOT = path.resolve(__dirname, '..', '..', ...(path.basename(path.resolve(__dirname, '..', '..')) === 'dist' ? ['..'] : []));
const BIN = path.join(ROOT, 'bin', 'kiemky.js');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PASSWORD = 'mật-khẩu-thử-nghiệm-2026';
export const UNITS = UNIT_NAMES;
export const OTHER_UNIT = 'Phòng Tư pháp huyện Vạn Ninh';

export interface Account {
  username: string;
  role: 'admin' | 'clerk' | 'inspector' | 'leader';
  units: readonly string[];
}

export const ACCOUNTS: Record<'admin' | 'clerk' | 'otherClerk' | 'inspector' | 'leader', Account> = {
  admin: { username: 'quantri', role: 'admin', units: [] },
  clerk: { username: 'vanthu', role: 'clerk', units: UNITS },
  otherClerk: { username: 'vanthu.tuphap', role: 'clerk', units: [OTHER_UNIT] },
  inspector: { username: 'thanhtra', role: 'inspector', units: [] },
  leader: { username: 'lanhdao', role: 'leader', units: [] },
};

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

export interface WebService {
  url: string;
  root: string;
  monthDir: string;
  pdfs: string[];
  register: string;
  stop(): Promise<void>;
}

function run(args: string[], env: NodeJS.ProcessEnv, input: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
    child.stdin.end(input);
  });
}

function waitForPort(child: ChildProcess, log: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kiemky serve did not start:\n${log.join('')}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      log.push(d.toString('utf8'));
      const m = /listening on \S+ port (\d+)/.exec(log.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kiemky serve exited (${code}):\n${log.join('')}`));
    });
  });
}

/** Starts the service with the sample month and the accounts; `stop` ends it and removes its folder. */
export async function startWebService(): Promise<WebService> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-web-'));
  const monthDir = path.join(root, 'thang-11');
  const trustDir = path.join(root, 'trust');
  const pki = loadTestPki();
  buildMonth(monthDir, pki);
  writeTrustStore(trustDir, pki);
  const dataDir = path.join(root, 'data');
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, CERTS_DIR: trustDir, PORT: '0', HOST: '127.0.0.1', KIEMKY_LANG: 'vi' };
  for (const name of ['REDIS_URL', 'DATABASE_URL', 'EXPORT_DIR', 'KIEMKY_ADMIN_TOKEN']) delete env[name];
  const log: string[] = [];
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await waitForPort(child, log);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    for (const account of Object.values(ACCOUNTS)) {
      const args = ['user', 'create', '--username', account.username, '--role', account.role, '--password-stdin'];
      for (const unit of account.units) args.push('--unit', unit);
      const made = await run(args, env, `${PASSWORD}\n`);
      if (made.code !== 0) throw new Error(`user create ${account.username} failed: ${made.stderr}`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const files = fs.readdirSync(monthDir);
  return {
    url: `http://127.0.0.1:${port}`,
    root,
    monthDir,
    pdfs: files.filter((f) => /\.pdf$/i.test(f)).map((f) => path.join(monthDir, f)),
    register: path.join(monthDir, 'so-dang-ky.csv'),
    stop,
  };
}

/** Fills the sign-in form the page is on and waits for the page it leads to: what the tests and the screenshots share. */
export async function fillSignIn(page: Page, account: Account): Promise<void> {
  await page.getByLabel('Tên đăng nhập').fill(account.username);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/dang-nhap') && u.pathname !== '/');
  await page.locator('main h1').first().waitFor();
}

export function launchChromium(): Promise<Browser> {
  // As root (CI containers) Chromium's sandbox cannot start; the pages are this test's own.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}
