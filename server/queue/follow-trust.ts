import type { DocumentVerifier, Job } from '../pool/verify-pool';
import { TrustFolder } from '../pool/trust-folder';

/**
 * A verifier that follows the certs folder: before a document is verified (at most once every few seconds), the
 * folder is looked at (pool/trust-folder.ts), and a changed trust store is loaded by every verification thread
 * before its next job. So a root withdrawn at noon is not trusted by a document verified at noon and ten seconds,
 * in `kiemky serve` and in every `kiemky worker`, without a restart.
 */

export interface TrustTaker extends DocumentVerifier {
  reloadTrust(): void;
}

export function canTakeTrust(v: DocumentVerifier): v is TrustTaker {
  return typeof (v as Partial<TrustTaker>).reloadTrust === 'function';
}

/** How long a look at the folder stands for the jobs after it. */
export const TRUST_LOOK_MS = 2000;

export class TrustFollower implements DocumentVerifier {
  readonly size: number;
  private readonly folder: TrustFolder;
  private lookedAt = 0;

  constructor(
    private readonly inner: TrustTaker,
    certsDir: string,
    private readonly log: (message: string) => void = () => undefined,
    private readonly lookMs = TRUST_LOOK_MS,
  ) {
    this.size = inner.size;
    this.folder = new TrustFolder(certsDir);
    try {
      this.folder.look();
    } catch {
      // The threads report a store that does not load, document by document; nothing to follow yet.
    }
    this.lookedAt = Date.now();
  }

  verify(job: Job): ReturnType<DocumentVerifier['verify']> {
    this.follow();
    return this.inner.verify(job);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private follow(): void {
    const now = Date.now();
    if (now - this.lookedAt < this.lookMs) return;
    this.lookedAt = now;
    let changed: string | null;
    try {
      changed = this.folder.look();
    } catch (err) {
      // The folder changed into something that does not load: the threads load it too, and answer each
      // document with the error instead of judging with the store that was there before.
      this.log(`trust store changed but does not load: ${err instanceof Error ? err.message : String(err)}`);
      this.inner.reloadTrust();
      return;
    }
    if (changed === null) return;
    this.log(`trust store changed (version ${changed.slice(0, 12)}): verification threads load it`);
    this.inner.reloadTrust();
  }
}

/** Follows the certs folder when the verifier can reload its trust store (an injected test verifier may not). */
export function followTrust(verifier: DocumentVerifier, certsDir: string, log?: (message: string) => void): DocumentVerifier {
  return canTakeTrust(verifier) ? new TrustFollower(verifier, certsDir, log) : verifier;
}
