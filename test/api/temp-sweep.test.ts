import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { FileBlobStore } from '../../server/store/blobs';
import { loadConfig } from '../../server/shared/config';
import { ownerTag, THIS_PROCESS } from '../../server/store/owner';
import { RUN_PREFIX, STALE_MS, sweepTempRoot } from '../../server/store/process-temp';
import { startServer } from '../../server/service/serve';
import { FakeStore, tempDir } from './helpers/fakes';

/**
 * What an interrupted upload leaves in DATA_DIR/tmp is removed when a server starts — and only that: serve processes
 * (and queue workers) on several machines share DATA_DIR, so a folder a live process may be writing in is kept. Each
 * process writes in its own run_<host>_<pid>_<nonce> folder; a real `serve` is kill -9'd mid-upload.
 */

const REGISTER = path.join(__dirname, '..', 'queue', 'fixtures', 'ts-register.js');
const FIXTURE = path.join(__dirname, 'fixtures', 'serve-main.ts');
const ADMIN = 'kk_temp-sweep-admin';
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = tempDir();
  dirs.push(dir);
  return dir;
}

/** A process that is alive until killed, and one that has ended: real pids for the sweep to look at. */
function sleeper(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return child.pid ?? 0;
}

function makeRun(root: string, name: string, ageMs = 0): string {
  const dir = path.join(root, name);
  fs.mkdirSync(path.join(dir), { recursive: true });
  fs.writeFileSync(path.join(dir, 'upload-partial'), Buffer.alloc(1024));
  if (ageMs > 0) {
    const t = new Date(Date.now() - ageMs);
    fs.utimesSync(dir, t, t);
  }
  return dir;
}

test('the sweep removes what dead processes left and keeps what a live one may be writing', async () => {
  const root = path.join(dataDir(), 'tmp');
  const host = THIS_PROCESS.host;
  const live = sleeper();
  const dead = await deadPid();
  const nonce = 'abcdef012345';
  const names = {
    ours: `${RUN_PREFIX}${ownerTag()}_1`,
    deadHere: `${RUN_PREFIX}${host}_${dead}_${nonce}`,
    // Our own pid under another nonce: this process's previous life (a container restarted keeps pid 1).
    previousLife: `${RUN_PREFIX}${host}_${process.pid}_${nonce}`,
    liveHere: `${RUN_PREFIX}${host}_${live.pid}_${nonce}`,
    liveButSilent: `${RUN_PREFIX}${host}_${live.pid}_bbbbbbbbbbbb`,
    otherHost: `${RUN_PREFIX}kiemky-2_1_${nonce}`,
    otherHostSilent: `${RUN_PREFIX}kiemky-3_1_${nonce}`,
    legacyFresh: 'upload-1234',
    legacyOld: 'upload-5678',
  };
  for (const [key, name] of Object.entries(names)) {
    const silent = key === 'liveButSilent' || key === 'otherHostSilent';
    if (key.startsWith('legacy')) {
      fs.mkdirSync(root, { recursive: true });
      fs.writeFileSync(path.join(root, name), 'x');
      if (key === 'legacyOld') fs.utimesSync(path.join(root, name), new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000));
    } else {
      makeRun(root, name, silent ? STALE_MS + 60_000 : 0);
    }
  }
  const removed = sweepTempRoot(root).sort();
  expect(removed).toEqual([names.deadHere, names.previousLife, names.liveButSilent, names.otherHostSilent, names.legacyOld].sort());
  expect(fs.readdirSync(root).sort()).toEqual([names.ours, names.liveHere, names.otherHost, names.legacyFresh].sort());
});

test('blob temp files of a dead process on this host go at once, a live one\'s stay', async () => {
  const dir = dataDir();
  const blobs = new FileBlobStore(dir);
  const tmp = path.join(blobs.root, 'tmp');
  const live = sleeper();
  const dead = await deadPid();
  fs.writeFileSync(path.join(tmp, `.tmp-${THIS_PROCESS.host}_${dead}_abcdef012345-00000000-0`), 'partial');
  fs.writeFileSync(path.join(tmp, `.tmp-${THIS_PROCESS.host}_${live.pid}_abcdef012345-00000000-0`), 'partial');
  fs.writeFileSync(path.join(tmp, `.tmp-${ownerTag()}-00000000-0`), 'ours');
  expect(await blobs.sweepTemp()).toBe(1);
  expect(fs.readdirSync(tmp).sort()).toEqual([`.tmp-${THIS_PROCESS.host}_${live.pid}_abcdef012345-00000000-0`, `.tmp-${ownerTag()}-00000000-0`].sort());
});

interface Serve {
  child: ChildProcess;
  port: number;
}

async function serve(dir: string): Promise<Serve> {
  const child = spawn(process.execPath, ['-r', REGISTER, FIXTURE], {
    env: { ...process.env, DATA_DIR: dir, PORT: '0', KIEMKY_ADMIN_TOKEN: ADMIN, REDIS_URL: '', DATABASE_URL: '', EXPORT_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return { child, port };
}

const BOUNDARY = 'tempSweepBoundary';

/** An upload that sends its head and some bytes, then waits: the server holds a partial file meanwhile. */
function startUpload(port: number): { request: http.ClientRequest; answer: Promise<{ status: number; body: string }> } {
  const request = http.request({
    port,
    host: '127.0.0.1',
    method: 'POST',
    path: '/api/batches',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'transfer-encoding': 'chunked' },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve) => {
    request.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    request.on('error', () => resolve({ status: 0, body: '' }));
  });
  request.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`);
  request.write(Buffer.alloc(256 * 1024, 0x20));
  return { request, answer };
}

/** The partial upload files under DATA_DIR/tmp, by the run folder they are in. */
function partials(dir: string): string[] {
  const root = path.join(dir, 'tmp');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true })
    .map(String)
    .filter((f) => /upload-/.test(f))
    .sort();
}

async function until(what: () => boolean, ms = 20_000): Promise<void> {
  for (const t0 = Date.now(); !what(); ) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a serve killed mid-upload: its partial file is gone after a restart, while another live serve\'s upload goes on', async () => {
  const dir = dataDir();
  const [killed, live] = await Promise.all([serve(dir), serve(dir)]);
  const cut = startUpload(killed.port);
  await until(() => partials(dir).some((f) => f.includes(`_${killed.child.pid}_`)));
  const going = startUpload(live.port);
  await until(() => partials(dir).some((f) => f.includes(`_${live.child.pid}_`)));
  killed.child.kill('SIGKILL');
  await new Promise((r) => killed.child.once('exit', r));
  cut.request.destroy();
  expect(partials(dir).filter((f) => f.includes(`_${killed.child.pid}_`))).toHaveLength(1);

  // The restart: a server in this process, on the same DATA_DIR.
  const restarted = await startServer(loadConfig({ DATA_DIR: dir, PORT: '0', KIEMKY_ADMIN_TOKEN: ADMIN }), {
    store: new FakeStore(),
    verifier: { size: 1, verify: () => new Promise(() => undefined), close: async () => undefined },
    handleSignals: false,
    log: () => undefined,
  });
  try {
    expect(partials(dir).filter((f) => f.includes(`_${killed.child.pid}_`))).toEqual([]);
    expect(partials(dir).filter((f) => f.includes(`_${live.child.pid}_`))).toHaveLength(1);
    // The live server's upload, untouched, completes.
    going.request.end(`\r\n--${BOUNDARY}--\r\n`);
    const answer = await going.answer;
    expect(answer.status).toBe(202);
    expect(partials(dir)).toEqual([]);
  } finally {
    await restarted.close();
  }
  // A server that stops cleanly takes its folder with it.
  expect(fs.readdirSync(path.join(dir, 'tmp')).filter((f) => f.includes(`_${process.pid}_`))).toEqual([]);
});
