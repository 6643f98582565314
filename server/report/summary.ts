import type { BatchReport, DocumentReport, Finding, SignatureReport, UnitSummary } from '../../worker/report';
import { t } from '../shared/messages';

/**
 * The per-unit signing-rate summary leaders and inspectors read: every file counts in the denominator, errors
 * included (an unreadable PDF is not a signed one), and each CA provider counts once per document.
 */

export function providerName(signature: SignatureReport): string {
  if (signature.ca.category === 'untrusted') return t('vi', 'providerUntrusted');
  if (signature.ca.provider) return signature.ca.provider;
  // Government roots sit at the top of certs/government/ and so carry no provider folder: they are all BCY's.
  return signature.ca.category === 'government' ? t('vi', 'providerGovernment') : t('vi', 'providerUnknown');
}

/**
 * What a unit summary counts, each a rule on one document. The store's SQL counts the same keys over the columns it
 * keeps them in (store/summaries.ts, COUNT_SQL: the compiler holds it to this list), and both make the summary
 * with unitSummary(), so `kiemky check`, a batch's report and /api/units say the same of the same documents.
 */
export const UNIT_COUNTS = {
  signed: (doc: DocumentReport) => doc.checks.signed,
  twoLayer: (doc: DocumentReport) => doc.checks.twoLayer,
  governmentCa: (doc: DocumentReport) => doc.checks.governmentCa,
  compliant: (doc: DocumentReport) => doc.verdict === 'compliant',
  errors: (doc: DocumentReport) => doc.verdict === 'error',
} satisfies Record<string, (doc: DocumentReport) => boolean>;

export type UnitCount = keyof typeof UNIT_COUNTS;
export type UnitCounts = Record<UnitCount, number>;

const COUNTS = Object.keys(UNIT_COUNTS) as UnitCount[];

/** A count's share of a total, in percent with one decimal; 0 for no documents. The one rounding every report uses. */
export function percentOf(count: number, total: number): number {
  return total === 0 ? 0 : Math.round((count / total) * 1000) / 10;
}

/**
 * A unit's summary from its counts: the one place its percentages are made. Every file counts in the denominator,
 * errors included (an unreadable PDF is not a signed one); a percentage has one decimal, and is 0 for no documents.
 */
export function unitSummary(unit: string | null, documents: number, counts: UnitCounts, providers: Record<string, number>): UnitSummary {
  return {
    unit,
    documents,
    signed: counts.signed,
    twoLayer: counts.twoLayer,
    governmentCa: counts.governmentCa,
    compliant: counts.compliant,
    errors: counts.errors,
    signedPct: percentOf(counts.signed, documents),
    twoLayerPct: percentOf(counts.twoLayer, documents),
    governmentCaPct: percentOf(counts.governmentCa, documents),
    compliantPct: percentOf(counts.compliant, documents),
    providers,
  };
}

/** One group's counts (a unit, or every document), kept as documents come in. */
class GroupTally {
  documents = 0;
  readonly counts: UnitCounts = { signed: 0, twoLayer: 0, governmentCa: 0, compliant: 0, errors: 0 };
  /** In the order providers first appear, as the report lists them. */
  readonly providers: Record<string, number> = {};

  constructor(readonly unit: string | null) {}

  add(doc: DocumentReport): void {
    this.documents++;
    for (const key of COUNTS) if (UNIT_COUNTS[key](doc)) this.counts[key]++;
    const names = new Set(doc.signatures.filter((s) => s.type !== 'document-timestamp').map(providerName));
    for (const name of names) this.providers[name] = (this.providers[name] ?? 0) + 1;
  }

  summary(): UnitSummary {
    return unitSummary(this.unit, this.documents, this.counts, { ...this.providers });
  }
}

const collator = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });

/** Names (units, providers) in Vietnamese alphabetical order, numbers in them compared as numbers. */
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b);
}

/** Units in Vietnamese alphabetical order, the unknown unit (null) last. */
export function compareUnits(a: string | null, b: string | null): number {
  return a === null ? (b === null ? 0 : 1) : b === null ? -1 : collator.compare(a, b);
}

/** The unit summary of a batch: each unit's counts and the totals of all (`totals.unit` is null). */
export interface BatchSummary {
  units: UnitSummary[];
  totals: UnitSummary;
}

/**
 * The unit summary counted one document at a time, so a batch of any size can be summarized without holding its
 * reports: `kiemky check` streams a province's month to its report and keeps only these counts.
 */
export class SummaryTally {
  private readonly units = new Map<string | null, GroupTally>();
  private readonly totals = new GroupTally(null);

  add(doc: DocumentReport): void {
    let group = this.units.get(doc.unit);
    if (!group) this.units.set(doc.unit, (group = new GroupTally(doc.unit)));
    group.add(doc);
    this.totals.add(doc);
  }

  /** Documents counted so far, and how many of them were compliant. */
  get documents(): number {
    return this.totals.documents;
  }

  get compliant(): number {
    return this.totals.counts.compliant;
  }

  /** Units in Vietnamese alphabetical order, the unknown unit last; `totals.unit` is null. */
  result(): BatchSummary {
    const names = [...this.units.keys()].sort(compareUnits);
    return {
      units: names.map((name) => this.units.get(name)!.summary()),
      totals: this.totals.summary(),
    };
  }
}

/** Units in Vietnamese alphabetical order, the unknown unit last; `totals.unit` is null. */
export function summarize(docs: DocumentReport[]): BatchSummary {
  const tally = new SummaryTally();
  for (const doc of docs) tally.add(doc);
  return tally.result();
}

export function buildBatchReport(docs: DocumentReport[], batchFindings: Finding[], now: Date = new Date()): BatchReport {
  return assembleReport(docs, summarize(docs), batchFindings, now);
}

/** The report's keys, in the order every output writes them; the summary counted already (SummaryTally). */
export function assembleReport(
  docs: DocumentReport[],
  summary: BatchSummary,
  batchFindings: Finding[],
  now: Date,
): BatchReport {
  return { generatedAt: now.toISOString(), documents: docs, units: summary.units, totals: summary.totals, findings: batchFindings };
}

/** Stable document order for every output: by file name, numbers in names compared as numbers. */
export function compareFileNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
