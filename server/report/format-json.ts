import type { BatchReport, DocumentReport, Finding } from '../../worker/report';
import { jsonVisible } from '../shared/safe-text';
import { defineFormat, type TextReportWriter } from './format';
import { assembleReport, buildBatchReport, type BatchSummary } from './summary';

/**
 * The report contract as is: both languages travel in every finding, so `--lang` does not change it.
 *
 * A province's month is well over a hundred thousand documents. As one string, its report passes V8's limit on the
 * length of a string (2^29 characters: about 120,000 documents of two signatures each) and a run that has verified
 * every document ends in `RangeError: Invalid string length`. So the text is made in pieces, one document at a
 * time, and written as it is made: no piece is longer than one document's report or the summary.
 */

/** Indentation of the text: two spaces for files a person may open, none for the API. */
export type JsonGap = '  ' | '';

/**
 * The text of `JSON.stringify(report, null, gap)`, made in the order it is written: the keys before `documents`
 * (head), each document, then the keys after it (tail). `kiemky check` writes the head when the first document is
 * verified and the tail when the last one is, so a batch of any size is never held as text, nor as reports.
 * Every value but `documents` is stringified whole. JSON.stringify never puts a raw line break inside a string (it
 * escapes them), so every line break in a nested value's text is structure and takes the nesting's indentation.
 * One difference: DEL, C1 and bidi characters inside strings are written as `\u` escapes (jsonVisible), which
 * JSON.parse reads back as the same value.
 */
export class JsonReportText {
  private readonly nl: string;
  private readonly colon: string;
  /** Keys written so far: each after the first is preceded by a comma. */
  private fields = 0;
  private documents = 0;

  constructor(private readonly gap: JsonGap = '  ') {
    this.nl = gap === '' ? '' : '\n';
    this.colon = gap === '' ? ':' : ': ';
  }

  /** `{`, the keys before `documents` and the opening of its array. */
  *head(report: BatchReport): Generator<string> {
    yield '{';
    const [before] = splitAtDocuments(report);
    for (const [key, value] of before) {
      const piece = this.field(key, value);
      if (piece !== null) yield piece;
    }
    yield `${this.key('documents')}[`;
  }

  document(doc: DocumentReport): string {
    // As in JSON.stringify: an element with no JSON form (undefined, a function) is written as null.
    // DEL, C1 and bidi characters as \u escapes: the same value, shown to no terminal raw (safe-text.ts).
    const text = jsonVisible((JSON.stringify(doc, null, this.gap) as string | undefined) ?? 'null');
    const indent = this.gap + this.gap;
    return `${this.documents++ > 0 ? ',' : ''}${this.nl}${indent}${this.nested(text, indent)}`;
  }

  /** The close of the documents array, the keys after it and the final `}`. */
  *tail(report: BatchReport): Generator<string> {
    yield this.documents > 0 ? `${this.nl}${this.gap}]` : ']';
    const [, after] = splitAtDocuments(report);
    for (const [key, value] of after) {
      const piece = this.field(key, value);
      if (piece !== null) yield piece;
    }
    // `documents` is always among the keys: the object is never empty.
    yield `${this.nl}}`;
  }

  /** As in JSON.stringify: a key whose value has no JSON form is left out (null). */
  private field(key: string, value: unknown): string | null {
    const text = JSON.stringify(value, null, this.gap) as string | undefined;
    if (text === undefined) return null;
    return this.key(key) + this.nested(jsonVisible(text), this.gap);
  }

  private key(key: string): string {
    return `${this.fields++ > 0 ? ',' : ''}${this.nl}${this.gap}${JSON.stringify(key)}${this.colon}`;
  }

  private nested(text: string, indent: string): string {
    return this.gap === '' ? text : text.replace(/\n/g, `\n${indent}`);
  }
}

/** The report's keys before and after `documents`, in the report's own order (buildBatchReport's). */
function splitAtDocuments(report: BatchReport): [[string, unknown][], [string, unknown][]] {
  const entries = Object.entries(report as unknown as Record<string, unknown>);
  const at = entries.findIndex(([key]) => key === 'documents');
  return at < 0 ? [entries, []] : [entries.slice(0, at), entries.slice(at + 1)];
}

/**
 * A report written as its documents come, in order (`kiemky check`, the API): the keys before `documents` with the
 * first of them, the keys after once the caller has counted the unit summary over all of them (SummaryTally).
 */
export class JsonReportStream implements TextReportWriter {
  private readonly text: JsonReportText;
  private begun = false;

  constructor(
    gap: JsonGap,
    private readonly generatedAt: Date,
    /** After the final `}`: a line break for a file a person opens, nothing for the API. */
    private readonly ending: '' | '\n' = '',
  ) {
    this.text = new JsonReportText(gap);
  }

  *document(doc: DocumentReport): Generator<string> {
    yield* this.begin();
    yield this.text.document(doc);
  }

  *end(summary: BatchSummary, findings: Finding[]): Generator<string> {
    yield* this.begin();
    yield* this.text.tail(assembleReport([], summary, findings, this.generatedAt));
    if (this.ending !== '') yield this.ending;
  }

  private *begin(): Generator<string> {
    if (this.begun) return;
    this.begun = true;
    // Only the keys before `documents` are written from it: the generation time.
    yield* this.text.head(buildBatchReport([], [], this.generatedAt));
  }
}

/** The text of `JSON.stringify(report, null, gap)` in pieces, none longer than one document or one other key. */
export function* jsonPieces(report: BatchReport, gap: JsonGap = '  '): Generator<string> {
  const text = new JsonReportText(gap);
  yield* text.head(report);
  for (const doc of report.documents) yield text.document(doc);
  yield* text.tail(report);
}

/** Gathers pieces into writes of about `size` characters: one system call per document would be thousands. */
export class PieceBatcher {
  private parts: string[] = [];
  private length = 0;

  constructor(private readonly size = 1 << 16) {}

  /** The gathered text once it reaches `size`; null while it is shorter. */
  add(piece: string): string | null {
    this.parts.push(piece);
    this.length += piece.length;
    return this.length >= this.size ? this.take() : null;
  }

  /** What is gathered and not yet taken; null when nothing is. */
  rest(): string | null {
    return this.length > 0 ? this.take() : null;
  }

  private take(): string {
    const text = this.parts.join('');
    this.parts = [];
    this.length = 0;
    return text;
  }
}

/** The report as `kiemky check --format json` writes it (indented, ending with a line break), at once: for tests. */
export function formatJson(report: BatchReport): string {
  return `${[...jsonPieces(report)].join('')}\n`;
}

/** The report contract as is, the API's default. */
export const JSON_FORMAT = defineFormat({
  name: 'json',
  help: {
    vi: 'báo cáo đầy đủ (BatchReport), ghi từng văn bản khi kiểm tra xong',
    en: 'the whole report (BatchReport), each document written once verified',
  },
  contentType: 'application/json; charset=utf-8',
  extension: 'json',
  toTerminal: true,
  incremental: true,
  api: true,
  download: false,
  writer: { kind: 'text', open: (o) => (o.compact ? new JsonReportStream('', o.generatedAt) : new JsonReportStream('  ', o.generatedAt, '\n')) },
});
