import type { ByteSource } from './source';
import type { DocumentReport } from './report';
import type { TrustStore } from './pki/types';

/** A unit registry pins a unit's agency (organization) certificates by SHA-256 fingerprint. */
export interface UnitRegistry {
  units: { name: string; agencyCertificates: string[]; aliases?: string[] }[];
}

export interface VerifyOptions {
  /** Name shown in the report (path, or archive/path for a ZIP entry). */
  fileName: string;
  registry?: UnitRegistry;
  /** Per-document time budget in milliseconds (default 30 000). */
  timeBudgetMs?: number;
  /** Used when a signature carries no time at all. Default: now. */
  now?: Date;
}

/**
 * The one function everything calls: a document in, a DocumentReport out. (Being built: see worker/verify.ts.)
 */
export async function verifyDocument(
  source: ByteSource,
  trustStore: TrustStore,
  options: VerifyOptions,
): Promise<DocumentReport> {
  void source;
  void trustStore;
  void options;
  throw new Error('verifyDocument: not built yet');
}
