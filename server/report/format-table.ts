import type { BatchReport, DocumentReport, Finding, UnitSummary } from '../../worker/report';
import { findingText, t, type Lang } from '../shared/messages';
import { visible } from '../shared/safe-text';
import { displayWidth, padEnd, padStart } from '../shared/text';
import { joinMessages, reasons, remedies, unitLabel } from './describe';
import { defineFormat, type TextReportWriter } from './format';
import type { BatchSummary } from './summary';

/**
 * What a clerk sees in the terminal: the unit summary first (what a leader asks for), then each document that
 * fails with its reasons in plain words, then one line of totals. Names and messages come from the documents and
 * the register, so every one of them is written through `visible`: an escape sequence in a file name is shown, not
 * obeyed, and a bidi override cannot turn a name around (safe-text.ts).
 */

function percent(value: number, lang: Lang): string {
  const text = value.toFixed(1);
  // Vietnamese writes the decimal separator as a comma.
  return lang === 'vi' ? text.replace('.', ',') : text;
}

/** "lý do — cách khắc phục": what is wrong, then what to do, on the document's line. */
function withRemedy(reason: string, remedy: string): string {
  return remedy ? `${reason} — ${remedy}` : reason;
}

function unitTable(report: BatchSummary, lang: Lang): string[] {
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
  // Escaped before the widths are measured: the escape is what the terminal draws.
  const body = report.units.map((u) => cells(u, visible(unitLabel(u.unit, lang))));
  const total = cells(report.totals, t(lang, 'totalRow'));
  const all = [header, ...body, total];
  const widths = header.map((_, i) => Math.max(...all.map((row) => displayWidth(row[i]))));
  // The unit name is left-aligned text; every other column is a number, right-aligned.
  const line = (row: string[]): string => row.map((c, i) => (i === 0 ? padEnd(c, widths[i]) : padStart(c, widths[i]))).join('  ').trimEnd();
  const rule = '-'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [line(header), rule, ...body.map(line), rule, line(total)];
}

/**
 * The table takes its documents as they come and keeps only the lines it will print for them (documents that fail
 * or carry a warning), not the reports: the summary it opens with is known only at the end, so it is all written
 * then, but what it holds is what it prints.
 */
export class TableReportStream implements TextReportWriter {
  private readonly failing: string[] = [];
  private readonly warned: string[] = [];

  constructor(private readonly lang: Lang) {}

  document(doc: DocumentReport): Iterable<string> {
    const lang = this.lang;
    if (doc.verdict !== 'compliant') this.failing.push(`  ✗ ${visible(doc.file)}: ${visible(withRemedy(reasons(doc, lang), remedies(doc.findings, lang, ['error'])))}`);
    // Register cross-checks and the like: they do not fail a document, but the clerk has a row to correct.
    const warnings = doc.findings.filter((f) => f.severity === 'warning').map((f) => findingText(f, lang));
    if (warnings.length > 0) this.warned.push(`  ! ${visible(doc.file)}: ${visible(withRemedy(joinMessages(warnings), remedies(doc.findings, lang, ['warning'])))}`);
    return [];
  }

  /** Line by line: a month with many failing documents is never one string. */
  *end(summary: BatchSummary, findings: Finding[]): Iterable<string> {
    const lang = this.lang;
    for (const line of unitTable(summary, lang)) yield `${line}\n`;
    if (this.failing.length > 0) yield `\n${t(lang, 'tableProblems')}\n`;
    for (const line of this.failing) yield `${line}\n`;
    if (this.warned.length > 0) yield `\n${t(lang, 'tableWarnings')}\n`;
    for (const line of this.warned) yield `${line}\n`;
    if (findings.length > 0) yield `\n${t(lang, 'tableBatchFindings')}\n`;
    for (const f of findings) yield `  ! ${visible(withRemedy(joinMessages([findingText(f, lang)]), remedies([f], lang, [f.severity])))}\n`;
    const totals = summary.totals;
    const errors = totals.errors ?? 0;
    const total = t(lang, 'tableTotal', {
      documents: totals.documents,
      compliant: totals.compliant,
      pct: percent(totals.compliantPct, lang),
      noncompliant: totals.documents - totals.compliant - errors,
      errors,
    });
    yield `\n${total}\n`;
  }
}

export function formatTable(report: BatchReport, lang: Lang): string {
  const table = new TableReportStream(lang);
  for (const doc of report.documents) table.document(doc);
  return [...table.end(report, report.findings ?? [])].join('');
}

/** What a clerk reads on the terminal; `kiemky check`'s default, not offered by the API. */
export const TABLE_FORMAT = defineFormat({
  name: 'table',
  help: {
    vi: 'bảng tổng hợp theo đơn vị, rồi từng văn bản không đạt và lý do',
    en: 'the unit summary, then each failing document and why',
  },
  contentType: 'text/plain; charset=utf-8',
  extension: 'txt',
  toTerminal: true,
  incremental: false,
  api: false,
  download: false,
  writer: { kind: 'text', open: (o) => new TableReportStream(o.lang) },
});
