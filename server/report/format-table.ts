import type { BatchReport, DocumentReport, Finding, UnitSummary } from '../../worker/report';
import { findingText, t, type Lang, type TextKey } from '../shared/messages';
import { visible } from '../shared/safe-text';
import { displayWidth, padEnd, padStart } from '../shared/text';
import { documentLabel, joinMessages, percentText, reasons, remedies, unitLabel } from './describe';
import { defineFormat, type TextReportWriter } from './format';
import { wrapText } from './table-text';
import type { BatchSummary } from './summary';

/**
 * What a clerk sees in the terminal: the unit summary first (what a leader asks for), then each document that
 * fails with its reasons in plain words, then one line of totals. Names and messages come from the documents and
 * the register, so every one of them is written through `visible`: an escape sequence in a file name is shown, not
 * obeyed, and a bidi override cannot turn a name around (safe-text.ts).
 */

/** "lý do — cách khắc phục": what is wrong, then what to do, on the document's line. */
function withRemedy(reason: string, remedy: string): string {
  return remedy ? `${reason} — ${remedy}` : reason;
}

/** The narrowest a terminal table is laid out for, whatever the terminal says. */
export const MIN_TABLE_WIDTH = 80;

const FULL_HEADERS: TextKey[] = ['colDocuments', 'colSigned', 'colTwoLayer', 'colGovernmentCa', 'colCompliant', 'colErrors'];
const SHORT_HEADERS: TextKey[] = ['colDocumentsShort', 'colSignedShort', 'colTwoLayerShort', 'colGovernmentCaShort', 'colCompliantShort', 'colErrorsShort'];
/** Between the figure columns; one space only between a count and its percentage, which read as a pair. */
const GAPS = [2, 2, 1, 2, 1, 2, 1, 2, 1, 2];
/** A unit column narrower than this would cut its names into pieces too small to read. */
const MIN_UNIT_COLUMN = 14;

/**
 * The unit summary in `width` columns: the full headers when they fit, else abbreviated ones ("Số VB", "CA CP");
 * a unit name longer than its column goes on over the next lines of that column, never cut off.
 */
function unitTable(report: BatchSummary, lang: Lang, width: number): string[] {
  const figures = (u: UnitSummary): string[] => [
    String(u.documents),
    String(u.signed),
    percentText(u.signedPct, lang),
    String(u.twoLayer),
    percentText(u.twoLayerPct, lang),
    String(u.governmentCa),
    percentText(u.governmentCaPct, lang),
    String(u.compliant),
    percentText(u.compliantPct, lang),
    String(u.errors ?? 0),
  ];
  const headersOf = (keys: TextKey[]): string[] => keys.flatMap((k, i) => (i === 0 || i === keys.length - 1 ? [t(lang, k)] : [t(lang, k), '%']));
  // Escaped before the widths are measured: the escape is what the terminal draws.
  const rows = [...report.units.map((u) => ({ name: visible(unitLabel(u.unit, lang)), cells: figures(u) })), { name: t(lang, 'totalRow'), cells: figures(report.totals) }];
  const unitHeader = t(lang, 'colUnit');
  const longestName = Math.max(displayWidth(unitHeader), ...rows.map((r) => displayWidth(r.name)));
  const layout = (headers: string[]) => {
    const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r.cells[i]!))));
    const figuresWidth = widths.reduce((a, b) => a + b, 0) + GAPS.reduce((a, b) => a + b, 0);
    return { headers, widths, figuresWidth };
  };
  const full = layout(headersOf(FULL_HEADERS));
  const chosen = longestName + full.figuresWidth <= width ? full : layout(headersOf(SHORT_HEADERS));
  const unitWidth = Math.max(MIN_UNIT_COLUMN, Math.min(longestName, width - chosen.figuresWidth));
  const figureLine = (cells: string[]): string => cells.map((c, i) => ' '.repeat(GAPS[i]!) + padStart(c, chosen.widths[i]!)).join('');
  const lines = (name: string, cells: string[]): string[] => {
    const [first = '', ...more] = wrapText(name, unitWidth);
    return [(padEnd(first, unitWidth) + figureLine(cells)).trimEnd(), ...more];
  };
  const rule = '-'.repeat(unitWidth + chosen.figuresWidth);
  const body = rows.slice(0, -1).flatMap((r) => lines(r.name, r.cells));
  const total = rows[rows.length - 1]!;
  return [...lines(unitHeader, chosen.headers), rule, ...body, rule, ...lines(total.name, total.cells)];
}

/**
 * The table takes its documents as they come and keeps only the lines it will print for them (documents that fail
 * or carry a warning), not the reports: the summary it opens with is known only at the end, so it is all written
 * then, but what it holds is what it prints.
 */
export class TableReportStream implements TextReportWriter {
  private readonly failing: string[] = [];
  private readonly warned: string[] = [];
  private readonly width: number;

  /** `width`: the terminal's columns (at least MIN_TABLE_WIDTH); no line written is wider. */
  constructor(
    private readonly lang: Lang,
    width = MIN_TABLE_WIDTH,
  ) {
    this.width = Math.max(MIN_TABLE_WIDTH, Math.floor(width));
  }

  document(doc: DocumentReport): Iterable<string> {
    const lang = this.lang;
    // "✗ 123/QĐ-UBND (ten-tep.pdf): lý do — cách khắc phục", its own continuation lines indented under it.
    if (doc.verdict !== 'compliant') {
      this.failing.push(...this.item('✗', `${visible(documentLabel(doc))}: ${visible(withRemedy(reasons(doc, lang), remedies(doc.findings, lang, ['error'])))}`));
    }
    // Register cross-checks and the like: they do not fail a document, but the clerk has a row to correct.
    const warnings = doc.findings.filter((f) => f.severity === 'warning').map((f) => findingText(f, lang));
    if (warnings.length > 0) {
      this.warned.push(...this.item('!', `${visible(documentLabel(doc))}: ${visible(withRemedy(joinMessages(warnings), remedies(doc.findings, lang, ['warning'])))}`));
    }
    return [];
  }

  /** Line by line: a month with many failing documents is never one string. */
  *end(summary: BatchSummary, findings: Finding[]): Iterable<string> {
    const lang = this.lang;
    for (const line of unitTable(summary, lang, this.width)) yield `${line}\n`;
    if (this.failing.length > 0) yield* this.heading(t(lang, 'tableProblems'));
    for (const line of this.failing) yield `${line}\n`;
    if (this.warned.length > 0) yield* this.heading(t(lang, 'tableWarnings'));
    for (const line of this.warned) yield `${line}\n`;
    if (findings.length > 0) yield* this.heading(t(lang, 'tableBatchFindings'));
    for (const f of findings) {
      for (const line of this.item('!', visible(withRemedy(joinMessages([findingText(f, lang)]), remedies([f], lang, [f.severity]))))) yield `${line}\n`;
    }
    const totals = summary.totals;
    const errors = totals.errors ?? 0;
    const total = t(lang, 'tableTotal', {
      documents: totals.documents,
      compliant: totals.compliant,
      pct: percentText(totals.compliantPct, lang),
      noncompliant: totals.documents - totals.compliant - errors,
      errors,
    });
    yield '\n';
    for (const line of wrapText(total, this.width)) yield `${line}\n`;
  }

  /** A marked entry: "  ✗ text", wrapped to the width, its other lines indented under the text. */
  private item(mark: string, text: string): string[] {
    return wrapText(text, this.width, `  ${mark} `, '    ');
  }

  private *heading(text: string): Iterable<string> {
    yield '\n';
    for (const line of wrapText(text, this.width)) yield `${line}\n`;
  }
}

/** The table of a report already made; `width` as TableReportStream's. */
export function formatTable(report: BatchReport, lang: Lang, width?: number): string {
  const table = new TableReportStream(lang, width);
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
  writer: { kind: 'text', open: (o) => new TableReportStream(o.lang, o.width) },
});
