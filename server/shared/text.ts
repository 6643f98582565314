/**
 * Text helpers shared by the register import and the terminal output: Vietnamese is compared without its
 * diacritics (registers are typed by hand, with or without marks), and measured in what the terminal draws.
 */

/** Lower case, no diacritics, đ→d, one space between words: the one folding every name is compared in. */
export { foldName as fold } from '../../worker/text/fold';

/**
 * Columns a string takes on a terminal: NFC code points, not counting combining marks that NFC could not
 * compose (a decomposed "ệ" typed on some keyboards is three code points but one column).
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text.normalize('NFC')) {
    if (!/\p{M}/u.test(ch)) width++;
  }
  return width;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}

/** The base name of a path or ZIP entry name, whichever separator it uses. */
export function baseName(name: string): string {
  const i = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  return i >= 0 ? name.slice(i + 1) : name;
}
