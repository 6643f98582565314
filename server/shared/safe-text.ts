/**
 * Text taken from a document or an upload — file and ZIP entry names, register cells, certificate names, a
 * signature's /Reason or /Name, the finding messages that quote them — is shown to people: on a terminal, in a
 * spreadsheet, in a log. There a control character is a command (ESC[2J clears the screen, ESC]0;…BEL retitles the
 * window, a CR writes over the line, a C1 CSI starts an escape sequence on terminals that read C1 codes), and a
 * bidi control makes a name read in another order than it is written: "hóa đơn‮fdp.exe" (with U+202E) shows as
 * "hóa đơnexe.pdf". No Vietnamese name or sentence needs any of them, so every text output shows them as visible
 * escapes — `\x1b`, `\u202e` — and leaves everything else, Vietnamese letters and combining marks included, as it
 * is. (A name that holds a backslash and hex digits of its own reads the same as an escaped one; the JSON report
 * keeps the exact text.)
 *
 * Escaped: C0 (U+0000–U+001F), DEL and C1 (U+007F–U+009F); the bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) and marks (U+200E, U+200F, U+061C); the line and paragraph separators U+2028 and
 * U+2029, which some terminals and editors break lines at.
 */

const UNICODE_CONTROLS = '\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const DEL_C1 = '\\x7f-\\x9f';

/** Every character escaped, line breaks included: a name or a cell, where a line break is never meant. */
const ALL = new RegExp(`[\\x00-\\x1f${DEL_C1}${UNICODE_CONTROLS}]`, 'g');
/** All but LF: a message of several lines, each line break the program's own. */
const BUT_LF = new RegExp(`[\\x00-\\x09\\x0b-\\x1f${DEL_C1}${UNICODE_CONTROLS}]`, 'g');
/** All but tab, LF and CR: a spreadsheet cell, where they are whitespace and nothing more. */
const BUT_WHITESPACE = new RegExp(`[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f${DEL_C1}${UNICODE_CONTROLS}]`, 'g');
/** What JSON.stringify leaves raw (it escapes C0 itself). */
const JSON_RAW = new RegExp(`[${DEL_C1}${UNICODE_CONTROLS}]`, 'g');

function hex(ch: string, digits: number): string {
  return ch.charCodeAt(0).toString(16).padStart(digits, '0');
}

function escaped(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${hex(ch, 2)}` : `\\u${hex(ch, 4)}`;
}

/** Text for one line of a terminal or one cell: every control and bidi character shown as an escape. */
export function visible(text: string): string {
  return text.replace(ALL, escaped);
}

/** A message whose line breaks are meant (a usage error, a stack): all but `\n` shown as escapes. */
export function visibleLines(text: string): string {
  return text.replace(BUT_LF, escaped);
}

/**
 * A spreadsheet cell: tab, LF and CR stay (a register's summary may hold a line break), the rest is shown as
 * escapes — exceljs would otherwise drop the C0 codes XML cannot hold without a trace, and keep C1 and bidi codes.
 */
export function visibleInCell(text: string): string {
  return text.replace(BUT_WHITESPACE, escaped);
}

/**
 * JSON text with DEL, C1 and the bidi and separator characters written as `\u` escapes. They can only stand inside
 * a string literal (JSON's own syntax is ASCII), so the text parses to exactly the same value: the JSON report keeps
 * every name as it is, and shows none of them raw to a terminal it is printed on.
 */
export function jsonVisible(json: string): string {
  return json.replace(JSON_RAW, (ch) => `\\u${hex(ch, 4)}`);
}
