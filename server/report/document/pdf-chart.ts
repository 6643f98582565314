import { rgb, type Color } from 'pdf-lib';
import type { OutlineBlock } from './outline';
import { GREY, LEADING, AFTER_PARAGRAPH, type Canvas } from './pdf-canvas';
import { printable, truncate } from './pdf-text';
import { percentText } from '../describe';
import type { Region } from './pdf-table';

/**
 * Horizontal bars, one group per label and one bar per series, on a 0–100 % scale: a chart drawn with lines and
 * rectangles, so its labels stay text a reader can search. It is kept on one page: started on a new one when it
 * does not fit where it would begin, and drawn with thinner bars when it is taller than a page.
 */

type ChartBlock = Extract<OutlineBlock, { kind: 'chart' }>;

const PALETTE: Color[] = [rgb(0.16, 0.38, 0.67), rgb(0.93, 0.55, 0.15), rgb(0.3, 0.62, 0.3), rgb(0.55, 0.35, 0.65), rgb(0.5, 0.5, 0.5)];
const GRID = rgb(0.82, 0.82, 0.82);

export function formatPercent(value: number, lang: 'vi' | 'en'): string {
  const text = (Math.round(value * 10) / 10).toFixed(1).replace(/\.0$/, '');
  return `${lang === 'vi' ? text.replace('.', ',') : text}%`;
}

function clampPercent(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0;
}

const TITLE_SIZE = 12;
const LEGEND_SIZE = 10;
const AXIS_SIZE = 9;
const GROUP_GAP = 5;

interface Metrics {
  series: number;
  /** Thickness of one bar. */
  bar: number;
  /** Height of one label's group of bars, with the gap after it. */
  group: number;
  /** Title, legend and axis labels. */
  fixed: number;
  /** Groups that fit one page. */
  perPage: number;
}

/** `available`: the height the chart may take (a page's, or what is left beside a table). */
function metrics(block: ChartBlock, available: number): Metrics {
  const series = Math.max(1, block.series.length);
  const fixed = TITLE_SIZE * LEADING + 4 + LEGEND_SIZE * LEADING + 6 + AXIS_SIZE * LEADING + 4 + AFTER_PARAGRAPH;
  // Bars as thick as they can be up to 9 pt, thinner (down to 2 pt) when the chart would not fit one page.
  const fitGroup = (available - fixed) / Math.max(block.bars.length, 1);
  const bar = Math.max(2, Math.min(9, (fitGroup - GROUP_GAP - (series - 1)) / series));
  const group = series * bar + (series - 1) + GROUP_GAP;
  return { series, bar, group, fixed, perPage: Math.max(1, Math.floor((available - fixed) / group)) };
}

/**
 * The height the chart (its first page, when it needs more) takes: what a heading before it keeps with it.
 * `bar`: the height with bars that thick rather than as thick as a page allows.
 */
export function chartHeight(canvas: Canvas, block: ChartBlock, bar?: number): number {
  const m = metrics(block, canvas.areaHeight);
  if (bar !== undefined) return m.fixed + block.bars.length * (m.series * bar + (m.series - 1) + GROUP_GAP);
  return m.fixed + Math.min(block.bars.length, m.perPage) * m.group;
}

/**
 * The chart at the cursor, across the text width or in `region`. Given `available` (beside a table), it is drawn
 * in that height with no page break, its bars as thin as that needs.
 */
export function drawChart(canvas: Canvas, block: ChartBlock, lang: 'vi' | 'en', region?: Region, available?: number): void {
  const area = region ?? { x: canvas.left, width: canvas.width };
  if (available !== undefined) {
    drawPart(canvas, block, block.bars, metrics(block, available), lang, area);
    return;
  }
  const m = metrics(block, canvas.areaHeight);
  // Past about 70 labels even thin bars overflow a page: the rest go on, under the same legend, on the next.
  for (let start = 0; start < Math.max(block.bars.length, 1); start += m.perPage) {
    const part = block.bars.slice(start, start + m.perPage);
    canvas.need(m.fixed + part.length * m.group);
    drawPart(canvas, block, part, m, lang, area);
  }
}

function drawPart(canvas: Canvas, block: ChartBlock, part: ChartBlock['bars'], m: Metrics, lang: 'vi' | 'en', area: Region): void {
  const { series, bar } = m;
  canvas.flow(canvas.styled(block.title, true), TITLE_SIZE, { align: 'center', x: area.x, width: area.width });
  canvas.y += 4;

  // Legend: a swatch and the series' name, side by side, centred.
  const font = canvas.font();
  const names = block.series.map((s) => printable(s));
  const swatch = LEGEND_SIZE * 0.8;
  const widths = names.map((n) => swatch + 4 + canvas.measure.width(font, n, LEGEND_SIZE) + 12);
  let x = area.x + Math.max(0, (area.width - widths.reduce((a, b) => a + b, 0)) / 2);
  const legendBase = canvas.pdfY(canvas.y + LEGEND_SIZE * 0.95);
  names.forEach((name, i) => {
    canvas.page.drawRectangle({ x, y: legendBase - 1, width: swatch, height: swatch, color: PALETTE[i % PALETTE.length] });
    canvas.page.drawText(name, { x: x + swatch + 4, y: legendBase, size: LEGEND_SIZE, font });
    x += widths[i];
  });
  canvas.y += LEGEND_SIZE * LEADING + 6;

  const labelSize = Math.max(5, Math.min(10, series * bar + (series - 1)));
  const valueSize = Math.max(6, Math.min(8, bar + 1));
  // Labels take up to 40% of a narrow chart (beside a table), never more than a wide one needs.
  const labelWidth = Math.min(area.width * 0.4, 150);
  const valueRoom = 30;
  const plotX = area.x + labelWidth + 4;
  const plotWidth = area.width - labelWidth - 4 - valueRoom;
  const plotTop = canvas.y;
  const plotHeight = part.length * m.group;

  for (const tick of [0, 25, 50, 75, 100]) {
    const tx = plotX + (plotWidth * tick) / 100;
    canvas.page.drawLine({ start: { x: tx, y: canvas.pdfY(plotTop) }, end: { x: tx, y: canvas.pdfY(plotTop + plotHeight) }, thickness: tick === 0 ? 0.8 : 0.4, color: tick === 0 ? GREY : GRID });
    const label = formatPercent(tick, lang);
    const w = canvas.measure.width(font, label, AXIS_SIZE);
    canvas.page.drawText(label, { x: tx - w / 2, y: canvas.pdfY(plotTop + plotHeight + AXIS_SIZE * 1.1), size: AXIS_SIZE, font, color: GREY });
  }

  let down = plotTop + GROUP_GAP / 2;
  for (const group of part) {
    const groupHeight = series * bar + (series - 1);
    const label = truncate(printable(group.label), font, labelSize, labelWidth, canvas.measure);
    const lw = canvas.measure.width(font, label, labelSize);
    canvas.page.drawText(label, { x: area.x + labelWidth - lw, y: canvas.pdfY(down + groupHeight / 2 + labelSize * 0.35), size: labelSize, font });
    for (let i = 0; i < series; i++) {
      const value = clampPercent(group.values[i] ?? 0);
      const top = down + i * (bar + 1);
      const w = (plotWidth * value) / 100;
      if (w > 0) canvas.page.drawRectangle({ x: plotX, y: canvas.pdfY(top + bar), width: w, height: bar, color: PALETTE[i % PALETTE.length] });
      if (group.values[i] !== undefined) {
        // One decimal always, as the table above and the DOCX chart print it ("50,0%" beside "66,7%", not "50%").
        canvas.page.drawText(`${percentText(value, lang)}%`, { x: plotX + w + 2, y: canvas.pdfY(top + bar / 2 + valueSize * 0.35), size: valueSize, font, color: GREY });
      }
    }
    down += m.group;
  }
  canvas.y = plotTop + plotHeight + AXIS_SIZE * LEADING + 4 + AFTER_PARAGRAPH;
}
