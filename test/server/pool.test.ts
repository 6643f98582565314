import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VerifyPool, type Job, type VerifyFn } from '../../server/pool/verify-pool';
import { progressElapsed, progressStamp } from '../../server/pool/protocol';
import type { DocumentReport } from '../../worker/report';
import { fakeVerify } from './helpers/reports';

const FAKE_THREAD = path.join(__dirname, 'fixtures', 'fake-thread.js');
const sha = (data: string | Buffer): string => crypto.createHash('sha256').update(data).digest('hex');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-pool-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fileJob(name: string, content: string): Job {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return { fileName: name, path: file };
}

/** Error reports must meet the report contract like any other. */
function expectErrorReport(report: DocumentReport, file: string, code: string, content: string): void {
  expect(report).toMatchObject({
    file,
    sha256: sha(content),
    size: Buffer.byteLength(content),
    unit: null,
    verdict: 'error',
    error: { code },
    checks: { signed: false, twoLayer: false, governmentCa: false, intact: false, certificatesValid: false, strongAlgorithms: false },
    signatures: [],
  });
  expect(report.error?.message).toBeTruthy();
  expect(report.error?.messageEn).toBeTruthy();
  expect(report.findings).toHaveLength(1);
  expect(report.findings[0]).toMatchObject({ code, severity: 'error', signature: null });
}

/** Each named document came back: an error report with its code where one is expected, else compliant. */
function expectOutcomes(reports: DocumentReport[], contents: Record<string, string>, errors: Record<string, string>, compliant: Partial<DocumentReport> = {}): void {
  const byName = new Map(reports.map((r) => [r.file, r]));
  for (const [name, content] of Object.entries(contents)) {
    const report = byName.get(name) as DocumentReport;
    if (errors[name]) expectErrorReport(report, name, errors[name], content);
    else expect(report).toMatchObject({ verdict: 'compliant', sha256: sha(content), ...compliant });
  }
}

describe('in-process pool', () => {
  const verify: VerifyFn = async (source, options) => {
    if (options.fileName.includes('hang')) return new Promise<DocumentReport>(() => undefined);
    if (options.fileName.includes('throw')) throw new Error('boom');
    return fakeVerify(source, options);
  };

  test('a hung document times out, a throwing one is INTERNAL, the others come back', async () => {
    const pool = new VerifyPool({ certsDir: dir, verify, timeoutMs: 200, jobs: 2 });
    const jobs: Job[] = [
      { fileName: 'hang.pdf', data: Buffer.from('%PDF hang') },
      fileJob('throw.pdf', '%PDF throw'),
      { fileName: 'ok.pdf', data: Buffer.from('%PDF ok') },
      fileJob('ok2.pdf', '%PDF noncompliant'),
    ];
    const reports = await Promise.all(jobs.map((j) => pool.verify(j)));
    await pool.close();
    expectErrorReport(reports[0], 'hang.pdf', 'TIMEOUT', '%PDF hang');
    expectErrorReport(reports[1], 'throw.pdf', 'INTERNAL', '%PDF throw');
    // What went wrong is for IT: in the finding's detail, not in the message a clerk reads.
    expect(reports[1].findings[0]?.detail).toContain('boom');
    expect(reports[2]).toMatchObject({ file: 'ok.pdf', verdict: 'compliant', sha256: sha('%PDF ok') });
    expect(reports[3]).toMatchObject({ file: 'ok2.pdf', verdict: 'noncompliant' });
  });

  test('the pool, not the core, names the document', async () => {
    const pool = new VerifyPool({ certsDir: dir, verify: async (s) => ({ ...(await fakeVerify(s, { fileName: 'x' })), file: 'wrong' }) });
    expect((await pool.verify({ fileName: 'a.zip/b.pdf', data: Buffer.from('%PDF') })).file).toBe('a.zip/b.pdf');
  });
});

describe('worker-thread pool', () => {
  test('hang → TIMEOUT and respawn, crash and exit → INTERNAL, the batch goes on', async () => {
    const pool = new VerifyPool({ certsDir: dir, threadScript: FAKE_THREAD, timeoutMs: 1000, jobs: 2 });
    const contents: Record<string, string> = {
      'hang.pdf': '%PDF hang',
      'a.pdf': '%PDF a',
      'crash.pdf': '%PDF crash',
      'b.pdf': '%PDF b',
      'exit.pdf': '%PDF exit',
      'reject.pdf': '%PDF reject',
      'c.pdf': '%PDF c',
      'd.pdf': '%PDF d',
    };
    // Buffers are transferred to the worker: the error report must not depend on them afterwards.
    const jobs: Job[] = Object.entries(contents).map(([name, content], i) =>
      i % 2 === 0 ? { fileName: name, data: Buffer.from(content) } : fileJob(name, content),
    );
    const started = Date.now();
    const reports = await Promise.all(jobs.map((j) => pool.verify(j)));
    await pool.close();
    const errors = { 'hang.pdf': 'TIMEOUT', 'crash.pdf': 'INTERNAL', 'exit.pdf': 'INTERNAL', 'reject.pdf': 'INTERNAL' };
    expectOutcomes(reports, contents, errors, { unit: 'UBND xã A' });
    // One slow document holds up one worker, not the batch.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a worker that hangs or dies holding finished results blames only the job it was running', async () => {
    // One worker, so the jobs travel as one batch; the fake worker sends a batch's results only at its end.
    const pool = new VerifyPool({ certsDir: dir, threadScript: FAKE_THREAD, timeoutMs: 1000, jobs: 1 });
    const contents: Record<string, string> = {
      'p.pdf': '%PDF p',
      'q.pdf': '%PDF q',
      'hang.pdf': '%PDF hang',
      'r.pdf': '%PDF r',
      'crash.pdf': '%PDF crash',
      's.pdf': '%PDF s',
    };
    const reports = await Promise.all(Object.entries(contents).map(([name, content]) => pool.verify(fileJob(name, content))));
    await pool.close();
    expectOutcomes(reports, contents, { 'hang.pdf': 'TIMEOUT', 'crash.pdf': 'INTERNAL' });
  });

  test('a document that runs its thread out of memory: that thread is replaced, the document is OUT_OF_MEMORY, the others come back', async () => {
    // One thread holding the whole batch, so the jobs before and after the poison one share its fate unless the
    // pool puts them back; a heap cap of 32 MB makes the fake leak hit it at once.
    const pool = new VerifyPool({ certsDir: dir, threadScript: FAKE_THREAD, timeoutMs: 30_000, jobs: 1, memoryLimitMb: 32 });
    const contents: Record<string, string> = {
      'p.pdf': '%PDF p',
      'q.pdf': '%PDF q',
      'oom.pdf': '%PDF oom',
      'r.pdf': '%PDF r',
      's.pdf': '%PDF s',
    };
    const started = Date.now();
    const reports = await Promise.all(Object.entries(contents).map(([name, content]) => pool.verify(fileJob(name, content))));
    // The thread that replaced the lost one goes on taking work.
    const after = await pool.verify(fileJob('t.pdf', '%PDF t'));
    await pool.close();
    expectOutcomes(reports, contents, { 'oom.pdf': 'OUT_OF_MEMORY' });
    expect(after).toMatchObject({ file: 't.pdf', verdict: 'compliant' });
    // Ended by the heap cap, not by the 30 s deadline.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  test('a buffer that shares its memory is copied, not transferred', async () => {
    const pool = new VerifyPool({ certsDir: dir, threadScript: FAKE_THREAD, jobs: 1 });
    const whole = Buffer.from('xx%PDF shared');
    const view = whole.subarray(2);
    const report = await pool.verify({ fileName: 'shared.pdf', data: view });
    await pool.close();
    expect(report.sha256).toBe(sha('%PDF shared'));
    expect(whole.toString()).toBe('xx%PDF shared');
  });
});

describe('unit registry changes', () => {
  test('jobs sent after setRegistry use it, on every thread and on a thread started after a crash', async () => {
    const pool = new VerifyPool({ certsDir: dir, threadScript: FAKE_THREAD, timeoutMs: 5000, jobs: 2 });
    try {
      const first = await Promise.all([pool.verify({ fileName: 'a.pdf', data: Buffer.from('%PDF a') }), pool.verify({ fileName: 'b.pdf', data: Buffer.from('%PDF b') })]);
      expect(first.map((r) => r.unit)).toEqual(['UBND xã A', 'UBND xã A']);
      pool.setRegistry({ version: 2, units: [{ name: 'Đơn vị mới', agencyCertificates: [] }] });
      const next = await Promise.all([pool.verify({ fileName: 'c.pdf', data: Buffer.from('%PDF c') }), pool.verify({ fileName: 'd.pdf', data: Buffer.from('%PDF d') })]);
      expect(next.map((r) => r.unit)).toEqual(['Đơn vị mới', 'Đơn vị mới']);
      await pool.verify({ fileName: 'crash.pdf', data: Buffer.from('%PDF crash') });
      const respawned = await Promise.all([pool.verify({ fileName: 'e.pdf', data: Buffer.from('%PDF e') }), pool.verify({ fileName: 'f.pdf', data: Buffer.from('%PDF f') })]);
      expect(respawned.map((r) => r.unit)).toEqual(['Đơn vị mới', 'Đơn vị mới']);
      pool.setRegistry(undefined);
      expect((await pool.verify({ fileName: 'g.pdf', data: Buffer.from('%PDF g') })).unit).toBe('UBND xã A');
    } finally {
      await pool.close();
    }
  });
});

describe('worker script that dies on start', () => {
  test('each job gets INTERNAL, and no worker is respawned in a loop', async () => {
    const broken = path.join(dir, 'broken-worker.js');
    fs.writeFileSync(broken, "throw new Error('cannot load the core');\n");
    const pool = new VerifyPool({ certsDir: dir, threadScript: broken, jobs: 2 });
    const reports = await Promise.all([1, 2, 3].map((i) => pool.verify({ fileName: `${i}.pdf`, data: Buffer.from(`%PDF ${i}`) })));
    expect(reports.map((r) => r.error?.code)).toEqual(['INTERNAL', 'INTERNAL', 'INTERNAL']);
    expect(reports[0].findings[0]?.detail).toContain('cannot load the core');
    await new Promise((r) => setTimeout(r, 200));
    await pool.close();
  });
});

describe('worker script that hangs on start', () => {
  test('its jobs time out one by one instead of waiting forever', async () => {
    const stuck = path.join(dir, 'stuck-worker.js');
    fs.writeFileSync(stuck, 'for (;;) { /* never ready */ }\n');
    const pool = new VerifyPool({ certsDir: dir, threadScript: stuck, jobs: 1, timeoutMs: 300 });
    const reports = await Promise.all([1, 2].map((i) => pool.verify(fileJob(`stuck-${i}.pdf`, `%PDF ${i}`))));
    await pool.close();
    expect(reports.map((r) => r.error?.code)).toEqual(['TIMEOUT', 'TIMEOUT']);
  });
});

describe('closing', () => {
  test('jobs still running or queued when the pool closes are answered, not left hanging', async () => {
    const pool = new VerifyPool({ certsDir: dir, threadScript: FAKE_THREAD, jobs: 1, timeoutMs: 30_000 });
    const running = pool.verify({ fileName: 'hang.pdf', data: Buffer.from('%PDF hang') });
    const queued = pool.verify({ fileName: 'later.pdf', data: Buffer.from('%PDF later') });
    await new Promise((r) => setTimeout(r, 100));
    await pool.close();
    expect((await running).error?.code).toBe('INTERNAL');
    expect((await queued).error?.code).toBe('INTERNAL');
  });
});

describe('starting ahead of the first job', () => {
  test('start() boots every thread before any job arrives, and the job then runs on one of them', async () => {
    const bootDir = fs.mkdtempSync(path.join(dir, 'boot-'));
    const marker = path.join(bootDir, 'booted');
    // The fake worker, preceded by a line that records each thread's boot.
    const script = path.join(bootDir, 'booting-worker.js');
    fs.writeFileSync(
      script,
      `require('node:fs').appendFileSync(${JSON.stringify(marker)}, 'x');\nrequire(${JSON.stringify(FAKE_THREAD)});\n`,
    );
    const booted = (): number => (fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').length : 0);
    const pool = new VerifyPool({ certsDir: bootDir, threadScript: script, jobs: 2 });
    await new Promise((r) => setTimeout(r, 300));
    expect(booted()).toBe(0); // without start(), threads wait for work
    pool.start();
    const deadline = Date.now() + 10_000;
    while (booted() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(booted()).toBe(2);
    const report = await pool.verify(fileJob('early.pdf', '%PDF early'));
    expect(report).toMatchObject({ file: 'early.pdf', verdict: 'compliant', sha256: sha('%PDF early') });
    expect(booted()).toBe(2); // the job found a started thread; none was added for it
    await pool.close();
  });
});

describe('job start stamps in shared memory', () => {
  test('a worker alive for longer than an Int32 of milliseconds still times its jobs right', () => {
    const epoch = Date.UTC(2026, 0, 1);
    const day = 24 * 3600 * 1000;
    // 2 ** 31 - 1000: the job starts just before the stamp wraps and is looked at just after.
    for (const age of [0, 1000, 24 * day, 2 ** 31 - 1000, 25 * day, 50 * day, 400 * day]) {
      const started = progressStamp(epoch + age, epoch);
      expect(Number.isInteger(started) && started >= -(2 ** 31) && started < 2 ** 31).toBe(true);
      expect(progressElapsed(progressStamp(epoch + age + 2500, epoch), started)).toBe(2500);
      expect(progressElapsed(progressStamp(epoch + age + 61_000, epoch), started)).toBe(61_000);
    }
  });
});
