import { AlignmentType, Paragraph } from 'docx';
import { ChartRun } from 'docx/charts';
import { neutralized } from '../formula-guard';
import { textRuns } from './docx-runs';
import { FONT } from './docx-styles';
import type { OutlineBlock } from './outline';
import { documentText } from './safe-text';

/**
 * A chart block as a native Word chart (`word/charts/chart1.xml` with its data in an embedded workbook), not a
 * picture: Word and LibreOffice draw it with their own text — unit names, values, legend — which a picture's PNG
 * fallback could not carry (LibreOffice 7.4 shows the fallback of an SVG, and a PNG written without a font
 * rasteriser has no text), and the inspector can restyle it or correct its data with Edit Data.
 */

type ChartBlock = Extract<OutlineBlock, { kind: 'chart' }>;

/** Twips per CSS pixel (96 to the inch): the chart is sized in pixels, the page in twips. */
const TWIPS_PER_PX = 15;
/** Past this many bars, values written on them overlap: the table beside the chart has the figures. */
const MAX_LABELLED_BARS = 40;
/** Past this many units, their names are set smaller so that every one is written. */
const MANY_UNITS = 15;
/**
 * Series colours told apart in print, in grey and by most colour-blind readers (blue, orange, green, grey, gold,
 * purple), rather than the theme's, which depend on the template the inspector later applies.
 */
const SERIES_COLORS = ['2E5C8A', 'D9822B', '4E9A4E', '7F7F7F', 'C9A227', '7B5EA7'];

/**
 * Text that goes into the chart and its embedded workbook: made XML-safe, and kept from starting a formula — a
 * reader who opens Edit Data and presses Enter in a cell would otherwise run it (formula-guard.ts).
 */
const chartText = (text: string): string => neutralized(documentText(text));

/** 0–100; anything else (a non-number) a gap, not a bar drawn outside the scale. */
function percent(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : Math.min(100, Math.max(0, value));
}

/** Horizontal bars, one group per label, one bar per series, on a 0–100 % scale, `width` × `height` twips at most. */
export function chartContent(block: ChartBlock, width: number, height: number): Paragraph[] {
  // A chart without a bar or a series is an empty frame (and not a chart Word opens): nothing is drawn.
  if (block.bars.length === 0 || block.series.length === 0) return [];
  const bars = block.bars.length * block.series.length;
  const wantedPx = 90 + block.bars.length * (block.series.length * 16 + 12);
  // Most of a page at most: the title above it and a line of text stay with it.
  const heightPx = Math.max(180, Math.min(wantedPx, Math.floor((height / TWIPS_PER_PX) * 0.85)));
  const labelSize = block.bars.length > MANY_UNITS ? 8 : 10;
  const font = { name: FONT };
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      keepNext: true,
      spacing: { before: 120, after: 60 },
      children: textRuns(block.title, { bold: true, size: 24 }),
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [
        new ChartRun({
          type: 'bar',
          // The first label at the top, as the table and the reader go; the scale stays under the bars.
          categories: block.bars.map((b) => chartText(b.label)),
          categoryAxis: { reverseOrder: true, font: { ...font, size: labelSize } },
          valueAxis: { minimum: 0, maximum: 100, interval: 25, crossesAt: 'maximum', numberFormat: '0"%"', font: { ...font, size: 10 } },
          series: block.series.map((name, s) => ({
            name: chartText(name),
            values: block.bars.map((b) => percent(b.values[s])),
            color: SERIES_COLORS[s % SERIES_COLORS.length],
          })),
          // A number format, not text: Word writes the decimal separator of the reader's locale (98,3% in Vietnamese).
          ...(bars <= MAX_LABELLED_BARS ? { dataLabels: { value: true, numberFormat: '0.0"%"', font: { ...font, size: 9 } } } : {}),
          legend: { position: 'bottom', font: { ...font, size: 10 } },
          font,
          transformation: { width: Math.floor(width / TWIPS_PER_PX), height: heightPx },
          altText: { name: documentText(block.title), title: documentText(block.title) },
        }),
      ],
    }),
  ];
}
