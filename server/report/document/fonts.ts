import { readFileSync } from 'node:fs';
import * as fontkit from '@pdf-lib/fontkit';
import type { Font as FontkitFont } from '@pdf-lib/fontkit';

/**
 * The typeface of the PDF documents: Tinos, metric-compatible with Times New Roman (what Decree 30/2020 asks
 * for) and covering every Vietnamese letter with its tones precomposed. It comes from the npm package
 * @expo-google-fonts/tinos under the SIL Open Font License 1.1 (node_modules/@expo-google-fonts/tinos/LICENSE_FONT):
 * the OFL lets it be embedded in documents, which is all we do (subsets, in each PDF); we never ship it renamed or
 * altered as a font of our own.
 */

export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';

export const FONT_STYLES: readonly FontStyle[] = ['regular', 'bold', 'italic', 'boldItalic'];

const FILES: Record<FontStyle, string> = {
  regular: '@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf',
  bold: '@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf',
  italic: '@expo-google-fonts/tinos/400Regular_Italic/Tinos_400Regular_Italic.ttf',
  boldItalic: '@expo-google-fonts/tinos/700Bold_Italic/Tinos_700Bold_Italic.ttf',
};

export interface LoadedFonts {
  /** The TTF files' bytes, for pdf-lib to embed (a subset of them) in each document. */
  bytes: Record<FontStyle, Uint8Array>;
  /** The same fonts parsed, to ask which characters they can draw. */
  faces: Record<FontStyle, FontkitFont>;
}

let loaded: LoadedFonts | null = null;

/** The four faces, read once per process: a report server renders many PDFs, each embedding its own subsets. */
export function loadFonts(): LoadedFonts {
  if (loaded) return loaded;
  const bytes = {} as Record<FontStyle, Uint8Array>;
  const faces = {} as Record<FontStyle, FontkitFont>;
  for (const style of FONT_STYLES) {
    bytes[style] = new Uint8Array(readFileSync(require.resolve(FILES[style])));
    faces[style] = fontkit.create(bytes[style]);
  }
  loaded = { bytes, faces };
  return loaded;
}

/** The private parts of fontkit's TrueType subset that padGlyphs() reaches into. */
interface TrueTypeSubset {
  glyf?: Uint8Array[];
  offset?: number;
  _addGlyph?: (gid: number) => number;
}

/**
 * fontkit (1.1.1) copies each glyph into a subset as it is in the font and, for a small subset, writes the glyph
 * offsets in the short `loca` format, which stores offset / 2. Fonts built today (Tinos among them) leave glyphs
 * at odd lengths, so every glyph after an odd one is read from the wrong byte and viewers draw blanks (the text
 * still extracts, which hides it). Each glyph is padded to an even length, as the TrueType spec asks.
 */
function padGlyphs(subset: TrueTypeSubset): void {
  const add = subset._addGlyph;
  if (typeof add !== 'function') return;
  subset._addGlyph = function (this: TrueTypeSubset, gid: number): number {
    const index = add.call(this, gid);
    const glyf = this.glyf;
    const last = glyf?.[glyf.length - 1];
    if (glyf && last && last.length % 2 === 1 && typeof this.offset === 'number') {
      // fontkit's own Buffer class (its streams take nothing else), found on the glyph it made.
      const bufferClass = last.constructor as unknown as { alloc?: (size: number) => Uint8Array };
      if (typeof bufferClass.alloc !== 'function') return index;
      const padded = bufferClass.alloc(last.length + 1);
      padded.set(last);
      glyf[glyf.length - 1] = padded;
      this.offset += 1;
    }
    return index;
  };
}

/** fontkit as pdf-lib is given it: the same fonts, their subsets with even-length glyphs. */
export const pdfFontkit = {
  create(buffer: Uint8Array, postscriptName?: string): FontkitFont {
    const font = fontkit.create(buffer, postscriptName);
    const createSubset = font.createSubset.bind(font);
    font.createSubset = () => {
      const subset = createSubset();
      padGlyphs(subset as unknown as TrueTypeSubset);
      return subset;
    };
    return font;
  },
};
