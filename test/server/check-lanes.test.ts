import { checkAll } from '../../server/check';
import type { DocumentItem } from '../../server/input/types';
import type { DocumentVerifier, Job } from '../../server/pool';
import type { DocumentReport } from '../../worker/report';
import { errorReport } from '../../server/error-report';

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

describe('checkAll lanes', () => {
  test('files are kept many in flight per thread, so workers can take them in batches', async () => {
    const pool = slowVerifier(2);
    const loaded = { now: 0, peak: 0 };
    const reports = await checkAll(items(200, false, loaded), pool);
    expect(reports).toHaveLength(200);
    expect(pool.peak).toBe(96);
  });

  test('ZIP entries held in memory stay at two per thread, however many files may be in flight', async () => {
    const pool = slowVerifier(2);
    const loaded = { now: 0, peak: 0 };
    const reports = await checkAll(items(100, true, loaded), pool);
    expect(reports.map((r) => r.file)).toEqual(Array.from({ length: 100 }, (_, i) => `d${i}.pdf`).sort((a, b) => a.localeCompare(b, 'vi', { numeric: true })));
    expect(loaded.peak).toBe(4);
    expect(loaded.now).toBe(0);
  });
});
