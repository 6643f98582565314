import type { DocumentFacts } from '../../worker/facts';
import { decodedDerCache, fetchedFromRecord, fetchedVersion, fromFactsRecord, toFactsRecord, withFetched, type FactsRecord } from '../../worker/facts-record';
import type { RevocationFetcher } from '../../worker/pki/fetched-revocation';
import { revocationTargets } from '../../worker/revocation-targets';
import { judgeDocument } from '../../worker/policy/judge';
import { trustStoreVersion } from '../../worker/pki/trust-version';
import { unitRegistryVersion } from '../../worker/registry-parse';
import { loadTrustStore } from '../../worker/pki/trust-store';
import type { TrustStore } from '../../worker/pki/types';
import type { UnitRegistry } from '../../worker/registry';
import type { DocumentReport, JudgedWith } from '../../worker/report';
import type { FactsStore, RejudgeScope, StoredFactsRecord } from '../shared/types';

/**
 * Judging stored facts again: what the trust store, the revocation data and the unit registry say today about
 * documents verified earlier, without their PDFs. A re-judgement that changes the report (verdict, checks, findings,
 * anything the policy writes) replaces the stored report and adds a row to the document's history; one that changes
 * nothing only moves the versions the report names on (the report was judged with them too), and adds no row: the
 * history lists the verdicts a document had, not every time it was looked at.
 */

export interface JudgeContext {
  trust: TrustStore;
  registry?: UnitRegistry;
}

export type { UnitRegistry } from '../../worker/registry';

/** The trust store as the certs folder holds it now, with the registry: what the next judgement uses. */
export function judgeContextFrom(certsDir: string, registry?: UnitRegistry): JudgeContext {
  return { trust: loadTrustStore(certsDir), registry };
}

/**
 * The versions a context judges with, computed once per context (hashing a store costs its size). The revocation
 * a verdict rests on beyond the trust store's CRLs is the document's own (what was fetched for its chains, kept
 * with its facts), so it is named per report, not here.
 */
export interface JudgeVersions {
  trustStore: string;
  units: string | null;
}

export function versionsOf(ctx: JudgeContext): JudgeVersions {
  return { trustStore: trustStoreVersion(ctx.trust), units: ctx.registry ? unitRegistryVersion(ctx.registry) : null };
}

/**
 * One text for "judged with these versions", the key the store selects stale reports by: what is shared by every
 * document (the trust store with its CRLs, the unit registry). A document's fetched revocation does not change
 * unless it is fetched again, so it is no reason to judge it again.
 */
export function judgedWithKey(v: JudgeVersions): string {
  return `${v.trustStore}/${v.units ?? '-'}`;
}

/** What a report names: the shared versions, and `revocation`, the version of the document's fetched data (null: none). */
export function judgedWith(v: JudgeVersions, at: Date, revocation: string | null): JudgedWith {
  return { trustStore: v.trustStore, revocation, units: v.units, at: at.toISOString() };
}

/** The facts as the store keeps them (the worker's record is already plain JSON). */
export function storableFacts(facts: DocumentFacts): StoredFactsRecord {
  return toFactsRecord(facts);
}

/** A report without the versions it names: what must be equal for a re-judgement to have changed nothing. */
function substance(report: DocumentReport): string {
  const { judgedWith: _ignored, ...rest } = report;
  return canonical(rest);
}

/** JSON with keys sorted: a report read back from the database may have its keys in another order (jsonb). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export interface RejudgeResult {
  /** Documents whose facts were judged. */
  judged: number;
  /** Of those, the ones whose report changed (saved, with a history row). */
  changed: number;
  /** Stored facts that could not be judged (another facts version, a missing certificate), with why. */
  failed: { sha256: string; reason: string }[];
}

export interface RejudgeOptions {
  pageSize?: number;
  now?: () => Date;
  /** Called after each page. */
  onPage?: (done: RejudgeResult) => void;
  /** Asked between pages: true ends the run there (a service that stops). */
  stop?: () => boolean;
  /**
   * Online: the revocation of each document's chains is fetched again (the fetcher's cache answers while a CRL is
   * fresh) and added to what its facts keep, so a CRL published since the document was verified is judged with.
   * Absent: judged with the revocation kept with the facts only.
   */
  revocation?: RevocationFetcher;
}

export async function rejudgeStored(store: FactsStore, ctx: JudgeContext, scope: RejudgeScope, options: RejudgeOptions = {}): Promise<RejudgeResult> {
  const versions = versionsOf(ctx);
  const key = judgedWithKey(versions);
  const now = options.now ?? (() => new Date());
  const pageSize = options.pageSize ?? 500;
  const result: RejudgeResult = { judged: 0, changed: 0, failed: [] };
  let after: string | null = null;
  const decoded = decodedDerCache();
  for (;;) {
    const page = await store.factsPage(scope, after, pageSize);
    if (page.length === 0) break;
    after = page[page.length - 1]!.sha256;
    const at = now();
    const unchanged: { sha256: string; revocation?: string }[] = [];
    const changed: { sha256: string; report: DocumentReport }[] = [];
    for (const stored of page) {
      let report: DocumentReport;
      let record = stored.record as FactsRecord;
      let refetched = false;
      try {
        const facts = fromFactsRecord(record, decoded);
        if (options.revocation && !facts.error) {
          const fresh = await options.revocation.fetch(revocationTargets(facts, ctx.trust, at));
          const grown = withFetched(record, fresh, at);
          if (grown) {
            record = grown;
            refetched = true;
            await store.saveFetched(stored.sha256, grown);
          }
        }
        // Judged at the time the facts were collected (a signature without any time is judged as it was then),
        // with the revocation fetched for it then: the data that time had, judged by today's trust.
        report = judgeDocument(facts, ctx.trust, { registry: ctx.registry, now: stored.collectedAt, fetched: fetchedFromRecord(record, decoded) });
      } catch (err) {
        result.failed.push({ sha256: stored.sha256, reason: err instanceof Error ? err.message : String(err) });
        continue;
      }
      result.judged++;
      if (stored.report) {
        // The name the document is stored under is the store's (the first name it was verified under).
        report = { ...report, file: stored.report.file };
        if (stored.report.register) report.register = stored.report.register;
      }
      const revocation = record.fetched ? fetchedVersion(record.fetched) : null;
      report = { ...report, judgedWith: judgedWith(versions, at, revocation) };
      if (stored.report && substance(stored.report) === substance(report)) {
        unchanged.push(refetched && revocation ? { sha256: stored.sha256, revocation } : { sha256: stored.sha256 });
        continue;
      }
      changed.push({ sha256: stored.sha256, report });
    }
    await store.saveRejudged(changed, key);
    result.changed += changed.length;
    await store.markJudged(unchanged, versions, at, key);
    options.onPage?.(result);
    if (options.stop?.()) break;
    // Between pages, the process's other work (requests, verifications) gets its turn.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return result;
}
