import { visibleInCell } from '../../shared/safe-text';

/**
 * Untrusted text made fit for a document the reader edits: XML 1.0 cannot hold C0 controls (NUL…), lone
 * surrogates or U+FFFE/U+FFFF, and Word refuses to open a file with one; a bidi override would make a unit or
 * file name read in another order than it is written. Controls and bidi characters are shown as visible escapes
 * (`\x00`, `\u202e`), as in every other report format, so the inspector sees something was there; a lone
 * surrogate or a noncharacter, which has no escape anyone can read, becomes U+FFFD. Tab and line breaks stay:
 * the renderer lays them out. Text is composed (NFC): a name taken from a PDF may spell "ộ" as o + two combining
 * marks, which some fonts and Word's spell checker handle badly.
 */
const UNPAIRED_OR_NONCHARACTER = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;

export function documentText(text: string): string {
  return visibleInCell(text).replace(UNPAIRED_OR_NONCHARACTER, '\ufffd').normalize('NFC');
}
