import { displayWidth } from '../../../server/shared/text';

/**
 * The terminal table's logical lines: an entry the table wrapped to the width ("  ✗ …" then lines indented by
 * four spaces) joined back into one, so tests can read a document's whole line.
 */
export function unwrapTable(text: string): string {
  return text.replace(/\n {4}(?=\S)/g, ' ');
}

/** The lines of `text` wider than `width` columns, as the terminal draws them. */
export function linesWiderThan(text: string, width: number): string[] {
  return text.split('\n').filter((line) => displayWidth(line) > width);
}
