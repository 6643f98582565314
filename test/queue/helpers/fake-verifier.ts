import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { DocumentVerifier, Job } from '../../../server/pool';
import type { DocumentReport } from '../../../worker/report';
import { errorReport } from '../../../server/error-report';

/** A verifier that hashes the file and says "error NOT_PDF"-like things without the core: fast and observable. */
export class FakeVerifier implements DocumentVerifier {
  readonly size: number;
  readonly calls: string[] = [];
  running = 0;
  maxRunning = 0;
  constructor(size = 2, private readonly delayMs = 5) {
    this.size = size;
  }
  async verify(job: Job): Promise<DocumentReport> {
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      const data = 'path' in job ? fs.readFileSync(job.path) : job.data;
      this.calls.push(job.fileName);
      await new Promise((r) => setTimeout(r, this.delayMs));
      const sha256 = crypto.createHash('sha256').update(data).digest('hex');
      return { ...errorReport(job.fileName, sha256, data.length, 'INTERNAL', 'fake'), verdict: 'noncompliant' };
    } finally {
      this.running--;
    }
  }
  async close(): Promise<void> {}
}
