import { displayWidth } from '../shared/text';

/**
 * Text cut to a terminal's width by the program itself, never by the terminal: a line the terminal wraps breaks
 * the table's columns and puts the rest of a reason under the unit summary's numbers. Widths are what the
 * terminal draws (displayWidth), so escapes are shown before measuring.
 */

/** The first `columns` columns of `text` and the rest; combining marks stay with their letter. */
function splitAtWidth(text: string, columns: number): [string, string] {
  const chars = Array.from(text.normalize('NFC'));
  let width = 0;
  let i = 0;
  for (; i < chars.length; i++) {
    const mark = /\p{M}/u.test(chars[i]!);
    if (!mark && width === columns) break;
    if (!mark) width++;
  }
  return [chars.slice(0, i).join(''), chars.slice(i).join('')];
}

/**
 * `text` word-wrapped into lines no wider than `width`: the first line begins with `first`, the others with
 * `rest` (an indentation). A word longer than a line (a file name without spaces) is cut where the line ends.
 */
export function wrapText(text: string, width: number, first = '', rest = ''): string[] {
  const lines: string[] = [];
  let line = first;
  let used = displayWidth(first);
  let empty = true;
  const restWidth = displayWidth(rest);
  const newLine = (): void => {
    lines.push(line.trimEnd());
    line = rest;
    used = restWidth;
    empty = true;
  };
  for (const word of text.split(/ +/)) {
    if (word === '') continue;
    const w = displayWidth(word);
    if (used + (empty ? 0 : 1) + w <= width) {
      line += (empty ? '' : ' ') + word;
      used += (empty ? 0 : 1) + w;
      empty = false;
      continue;
    }
    if (!empty || used >= width) newLine();
    let remaining = word;
    while (used + displayWidth(remaining) > width) {
      const [head, tail] = splitAtWidth(remaining, Math.max(1, width - used));
      line += head;
      newLine();
      remaining = tail;
    }
    line += remaining;
    used += displayWidth(remaining);
    empty = remaining === '';
  }
  lines.push(line.trimEnd());
  return lines;
}
