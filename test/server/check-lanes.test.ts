import { checkEach } from '../../server/cli/check';
import type { DocumentItem } from '../../server/ingest/types';
import type { DocumentVerifier, Job } from '../../server/pool/verify-pool';
import type { DocumentReport } from '../../worker/report';
import { errorReport } from '../../server/pool/error-report';

/** A verifier that answers after a tick and records how many documents it holds at once. */
function slowVerifier(size: number): DocumentVerifier & { peak: number } {
  let holding = 0;
  const v = {
    size,
    peak: 0,
    async verify(job: Job): Promise<DocumentReport> {
      holding++;
      v.peak = Math.max(v.peak, holding);
      await new Promise((r) => setTimeout(r, 2));
      holding--;
      return errorReport(job.fileName, '0'.repeat(64), 0, 'INTERNAL', 'test');
    },
    async close(): Promise<void> {},
  };
  return v;
}

function items(n: number, inMemory: boolean, loaded: { now: number; peak: number }): DocumentItem[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `d${i}.pdf`,
    ...(inMemory ? { memoryBytes: 4 } : {}),
    load: async () => {
      loaded.now++;
      loaded.peak = Math.max(loaded.peak, loaded.now);
      const job: Job = inMemory ? { fileName: `d${i}.pdf`, data: Buffer.from('%PDF') } : { fileName: `d${i}.pdf`, path: `/nonexistent/d${i}.pdf` };
      return { job, dispose: () => void loaded.now-- };
    },
  }));
}

/** Every report, in the order checkEach hands them on. */
async function collected(docs: DocumentItem[], pool: DocumentVerifier): Promise<DocumentReport[]> {
  const reports: DocumentReport[] = [];
  await checkEach(docs, pool, (report) => reports.push(report));
  return reports;
}

describe('checkEach lanes', () => {
  test('files are kept many in flight per thread, so workers can take them in batches', async () => {
    const pool = slowVerifier(2);
    const loaded = { now: 0, peak: 0 };
    const reports = await collected(items(200, false, loaded), pool);
    expect(reports).toHaveLength(200);
    expect(pool.peak).toBe(96);
  });

  test('ZIP entries held in memory stay at two per thread, however many files may be in flight', async () => {
    const pool = slowVerifier(2);
    const loaded = { now: 0, peak: 0 };
    const reports = await collected(items(100, true, loaded), pool);
    expect(reports.map((r) => r.file)).toEqual(Array.from({ length: 100 }, (_, i) => `d${i}.pdf`).sort((a, b) => a.localeCompare(b, 'vi', { numeric: true })));
    expect(loaded.peak).toBe(4);
    expect(loaded.now).toBe(0);
  });
});

/** A verifier whose documents each finish when the test says so (or at once, for those not held). */
function heldVerifier(held: Set<string>): DocumentVerifier & { started: string[]; finished: string[]; release: (name: string) => void } {
  const waiting = new Map<string, () => void>();
  const v = {
    size: 2,
    started: [] as string[],
    finished: [] as string[],
    release(name: string): void {
      held.delete(name);
      waiting.get(name)?.();
    },
    async verify(job: Job): Promise<DocumentReport> {
      v.started.push(job.fileName);
      if (held.has(job.fileName)) await new Promise<void>((resolve) => waiting.set(job.fileName, resolve));
      else await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 3)));
      v.finished.push(job.fileName);
      return errorReport(job.fileName, '0'.repeat(64), 0, 'INTERNAL', 'test');
    },
    async close(): Promise<void> {},
  };
  return v;
}

const byName = (names: string[]): string[] => [...names].sort((a, b) => a.localeCompare(b, 'vi', { numeric: true }));

describe('checkEach: reports handed on in file-name order, as soon as those before them are done', () => {
  test('the order is the file names\', whatever order the documents finish in', async () => {
    const pool = heldVerifier(new Set());
    const handed: string[] = [];
    const finishedWhenHanded: number[] = [];
    const list = items(300, false, { now: 0, peak: 0 }).reverse();
    await checkEach(list, pool, (r) => {
      handed.push(r.file);
      finishedWhenHanded.push(pool.finished.length);
    });
    expect(handed).toEqual(byName(list.map((i) => i.name)));
    // Streamed, not gathered: the first report went on long before the last document was verified.
    expect(finishedWhenHanded[0]).toBeLessThan(100);
  });

  test('a document still running holds back at most maxAhead finished reports; then no new document starts', async () => {
    const pool = heldVerifier(new Set(['d0.pdf']));
    const handed: string[] = [];
    const run = checkEach(items(50, false, { now: 0, peak: 0 }), pool, (r) => handed.push(r.file), { maxAhead: 10 });
    await new Promise((r) => setTimeout(r, 50));
    expect(pool.started).toHaveLength(10);
    expect(handed).toEqual([]);
    pool.release('d0.pdf');
    await run;
    expect(handed).toEqual(byName(items(50, false, { now: 0, peak: 0 }).map((i) => i.name)));
  });

  test('an onReport that throws stops the batch: no new document starts, and the error comes out', async () => {
    const pool = heldVerifier(new Set());
    let calls = 0;
    const failing = checkEach(items(500, false, { now: 0, peak: 0 }), pool, () => {
      if (++calls === 5) throw new Error('disk full');
    });
    await expect(failing).rejects.toThrow('disk full');
    expect(calls).toBe(5);
    // Those already running when it threw finish; nothing after them is started.
    expect(pool.started.length).toBeLessThan(500);
    expect(pool.finished).toHaveLength(pool.started.length);
  });
});
