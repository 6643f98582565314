import { AlignmentType, LevelFormat, LineRuleType, type INumberingOptions, type IStylesOptions } from 'docx';

/**
 * The look Decree 30/2020 gives an administrative document, as the DOCX's own styles: a reader who edits the draft
 * in Word or LibreOffice types in the same font and spacing, and the headings are Word's Heading 1–3 (the
 * navigation pane lists them) restyled black Times New Roman.
 */

/** Twentieths of a point, Word's unit for lengths. */
export const mm = (millimetres: number): number => Math.round((millimetres * 1440) / 25.4);

/** A4 in twips, portrait; docx swaps the two for landscape. */
export const A4 = { width: 11906, height: 16838 };
/** Phụ lục I: top and bottom 20 mm, left 30 mm, right 15 mm. */
export const MARGIN = { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15), header: mm(10), footer: mm(10) };

export function textWidth(orientation: 'portrait' | 'landscape'): number {
  const page = orientation === 'portrait' ? A4.width : A4.height;
  return page - MARGIN.left - MARGIN.right;
}

export function textHeight(orientation: 'portrait' | 'landscape'): number {
  const page = orientation === 'portrait' ? A4.height : A4.width;
  return page - MARGIN.top - MARGIN.bottom;
}

export const FONT = 'Times New Roman';
/** Every script slot named, so Vietnamese text (and anything Word classes otherwise) never falls back to Calibri. */
export const FONTS = { ascii: FONT, hAnsi: FONT, eastAsia: FONT, cs: FONT };
/** Half-points: 13 pt body text. */
export const BODY_SIZE = 26;
/** First-line indent of body text. */
export const INDENT = mm(10);
/** 1.15 lines (240ths of a line, "auto"). */
const LINE = 276;

export const DASH_LIST = 'kiemky-dash';
/** Table text, 12 pt and 10 pt (a compact table): styles, so the inspector can resize a whole table at once. */
export const TABLE_TEXT = 'KiemkyTableText';
export const TABLE_TEXT_COMPACT = 'KiemkyTableTextCompact';

const tableText = (id: string, name: string, size: number): NonNullable<IStylesOptions['paragraphStyles']>[number] => ({
  id,
  name,
  basedOn: 'Normal',
  quickFormat: true,
  run: { size },
  paragraph: { spacing: { before: 0, after: 0, line: 240, lineRule: LineRuleType.AUTO } },
});

function heading(level: 0 | 1 | 2, indent: number): NonNullable<IStylesOptions['default']>['heading1'] {
  return {
    run: { font: FONTS, size: BODY_SIZE, bold: true, color: '000000' },
    paragraph: {
      spacing: { before: 120, after: 60, line: LINE, lineRule: LineRuleType.AUTO },
      indent: { firstLine: indent },
      keepNext: true,
      keepLines: true,
      outlineLevel: level,
    },
  };
}

export const STYLES: IStylesOptions = {
  default: {
    document: {
      run: { font: FONTS, size: BODY_SIZE, language: { value: 'vi-VN', eastAsia: 'vi-VN', bidirectional: 'vi-VN' } },
      paragraph: { spacing: { after: 120, line: LINE, lineRule: LineRuleType.AUTO } },
    },
    heading1: heading(0, 0),
    heading2: heading(1, INDENT),
    heading3: heading(2, INDENT),
  },
  paragraphStyles: [tableText(TABLE_TEXT, 'Table Text', 24), tableText(TABLE_TEXT_COMPACT, 'Table Text Compact', 20)],
};

/** A dash list as administrative documents write one: "-" at the body's indent, the text hanging after it. */
export const NUMBERING: INumberingOptions = {
  config: [
    {
      reference: DASH_LIST,
      levels: [
        {
          level: 0,
          format: LevelFormat.BULLET,
          text: '-',
          alignment: AlignmentType.LEFT,
          style: { paragraph: { indent: { left: INDENT + mm(5), hanging: mm(5) } }, run: { font: FONTS } },
        },
      ],
    },
  ],
};
