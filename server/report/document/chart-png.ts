import type { ChartLayout } from './chart-layout';
import { Raster } from './png';

/** Pixels per layout pixel: a 2× raster prints sharply enough at the chart's size on the page. */
export const PNG_SCALE = 2;

/** The chart's PNG fallback: the same layout as the SVG, rectangles only (see png.ts for why no text). */
export function chartPng(layout: ChartLayout): Buffer {
  const s = PNG_SCALE;
  const raster = new Raster(Math.ceil(layout.width * s), Math.ceil(layout.height * s));
  const { plot } = layout;
  for (let q = 0; q <= 4; q++) {
    raster.fillRect((plot.x + (plot.w * q) / 4) * s - 1, plot.y * s, 2, plot.h * s, q === 0 ? '404040' : 'D9D9D9');
  }
  for (const b of layout.bars) raster.fillRect(b.x * s, b.y * s, b.w * s, b.h * s, b.color);
  for (const { swatch } of layout.legend) raster.fillRect(swatch.x * s, swatch.y * s, swatch.w * s, swatch.h * s, swatch.color);
  return raster.toPng();
}
