import type { BatchReport, DocumentReport, Finding, SignatureReport, UnitSummary } from '../../worker/report';
import { t } from '../messages';

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

function pct(count: number, total: number): number {
  return total === 0 ? 0 : Math.round((count / total) * 1000) / 10;
}

function summarizeGroup(unit: string | null, docs: DocumentReport[]): UnitSummary {
  const count = (pred: (d: DocumentReport) => boolean): number => docs.reduce((n, d) => n + (pred(d) ? 1 : 0), 0);
  const signed = count((d) => d.checks.signed);
  const twoLayer = count((d) => d.checks.twoLayer);
  const governmentCa = count((d) => d.checks.governmentCa);
  const compliant = count((d) => d.verdict === 'compliant');
  const providers: Record<string, number> = {};
  for (const doc of docs) {
    const names = new Set(doc.signatures.filter((s) => s.type !== 'document-timestamp').map(providerName));
    for (const name of names) providers[name] = (providers[name] ?? 0) + 1;
  }
  return {
    unit,
    documents: docs.length,
    signed,
    twoLayer,
    governmentCa,
    compliant,
    errors: count((d) => d.verdict === 'error'),
    signedPct: pct(signed, docs.length),
    twoLayerPct: pct(twoLayer, docs.length),
    governmentCaPct: pct(governmentCa, docs.length),
    compliantPct: pct(compliant, docs.length),
    providers,
  };
}

const collator = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });

/** Units in Vietnamese alphabetical order, the unknown unit last; `totals.unit` is null. */
export function summarize(docs: DocumentReport[]): { units: UnitSummary[]; totals: UnitSummary } {
  const groups = new Map<string | null, DocumentReport[]>();
  for (const doc of docs) {
    const group = groups.get(doc.unit);
    if (group) group.push(doc);
    else groups.set(doc.unit, [doc]);
  }
  const names = [...groups.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : collator.compare(a, b)));
  return {
    units: names.map((name) => summarizeGroup(name, groups.get(name) ?? [])),
    totals: summarizeGroup(null, docs),
  };
}

export function buildBatchReport(docs: DocumentReport[], batchFindings: Finding[], now: Date = new Date()): BatchReport {
  const { units, totals } = summarize(docs);
  return { generatedAt: now.toISOString(), documents: docs, units, totals, findings: batchFindings };
}

/** Stable document order for every output: by file name, numbers in names compared as numbers. */
export function compareFileNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
