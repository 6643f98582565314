import type { BatchReport } from '../../worker/report';

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
 * The text of `JSON.stringify(report, null, gap)`, in pieces. Only `documents` is taken apart, element by element;
 * every other value is stringified whole. JSON.stringify never puts a raw line break inside a string (it escapes
 * them), so every line break in a nested value's text is structure and takes the nesting's indentation.
 */
export function* jsonPieces(report: BatchReport, gap: JsonGap = '  '): Generator<string> {
  const nl = gap === '' ? '' : '\n';
  const colon = gap === '' ? ':' : ': ';
  const nested = (text: string, indent: string): string => (gap === '' ? text : text.replace(/\n/g, `\n${indent}`));
  const fields = report as unknown as Record<string, unknown>;
  let written = 0;
  yield '{';
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    const head = `${written > 0 ? ',' : ''}${nl}${gap}${JSON.stringify(key)}${colon}`;
    if (key === 'documents' && Array.isArray(value) && value.length > 0) {
      yield `${head}[`;
      for (let i = 0; i < value.length; i++) {
        // As in JSON.stringify: an element with no JSON form (undefined, a function) is written as null.
        const text = (JSON.stringify(value[i], null, gap) as string | undefined) ?? 'null';
        yield `${i > 0 ? ',' : ''}${nl}${gap}${gap}${nested(text, gap + gap)}`;
      }
      yield `${nl}${gap}]`;
    } else {
      const text = JSON.stringify(value, null, gap) as string | undefined;
      // As in JSON.stringify: a key whose value has no JSON form is left out.
      if (text === undefined) continue;
      yield head + nested(text, gap);
    }
    written++;
  }
  yield written > 0 ? `${nl}}` : '}';
}

/** Pieces gathered into writes of about `size` characters: one system call per document would be thousands. */
export function* batchedPieces(pieces: Iterable<string>, size = 1 << 16): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    parts.push(piece);
    length += piece.length;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (length > 0) yield parts.join('');
}

/** The report as `--format json` writes it: indented, ending with a line break, in writes of about 64 KB. */
export function* jsonFilePieces(report: BatchReport): Generator<string> {
  yield* batchedPieces(jsonPieces(report));
  yield '\n';
}

/** The same text at once, for reports known to be small. */
export function formatJson(report: BatchReport): string {
  return [...jsonFilePieces(report)].join('');
}
