/**
 * Where each part of a chart block goes, in CSS pixels (96 to the inch), worked out once so that the SVG and its
 * PNG fallback draw the same bars: horizontal bars, one group per label, one bar per series, on a 0–100 % scale.
 */

export interface ChartInput {
  series: string[];
  bars: { label: string; values: number[] }[];
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PlacedBar extends Box {
  /** 'RRGGBB' */
  color: string;
  /** The value drawn, clamped to 0–100. */
  value: number;
}

export interface PlacedText {
  text: string;
  x: number;
  /** The text's vertical middle. */
  y: number;
  anchor: 'start' | 'middle' | 'end';
  /** Pixels: labels shrink with the bars, the scale and the legend keep theirs. */
  size: number;
}

export interface ChartLayout {
  width: number;
  height: number;
  /** The plot area; gridlines at every quarter of it. */
  plot: Box;
  bars: PlacedBar[];
  /** Group labels (right-aligned before the plot), values (after each bar), scale under the plot. */
  texts: PlacedText[];
  legend: { swatch: Box & { color: string }; text: PlacedText }[];
}

/** Colours told apart in print and by most colour-blind readers (blue, orange, green, grey, gold, purple). */
export const SERIES_COLORS = ['2E5C8A', 'D9822B', '4E9A4E', '7F7F7F', 'C9A227', '7B5EA7'];

const BAR = 14;
const BAR_GAP = 2;
const GROUP_GAP = 10;
const MIN_GROUP = 2;
const SCALE_ROW = 18;
const LEGEND_ROW = 22;
const PAD = 6;
const LEGEND_FONT = 11;

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length];
}

/** 0–100, a non-number as 0: a value outside the scale would draw outside the chart. */
function clampPercent(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0;
}

/** A label cut to the characters that fit, by an average glyph width (no font metrics here). */
function fit(text: string, width: number, fontSize: number): string {
  const chars = Array.from(text);
  const max = Math.max(1, Math.floor(width / (fontSize * 0.5)));
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export function formatPercent(value: number): string {
  // One decimal, a decimal comma: the reports are Vietnamese administrative documents (see the helper's report).
  return `${(Math.round(value * 10) / 10).toString().replace('.', ',')}%`;
}

/**
 * The layout for a chart `width` pixels wide and at most `maxHeight` tall: bars get thinner when there are many
 * groups, so a chart of every unit still fits on one page; a value is written after its bar while the bar is
 * tall enough to carry it.
 */
export function layoutChart(chart: ChartInput, width: number, maxHeight: number): ChartLayout {
  const seriesCount = Math.max(1, chart.series.length);
  const groups = Math.max(1, chart.bars.length);
  const fixed = PAD * 2 + SCALE_ROW + LEGEND_ROW;
  const natural = seriesCount * BAR + (seriesCount - 1) * BAR_GAP + GROUP_GAP;
  // Bars and gaps shrink together, so a group never takes more than its share of the height (a floor of a
  // couple of pixels: past a few hundred units no chart stays readable, and the image then grows instead).
  const groupHeight = Math.max(MIN_GROUP, Math.min(natural, (maxHeight - fixed) / groups));
  const scale = groupHeight / natural;
  const bar = BAR * scale;
  const barGap = BAR_GAP * scale;
  const groupGap = GROUP_GAP * scale;
  const fontSize = Math.round(Math.max(5, Math.min(11, (groupHeight - groupGap) * 0.9)));
  const height = Math.ceil(fixed + groups * groupHeight);

  const labelWidth = Math.round(width * 0.3);
  const valueWidth = 44;
  const plot: Box = { x: labelWidth + 6, y: PAD, w: width - labelWidth - 6 - valueWidth, h: groups * groupHeight };

  const bars: PlacedBar[] = [];
  const texts: PlacedText[] = [];
  chart.bars.forEach((group, g) => {
    const top = plot.y + g * groupHeight + groupGap / 2;
    const inner = groupHeight - groupGap;
    texts.push({ text: fit(group.label, labelWidth - 4, fontSize), x: labelWidth, y: top + inner / 2, anchor: 'end', size: fontSize });
    for (let s = 0; s < seriesCount; s++) {
      const value = clampPercent(group.values[s] ?? 0);
      const y = top + s * (bar + barGap);
      const w = (plot.w * value) / 100;
      bars.push({ x: plot.x, y, w, h: bar, color: seriesColor(s), value });
      if (bar >= 8) texts.push({ text: formatPercent(value), x: plot.x + w + 3, y: y + bar / 2, anchor: 'start', size: fontSize });
    }
  });
  const scaleY = plot.y + plot.h + SCALE_ROW / 2;
  for (let q = 0; q <= 4; q++) texts.push({ text: `${q * 25}%`, x: plot.x + (plot.w * q) / 4, y: scaleY, anchor: 'middle', size: LEGEND_FONT });

  const legendY = plot.y + plot.h + SCALE_ROW + LEGEND_ROW / 2;
  const slot = width / seriesCount;
  const legend = chart.series.map((name, s) => {
    const x = s * slot + 8;
    return {
      swatch: { x, y: legendY - 5, w: 10, h: 10, color: seriesColor(s) },
      text: { text: fit(name, slot - 24, LEGEND_FONT), x: x + 14, y: legendY, anchor: 'start' as const, size: LEGEND_FONT },
    };
  });
  return { width, height, plot, bars, texts, legend };
}
