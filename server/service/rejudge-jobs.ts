import * as crypto from 'node:crypto';
import type { RejudgeJobView } from '../api/rejudge-routes';
import { judgeContextFrom, judgedWithKey, rejudgeStored, versionsOf, type UnitRegistry } from '../pool/rejudge';
import type { RevocationSettings } from '../pool/protocol';
import type { OnlineRevocationFetcher } from '../pool/revocation/online-fetcher';
import { revocationFetcher } from '../pool/revocation/settings';
import type { FactsStore, RejudgeScope } from '../shared/types';

/**
 * The service's re-judging: jobs run one after another in the background, each with the trust store as the certs
 * folder holds it when the job starts (a root added or withdrawn since the service started counts). At start the
 * service judges again, by itself, every stored document whose report was judged with another trust store or
 * registry than the current ones (startStale). Online, each document's revocation is fetched again as it is
 * judged (the fetcher's caches answer while a CRL is fresh), and what came is kept with its facts.
 */

const KEPT_JOBS = 50;

export class RejudgeJobs {
  private readonly jobs = new Map<string, RejudgeJobView>();
  private chain: Promise<void> = Promise.resolve();
  private stopping = false;

  /** Online (KIEMKY_REVOCATION=online): one fetcher for every job, so its memory of answers and failures serves them all. */
  private readonly fetcher: OnlineRevocationFetcher | undefined;

  constructor(
    private readonly store: FactsStore,
    private readonly certsDir: string,
    private readonly registry: () => UnitRegistry | undefined,
    private readonly log: (m: string) => void,
    revocation?: RevocationSettings,
  ) {
    this.fetcher = revocationFetcher(revocation);
  }

  start(scope: RejudgeScope): RejudgeJobView {
    const job: RejudgeJobView = {
      id: crypto.randomUUID(),
      scope,
      state: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      judged: 0,
      changed: 0,
      failed: 0,
      error: null,
    };
    this.jobs.set(job.id, job);
    for (const id of [...this.jobs.keys()].slice(0, Math.max(0, this.jobs.size - KEPT_JOBS))) this.jobs.delete(id);
    this.chain = this.chain.then(() => this.run(job));
    return { ...job };
  }

  /** Judges again what was judged with other versions than the current trust store and registry. */
  startStale(): RejudgeJobView | null {
    let key: string;
    try {
      key = judgedWithKey(versionsOf(judgeContextFrom(this.certsDir, this.registry())));
    } catch (err) {
      this.log(`rejudge: trust store not loaded, stored documents not judged again: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
    return this.start({ notJudgedWith: key });
  }

  get(id: string): RejudgeJobView | null {
    const job = this.jobs.get(id);
    return job ? { ...job } : null;
  }

  /** Ends the running job after its page and starts no other; resolves when it has. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.chain;
  }

  private async run(job: RejudgeJobView): Promise<void> {
    if (this.stopping) {
      Object.assign(job, { state: 'failed', finishedAt: new Date().toISOString(), error: 'service stopping' });
      return;
    }
    try {
      const result = await rejudgeStored(this.store, judgeContextFrom(this.certsDir, this.registry()), job.scope, {
        onPage: (r) => Object.assign(job, { judged: r.judged, changed: r.changed, failed: r.failed.length }),
        stop: () => this.stopping,
        ...(this.fetcher ? { revocation: this.fetcher } : {}),
      });
      Object.assign(job, { state: 'done', finishedAt: new Date().toISOString(), judged: result.judged, changed: result.changed, failed: result.failed.length });
      for (const f of result.failed.slice(0, 10)) this.log(`rejudge ${job.id}: ${f.sha256}: ${f.reason}`);
      if (result.judged > 0 || result.failed.length > 0) {
        this.log(`rejudge ${job.id}: ${result.judged} document(s) judged again, ${result.changed} changed, ${result.failed.length} not judged`);
      }
    } catch (err) {
      Object.assign(job, { state: 'failed', finishedAt: new Date().toISOString(), error: err instanceof Error ? err.message : String(err) });
      this.log(`rejudge ${job.id} failed: ${job.error}`);
    }
  }
}
