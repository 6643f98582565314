import type { PDFFont } from 'pdf-lib';
import type { Font as FontkitFont } from '@pdf-lib/fontkit';
import { FONT_STYLES, loadFonts, type FontStyle } from './fonts';

/**
 * Text made drawable, measured and broken into lines. Every string of an Outline may come from a PDF or a register
 * (unit names, file names, số ký hiệu), so any of it may hold what the font cannot draw or what pdf-lib would choke
 * on — an emoji, a NUL, a lone surrogate, a bidi override that would make a name read backwards. Each is replaced
 * before anything is measured or drawn, so a hostile name costs one '?' and never the report.
 */

/** Whitespace a cell or a name may hold: it is a space on paper. */
const AS_SPACE = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
/** Invisible characters that change nothing a reader sees: dropped. */
const DROPPED = /[\u200b\u200c\u200d\u2060\ufeff\u00ad]/g;
/** Controls and bidi formatting: shown as '?' so a tampered name does not pass for a clean one. */
const SUSPECT = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const covered = new Map<number, boolean>();

function coveredByAll(faces: Record<FontStyle, FontkitFont>, codePoint: number): boolean {
  let yes = covered.get(codePoint);
  if (yes === undefined) {
    yes = FONT_STYLES.every((style) => faces[style].hasGlyphForCodePoint(codePoint));
    covered.set(codePoint, yes);
  }
  return yes;
}

/** The text with only what every face of the font draws: NFC (Vietnamese letters precomposed), '?' for the rest. */
export function printable(text: string): string {
  const { faces } = loadFonts();
  const cleaned = text.replace(AS_SPACE, ' ').replace(DROPPED, '').replace(SUSPECT, '?');
  // A lone surrogate makes normalize() keep it as it is; it is replaced below with everything else the font lacks.
  const nfc = cleaned.normalize('NFC');
  let out = '';
  let plain = true;
  for (const ch of nfc) {
    const code = ch.codePointAt(0)!;
    const ok = code === 0x20 || ((code < 0xd800 || code > 0xdfff) && coveredByAll(faces, code));
    if (!ok) plain = false;
    out += ok ? ch : '?';
  }
  return plain ? nfc : out;
}

/**
 * Widths of words, kept per font and size: a 2000-row appendix repeats the same unit names and reasons, and
 * measuring through the font's shaping is the costly part of laying out. The cache is dropped when large, so a
 * document of any length keeps it bounded.
 */
export class Measure {
  private readonly cache = new Map<PDFFont, Map<string, number>>();
  private entries = 0;

  /** Width in points at `size` of text already printable(). */
  width(font: PDFFont, text: string, size: number): number {
    if (text === '') return 0;
    let widths = this.cache.get(font);
    if (!widths) this.cache.set(font, (widths = new Map()));
    let unit = widths.get(text);
    if (unit === undefined) {
      if (this.entries > 50_000) {
        for (const map of this.cache.values()) map.clear();
        this.entries = 0;
      }
      unit = font.widthOfTextAtSize(text, 1000) / 1000;
      widths.set(text, unit);
      this.entries++;
    }
    return unit * size;
  }
}

/** A piece of text in one font, positioned from the start of its line. */
export interface PlacedText {
  text: string;
  font: PDFFont;
  x: number;
}

export interface TextLine {
  pieces: PlacedText[];
  width: number;
}

/** Styled text to wrap: the font of each part chosen already. */
export interface StyledText {
  text: string;
  font: PDFFont;
}

interface Fragment {
  text: string;
  font: PDFFont;
  width: number;
}

/** A word: what stands between two spaces, in one or several fonts ("**Lưu ý**:" is one word). */
interface Word {
  fragments: Fragment[];
  width: number;
  /** The space after it, in the font it was written in; null at the end of the text. */
  space: Fragment | null;
}

function words(parts: StyledText[], size: number, measure: Measure): Word[] {
  const out: Word[] = [];
  let current: Word = { fragments: [], width: 0, space: null };
  for (const part of parts) {
    for (const token of part.text.split(/( +)/)) {
      if (token === '') continue;
      if (token.startsWith(' ')) {
        if (current.fragments.length > 0) {
          // Runs of spaces are kept: "Số:      /BC-…" leaves the clerk room to write the number.
          current.space = { text: token, font: part.font, width: measure.width(part.font, token, size) };
          out.push(current);
          current = { fragments: [], width: 0, space: null };
        }
        continue;
      }
      const width = measure.width(part.font, token, size);
      current.fragments.push({ text: token, font: part.font, width });
      current.width += width;
    }
  }
  if (current.fragments.length > 0) out.push(current);
  return out;
}

/** A word wider than the line (a long file name) cut into pieces that fit, character by character. */
function split(word: Word, maxWidth: number, size: number, measure: Measure): Word[] {
  const pieces: Word[] = [];
  let current: Word = { fragments: [], width: 0, space: null };
  for (const fragment of word.fragments) {
    let text = '';
    for (const ch of fragment.text) {
      const width = measure.width(fragment.font, text + ch, size);
      if (current.width + width > maxWidth && (text !== '' || current.fragments.length > 0)) {
        if (text !== '') {
          const done = measure.width(fragment.font, text, size);
          current.fragments.push({ text, font: fragment.font, width: done });
          current.width += done;
        }
        pieces.push(current);
        current = { fragments: [], width: 0, space: null };
        text = ch;
      } else {
        text += ch;
      }
    }
    if (text !== '') {
      const width = measure.width(fragment.font, text, size);
      current.fragments.push({ text, font: fragment.font, width });
      current.width += width;
    }
  }
  current.space = word.space;
  pieces.push(current);
  return pieces;
}

/**
 * Styled text broken into lines no wider than `maxWidth` (the first line `firstIndent` narrower), words kept whole
 * unless one alone is too wide. Pieces in the same font are joined, spaces included, so the PDF holds words and
 * spaces as a reader copies them.
 */
export function wrap(parts: StyledText[], size: number, maxWidth: number, measure: Measure, firstIndent = 0): TextLine[] {
  const lines: TextLine[] = [];
  let line: Word[] = [];
  let lineWidth = 0;
  const flush = (): void => {
    lines.push(place(line, lines.length === 0 ? firstIndent : 0));
    line = [];
    lineWidth = 0;
  };
  const room = (): number => maxWidth - (lines.length === 0 ? firstIndent : 0);
  const spaceBefore = (): number => (line.length > 0 ? line[line.length - 1].space?.width ?? 0 : 0);
  for (const word of words(parts, size, measure)) {
    const pieces = word.width > room() ? split(word, Math.max(room(), size), size, measure) : [word];
    for (const piece of pieces) {
      if (line.length > 0 && lineWidth + spaceBefore() + piece.width > room()) flush();
      lineWidth += spaceBefore() + piece.width;
      line.push(piece);
    }
  }
  if (line.length > 0 || lines.length === 0) flush();
  return lines;
}

function place(line: Word[], indent: number): TextLine {
  const pieces: PlacedText[] = [];
  let x = indent;
  let open: PlacedText | null = null;
  line.forEach((word, index) => {
    for (const fragment of word.fragments) {
      if (open && open.font === fragment.font) open.text += fragment.text;
      else pieces.push((open = { text: fragment.text, font: fragment.font, x }));
      x += fragment.width;
    }
    if (word.space && index < line.length - 1) {
      if (open && open.font === word.space.font) open.text += word.space.text;
      else open = null;
      x += word.space.width;
    }
  });
  return { pieces, width: x };
}

/** Text cut to fit `maxWidth`, ending in "…" when cut (a chart's labels, the footer). */
export function truncate(text: string, font: PDFFont, size: number, maxWidth: number, measure: Measure): string {
  if (measure.width(font, text, size) <= maxWidth) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure.width(font, chars.slice(0, mid).join('').trimEnd() + '…', size) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('').trimEnd() + '…';
}
