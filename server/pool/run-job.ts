import { BufferSource, openFileSource, type ByteSource } from '../../worker/source';
import type { DocumentReport } from '../../worker/report';
import type { VerifyFn, ThreadInit } from './protocol';
import type { ReadBuffers } from './read-buffers';
import { factsOf } from './facts-channel';

type RunnableJob = { fileName: string; path: string } | { fileName: string; data: Uint8Array };

function open(job: RunnableJob, reader: ReadBuffers | null): { source: ByteSource; release: () => void } {
  if ('path' in job) {
    if (reader) return reader.open(job.path);
    const source = openFileSource(job.path);
    return { source, release: () => source.close?.() };
  }
  const source = new BufferSource(Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength));
  return { source, release: () => undefined };
}

async function verifyOpened(verify: VerifyFn, job: RunnableJob, init: Omit<ThreadInit, 'certsDir'>, source: ByteSource): Promise<DocumentReport> {
  const report = await verify(source, { fileName: job.fileName, registry: init.registry, timeBudgetMs: init.timeBudgetMs });
  // The name is the pool's to give (archive.zip/inner/path.pdf), whatever the core put there.
  return { ...report, file: job.fileName };
}

/** Opens a job's bytes and verifies them: the same code in a thread and in-process. */
export async function runJob(verify: VerifyFn, job: RunnableJob, init: Omit<ThreadInit, 'certsDir'>): Promise<DocumentReport> {
  const { source, release } = open(job, null);
  try {
    return await verifyOpened(verify, job, init, source);
  } finally {
    release();
  }
}

/**
 * The thread's form: the report as JSON text, serialized before the bytes are released, so a file read
 * into a reused buffer is never looked at again once the next document overwrites it.
 */
export async function runJobToJson(
  verify: VerifyFn,
  job: RunnableJob,
  init: Omit<ThreadInit, 'certsDir'>,
  reader: ReadBuffers,
): Promise<{ reportJson: string; factsJson?: string }> {
  const { source, release } = open(job, reader);
  try {
    const report = await verifyOpened(verify, job, init, source);
    const facts = factsOf(report);
    return facts ? { reportJson: JSON.stringify(report), factsJson: JSON.stringify(facts) } : { reportJson: JSON.stringify(report) };
  } finally {
    release();
  }
}
