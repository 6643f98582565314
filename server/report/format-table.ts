import type { BatchReport, UnitSummary } from '../../worker/report';
import { findingText, t, type Lang } from '../messages';
import { displayWidth, padEnd, padStart } from '../text';
import { joinMessages, reasons, unitLabel } from './describe';

/**
 * What a clerk sees in the terminal: the unit summary first (what a leader asks for), then each document that
 * fails with its reasons in plain words, then one line of totals.
 */

function percent(value: number, lang: Lang): string {
  const text = value.toFixed(1);
  // Vietnamese writes the decimal separator as a comma.
  return lang === 'vi' ? text.replace('.', ',') : text;
}

function unitTable(report: BatchReport, lang: Lang): string[] {
  const header = [
    t(lang, 'colUnit'),
    t(lang, 'colDocuments'),
    t(lang, 'colSigned'),
    '%',
    t(lang, 'colTwoLayer'),
    '%',
    t(lang, 'colGovernmentCa'),
    '%',
    t(lang, 'colCompliant'),
    '%',
    t(lang, 'colErrors'),
  ];
  const cells = (u: UnitSummary, label: string): string[] => [
    label,
    String(u.documents),
    String(u.signed),
    percent(u.signedPct, lang),
    String(u.twoLayer),
    percent(u.twoLayerPct, lang),
    String(u.governmentCa),
    percent(u.governmentCaPct, lang),
    String(u.compliant),
    percent(u.compliantPct, lang),
    String(u.errors ?? 0),
  ];
  const body = report.units.map((u) => cells(u, unitLabel(u.unit, lang)));
  const total = cells(report.totals, t(lang, 'totalRow'));
  const all = [header, ...body, total];
  const widths = header.map((_, i) => Math.max(...all.map((row) => displayWidth(row[i]))));
  // The unit name is left-aligned text; every other column is a number, right-aligned.
  const line = (row: string[]): string => row.map((c, i) => (i === 0 ? padEnd(c, widths[i]) : padStart(c, widths[i]))).join('  ').trimEnd();
  const rule = '-'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [line(header), rule, ...body.map(line), rule, line(total)];
}

export function formatTable(report: BatchReport, lang: Lang): string {
  const out = unitTable(report, lang);
  const failing = report.documents.filter((d) => d.verdict !== 'compliant');
  if (failing.length > 0) {
    out.push('', t(lang, 'tableProblems'));
    for (const doc of failing) out.push(`  ✗ ${doc.file}: ${reasons(doc, lang)}`);
  }
  // Register cross-checks and the like: they do not fail a document, but the clerk has a row to correct.
  const warned = report.documents
    .map((doc) => ({ doc, warnings: doc.findings.filter((f) => f.severity === 'warning').map((f) => findingText(f, lang)) }))
    .filter((w) => w.warnings.length > 0);
  if (warned.length > 0) {
    out.push('', t(lang, 'tableWarnings'));
    for (const { doc, warnings } of warned) out.push(`  ! ${doc.file}: ${joinMessages(warnings)}`);
  }
  const batch = report.findings ?? [];
  if (batch.length > 0) {
    out.push('', t(lang, 'tableBatchFindings'));
    for (const f of batch) out.push(`  ! ${findingText(f, lang)}`);
  }
  const totals = report.totals;
  const errors = totals.errors ?? 0;
  out.push(
    '',
    t(lang, 'tableTotal', {
      documents: totals.documents,
      compliant: totals.compliant,
      pct: percent(totals.compliantPct, lang),
      noncompliant: totals.documents - totals.compliant - errors,
      errors,
    }),
  );
  return `${out.join('\n')}\n`;
}
