import { TrustFolder } from '../pool/trust-folder';
import type { UnitRegistry } from '../pool/rejudge';
import type { RejudgeScope, UnitRegistryStore } from '../shared/types';

/**
 * What `serve` follows while it runs, so that stored verdicts stay current without a restart: the unit registry in
 * the store (an admin's PUT, another server's UNITS_FILE), the certs folder (a root added or withdrawn, a CRL
 * dropped into crl/) and, online, the passing of time (a CA publishes a CRL). Each change re-judges what was judged
 * before it (rejudge-jobs.ts); the verification threads follow the same changes themselves (queue/follow-*.ts).
 */

/** How often the store's registry version and the certs folder are looked at. */
const FOLLOW_MS = 5000;
/** After a trust store change, how long verifications started with the previous one may still take to be stored. */
const TRUST_SETTLE_MS = 60_000;

/** What a change asks of the re-judging (RejudgeJobs). */
export interface Rejudger {
  startStale(): unknown;
  start(scope: RejudgeScope): unknown;
}

export interface FollowOptions {
  certsDir: string;
  /** Online: every stored document judged again this often (ms) with its revocation fetched anew; null: never. */
  revocationRefreshMs: number | null;
  /** The trust store changed: what was read from it (the trust list GET /api/trust shows) must be read again. */
  onTrustChange: () => void;
  log: (message: string) => void;
}

export class ChangeFollower {
  private readonly timers: NodeJS.Timeout[] = [];
  private rejudgeAgain: NodeJS.Timeout | null = null;
  private readonly certs: TrustFolder;

  private constructor(
    private readonly store: UnitRegistryStore,
    private current: UnitRegistry | undefined,
    private version: string | null,
    private readonly options: FollowOptions,
  ) {
    this.certs = new TrustFolder(options.certsDir);
    this.lookAtCerts();
  }

  /** Reads the store's registry and looks at the certs folder once: what the first judgements use. */
  static async open(store: UnitRegistryStore, options: FollowOptions): Promise<ChangeFollower> {
    return new ChangeFollower(store, (await store.unitRegistry())?.registry, await store.unitRegistryVersion(), options);
  }

  /** The unit registry re-judging judges with: the store's, as last seen. */
  registry(): UnitRegistry | undefined {
    return this.current;
  }

  /** Starts following; each change re-judges through `rejudge`. */
  start(rejudge: Rejudger | null): void {
    const { log } = this.options;
    this.every(FOLLOW_MS, () => {
      void this.followRegistry(rejudge).catch((err: unknown) => log(`unit registry not followed: ${err instanceof Error ? err.message : String(err)}`));
    });
    this.every(FOLLOW_MS, () => this.followTrust(rejudge));
    const refresh = this.options.revocationRefreshMs;
    if (rejudge && refresh !== null) {
      this.every(refresh, () => {
        log('revocation refresh: every stored document judged again with its revocation fetched anew');
        rejudge.start({ all: true });
      });
    }
  }

  stop(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
    if (this.rejudgeAgain) clearTimeout(this.rejudgeAgain);
  }

  private every(ms: number, tick: () => void): void {
    const t = setInterval(tick, ms);
    t.unref();
    this.timers.push(t);
  }

  private async followRegistry(rejudge: Rejudger | null): Promise<void> {
    const version = await this.store.unitRegistryVersion();
    if (version === this.version) return;
    this.current = (await this.store.unitRegistry())?.registry;
    this.version = version;
    this.options.log(`unit registry changed (version ${version?.slice(0, 12) ?? 'none'}): stored documents judged again`);
    rejudge?.startStale();
  }

  /**
   * A changed trust store re-judges what the previous one judged: once now, and once more a minute later for the
   * documents that were being verified with the previous store meanwhile (the threads load the new one before their
   * next job).
   */
  private followTrust(rejudge: Rejudger | null): void {
    const changed = this.lookAtCerts();
    if (changed === null) return;
    this.options.onTrustChange();
    this.options.log(`trust store changed (version ${changed.slice(0, 12)}): stored documents judged again`);
    rejudge?.startStale();
    if (this.rejudgeAgain) clearTimeout(this.rejudgeAgain);
    this.rejudgeAgain = setTimeout(() => rejudge?.startStale(), TRUST_SETTLE_MS);
    this.rejudgeAgain.unref();
  }

  private lookAtCerts(): string | null {
    try {
      return this.certs.look();
    } catch (err) {
      this.options.log(`trust store in ${this.options.certsDir} does not load: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }
}
