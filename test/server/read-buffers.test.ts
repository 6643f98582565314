import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ReadBuffers } from '../../server/pool/read-buffers';
import { VerifyPool } from '../../server/pool/verify-pool';
import { buildMonth } from '../../samples/month';
import { loadTestPki, writeTrustStore } from '../../samples/lib/test-pki';
import { loadTrustStore } from '../../worker/pki/trust-store';
import { trustStoreVersion } from '../../worker/pki/trust-version';
import { BufferSource, FileSource, WHOLE_FILE_LIMIT } from '../../worker/source';
import { verifyDocument } from '../../worker/verify';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-readbuf-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: Buffer | string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

function all(source: { size: number; read(o: number, l: number): Buffer }): Buffer {
  return Buffer.from(source.read(0, source.size));
}

describe('ReadBuffers', () => {
  test('a released buffer is reused, and the next document sees only its own bytes', () => {
    const reader = new ReadBuffers(1);
    const long = file('long.pdf', Buffer.alloc(5000, 0x41));
    const short = file('short.pdf', '%PDF-short');
    const a = reader.open(long);
    expect(a.source.size).toBe(5000);
    const backing = a.source.read(0, 1).buffer;
    a.release();
    a.release(); // twice is harmless: the buffer is not handed out twice
    const b = reader.open(short);
    // Same memory, but the source ends where the short file ends: no stale 'A's after it.
    expect(b.source.read(0, 1).buffer).toBe(backing);
    expect(b.source.size).toBe(10);
    expect(all(b.source).toString('latin1')).toBe('%PDF-short');
    expect(b.source.read(5, 1000).toString('latin1')).toBe('short');
    const c = reader.open(short);
    // Still held by b: c must get its own memory.
    expect(c.source.read(0, 1).buffer).not.toBe(backing);
    b.release();
    c.release();
  });

  test('an empty file reads as empty, a missing one throws', () => {
    const reader = new ReadBuffers();
    const empty = reader.open(file('empty.pdf', ''));
    expect(empty.source.size).toBe(0);
    empty.release();
    expect(() => reader.open(path.join(dir, 'missing.pdf'))).toThrow(/ENOENT/);
  });

  test('a file over the whole-file limit is read by range, not into a buffer', () => {
    const big = file('big.pdf', Buffer.alloc(WHOLE_FILE_LIMIT + 1, 0x20));
    const { source, release } = new ReadBuffers().open(big);
    expect(source).toBeInstanceOf(FileSource);
    expect(source.size).toBe(WHOLE_FILE_LIMIT + 1);
    release();
    expect(() => source.read(0, 1)).toThrow(/closed/);
  });
});

// The compiled worker is what reuses buffers; under ts-jest it exists only after `npm run build` (npm test builds).
const compiledWorker = path.join(__dirname, '..', '..', 'dist', 'server', 'pool', 'thread-main.js');
const describeThreads = fs.existsSync(compiledWorker) ? describe : describe.skip;

describeThreads('worker threads reusing read buffers', () => {
  test('every document of the sample month gets the report it gets in-process', async () => {
    const pki = loadTestPki();
    const monthDir = path.join(dir, 'thang-11');
    const trustDir = path.join(dir, 'trust');
    const entries = buildMonth(monthDir, pki);
    writeTrustStore(trustDir, pki);
    const files = entries.map((e) => path.join(monthDir, e.file));
    // One thread, so each document is read into the buffer the one before it used; twice over, in opposite orders,
    // so a larger document follows a smaller one and the other way round.
    const pool = new VerifyPool({ certsDir: trustDir, jobs: 1, threadScript: compiledWorker });
    const order = [...files, ...[...files].reverse()];
    const threaded = await Promise.all(order.map((f) => pool.verify({ fileName: path.basename(f), path: f })));
    await pool.close();

    const trust = loadTrustStore(trustDir);
    const version = trustStoreVersion(trust);
    for (let i = 0; i < order.length; i++) {
      const f = order[i]!;
      const direct = await verifyDocument(new BufferSource(fs.readFileSync(f)), trust, { fileName: path.basename(f) });
      // The pool's reports name what they were judged with (and when: the one field that differs by design);
      // apart from that, the whole report must match.
      const { judgedWith, ...report } = threaded[i]!;
      expect(judgedWith).toMatchObject({ trustStore: version, revocation: null, units: null });
      expect(report).toEqual(direct);
    }
    expect(new Set(threaded.map((r) => r.verdict))).toEqual(new Set(['compliant', 'noncompliant', 'error']));
  }, 60_000);
});
