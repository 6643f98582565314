import { BufferSource, openFileSource, type ByteSource } from '../worker/source';
import type { DocumentReport } from '../worker/report';
import type { VerifyFn, WorkerInit } from './pool-protocol';

/** Opens a job's bytes and verifies them: the same code in a worker thread and in-process. */
export async function runJob(
  verify: VerifyFn,
  job: { fileName: string; path: string } | { fileName: string; data: Uint8Array },
  init: Omit<WorkerInit, 'certsDir'>,
): Promise<DocumentReport> {
  const source: ByteSource =
    'path' in job ? openFileSource(job.path) : new BufferSource(Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength));
  try {
    const report = await verify(source, { fileName: job.fileName, registry: init.registry, timeBudgetMs: init.timeBudgetMs });
    // The name is the pool's to give (archive.zip/inner/path.pdf), whatever the core put there.
    return { ...report, file: job.fileName };
  } finally {
    source.close?.();
  }
}
