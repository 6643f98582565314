import type { ByteSource } from './source';
import type { DocumentReport } from './report';
import type { TrustStore } from './pki/types';
import { collectFacts, type DocumentFacts } from './facts';
import { errorReport } from './policy/error-report';
import { judgeDocument } from './policy/judge';
import type { UnitRegistry } from './registry';
import { decodeFetched, type FetchedRevocation, type RevocationFetcher } from './pki/fetched-revocation';
import { revocationTargets } from './revocation-targets';

export type { UnitRegistry } from './registry';

export interface VerifyOptions {
  /** Name shown in the report (path, or archive/path for a ZIP entry). */
  fileName: string;
  registry?: UnitRegistry;
  /** Per-document time budget in milliseconds (default 30 000). */
  timeBudgetMs?: number;
  /** Used when a signature carries no time at all. Default: now. */
  now?: Date;
  /**
   * Online revocation: asked, after the facts are collected, for the CRLs and OCSP responses of the certificates on
   * the document's chains. Absent: offline, only what the document and the trust store's crl/ folder carry.
   */
  revocation?: RevocationFetcher;
  /**
   * Given the document's facts, and the revocation fetched for it (online), before they are judged: the service
   * keeps both, to judge them again later with what was known then.
   */
  onFacts?: (facts: DocumentFacts, fetched?: FetchedRevocation) => void;
}

/**
 * The one function everything calls — the CLI, the queue worker and the tests: a document in, a DocumentReport
 * out. Facts first (parse, hash, CMS), then the policy judges them with the trust store. It never throws for a
 * bad document: an unreadable file comes back as verdict `error` with a stable code.
 */
export async function verifyDocument(source: ByteSource, trustStore: TrustStore, options: VerifyOptions): Promise<DocumentReport> {
  const facts = collectFacts(source, { fileName: options.fileName, timeBudgetMs: options.timeBudgetMs });
  let fetched: FetchedRevocation | undefined;
  try {
    // The network is asked here, before judging and never during it: the policy judges data it is given.
    if (options.revocation && !facts.error) fetched = await options.revocation.fetch(revocationTargets(facts, trustStore, new Date()));
  } catch (err) {
    return internalError(facts, err);
  }
  options.onFacts?.(facts, fetched);
  try {
    return judgeDocument(facts, trustStore, { registry: options.registry, now: options.now, fetched: fetched && decodeFetched(fetched) });
  } catch (err) {
    return internalError(facts, err);
  }
}

/** A bug (in the policy, or a fetcher that threw) must cost this document only, never the batch. */
function internalError(facts: DocumentFacts, err: unknown): DocumentReport {
  return errorReport(facts.file, facts.sha256, facts.size, 'INTERNAL', err instanceof Error ? err.message : String(err));
}
