import type { DocumentVerifier, Job } from '../pool/verify-pool';
import type { UnitRegistryStore } from '../shared/types';
import { canTakeTrust } from './follow-trust';
import type { UnitRegistry } from '../shared/unit-registry';

/**
 * A verifier that follows the stored unit registry: before a document is verified, the store's registry version
 * is compared with the one the verifier holds (the store caches it for seconds), and a new registry is loaded and
 * handed to the verification threads. So a PUT /api/admin/units reaches this process's next job at once and
 * every worker's within the store's cache time, without restarting anything.
 */

export interface RegistryTaker extends DocumentVerifier {
  setRegistry(registry: UnitRegistry | undefined): void;
}

export function canTakeRegistry(v: DocumentVerifier): v is RegistryTaker {
  return typeof (v as Partial<RegistryTaker>).setRegistry === 'function';
}

export class UnitRegistryFollower implements DocumentVerifier {
  readonly size: number;
  private held: string | null = null;
  private syncing: Promise<void> | null = null;

  constructor(
    private readonly inner: RegistryTaker,
    private readonly store: UnitRegistryStore,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.size = inner.size;
  }

  /** The version of the registry the threads hold (null: none); the re-judging helper compares it. */
  get version(): string | null {
    return this.held;
  }

  async verify(job: Job): ReturnType<DocumentVerifier['verify']> {
    await this.sync();
    return this.inner.verify(job);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Passed on: the trust follower wraps this one (follow-trust.ts). */
  reloadTrust(): void {
    if (canTakeTrust(this.inner)) this.inner.reloadTrust();
  }

  /** One look at the store at a time; jobs arriving meanwhile wait for the same answer. */
  sync(): Promise<void> {
    this.syncing ??= this.check().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async check(): Promise<void> {
    const version = await this.store.unitRegistryVersion();
    if (version === this.held) return;
    const stored = version === null ? null : await this.store.unitRegistry();
    this.inner.setRegistry(stored?.registry);
    this.held = stored?.version ?? null;
    this.log(`unit registry ${this.held ? this.held.slice(0, 12) : 'none'}: ${stored ? stored.registry.units.length : 0} unit(s)`);
  }
}

/** Follows the store's registry when the verifier can take one (an injected test verifier may not). */
export function followUnits(verifier: DocumentVerifier, store: UnitRegistryStore, log?: (message: string) => void): DocumentVerifier {
  return canTakeRegistry(verifier) ? new UnitRegistryFollower(verifier, store, log) : verifier;
}
