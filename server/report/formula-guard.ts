/** A cell a spreadsheet would read as a formula: one of `=+-@` first (after any spaces), or a tab or CR first. */
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@])/;

/**
 * Text for a spreadsheet cell that cannot start a formula. A spreadsheet opening the CSV takes a cell that begins
 * with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)` sends the clerk to a site; `=cmd|…` asked old Excel to
 * run a program), and one that begins with a tab or CR, or with spaces before one of those, as one too once it is
 * trimmed. In the XLSX such text is a string cell, but a reader who edits the cell and presses Enter turns it into
 * the formula, and a copy pasted as text does the same. File names, register cells and certificate names are
 * anybody's text, so such a cell gets a leading `'` in both (OWASP's advice: the spreadsheet then shows it as
 * text, apostrophe and all).
 */
export function neutralized(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
