import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { DocumentVerifier, Job } from '../../../server/pool/verify-pool';
import type { DocumentReport } from '../../../worker/report';
import { errorReport } from '../../../server/pool/error-report';

/**
 * A verifier that hashes the file and says "error NOT_PDF"-like things without the core: fast and observable. Like
 * VerifyPool it works on `size` documents at once and queues the others it is given.
 */
export class FakeVerifier implements DocumentVerifier {
  readonly size: number;
  readonly calls: string[] = [];
  /** Documents being verified now, and the most at once (never above size). */
  running = 0;
  maxRunning = 0;
  /** Documents given and not answered yet (verifying or queued), and the most at once. */
  accepted = 0;
  maxAccepted = 0;
  private readonly queue: Array<() => void> = [];
  constructor(size = 2, private readonly delayMs = 5) {
    this.size = size;
  }
  async verify(job: Job): Promise<DocumentReport> {
    this.accepted++;
    this.maxAccepted = Math.max(this.maxAccepted, this.accepted);
    // A queued document is handed its slot by the one that frees it (running is not decremented in between).
    if (this.running >= this.size) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      const data = 'path' in job ? fs.readFileSync(job.path) : job.data;
      this.calls.push(job.fileName);
      await new Promise((r) => setTimeout(r, this.delayMs));
      const sha256 = crypto.createHash('sha256').update(data).digest('hex');
      return { ...errorReport(job.fileName, sha256, data.length, 'INTERNAL', 'fake'), verdict: 'noncompliant' };
    } finally {
      this.accepted--;
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
  async close(): Promise<void> {}
}
