import { inflateSync } from 'node:zlib';
import { layoutChart, SERIES_COLORS } from '../../server/report/document/chart-layout';
import { chartPng, PNG_SCALE } from '../../server/report/document/chart-png';
import { chartSvg } from '../../server/report/document/chart-svg';
import { crc32, Raster } from '../../server/report/document/png';
import { assertWellFormed } from '../helpers/docx-package';

/**
 * The chart drawn for the DOCX: one layout, an SVG and a PNG fallback drawn from it, unit names (untrusted) kept as
 * text in the SVG, and a PNG any decoder reads.
 */

/** The RGB pixels of a PNG this module wrote (one IDAT, filter 0 on every row). */
function decodePng(png: Buffer): { width: number; height: number; rgb: (x: number, y: number) => string } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  expect(png[24]).toBe(8);
  expect(png[25]).toBe(2);
  const idatAt = png.indexOf('IDAT', 8, 'latin1') - 4;
  const raw = inflateSync(png.subarray(idatAt + 8, idatAt + 8 + png.readUInt32BE(idatAt)));
  const stride = width * 3 + 1;
  for (let row = 0; row < height; row++) expect(raw[row * stride]).toBe(0);
  return {
    width,
    height,
    rgb: (x, y) => raw.subarray(y * stride + 1 + x * 3, y * stride + 4 + x * 3).toString('hex').toUpperCase(),
  };
}

test('CRC-32 is the one PNG (and ZIP) use', () => {
  expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  expect(crc32(new Uint8Array(0))).toBe(0);
});

test('a raster painted with rectangles is written as a PNG whose pixels read back; out-of-range parts are clipped', () => {
  const raster = new Raster(5, 4);
  raster.fillRect(1, 1, 2, 2, 'FF0000');
  raster.fillRect(-10, 3, 100, 10, '00FF00');
  const png = decodePng(raster.toPng());
  expect([png.width, png.height]).toEqual([5, 4]);
  expect(png.rgb(0, 0)).toBe('FFFFFF');
  expect(png.rgb(1, 1)).toBe('FF0000');
  expect(png.rgb(2, 2)).toBe('FF0000');
  expect(png.rgb(3, 1)).toBe('FFFFFF');
  expect(png.rgb(4, 3)).toBe('00FF00');
  expect(() => new Raster(0, 3)).toThrow(RangeError);
});

test('bars are drawn to scale, values outside 0–100 (or not numbers) kept inside the chart', () => {
  const layout = layoutChart({ series: ['A', 'B'], bars: [{ label: 'x', values: [50, 150] }, { label: 'y', values: [-5, Number.NaN] }] }, 600, 800);
  const [half, over, under, nan] = layout.bars;
  expect(half.w).toBeCloseTo(layout.plot.w / 2);
  expect(over.w).toBeCloseTo(layout.plot.w);
  expect(under.w).toBe(0);
  expect(nan.w).toBe(0);
  expect(half.color).toBe(SERIES_COLORS[0]);
  expect(over.color).toBe(SERIES_COLORS[1]);
  expect(layout.legend.map((l) => l.text.text)).toEqual(['A', 'B']);
});

test('a chart of many units still fits the height it is given', () => {
  const bars = Array.from({ length: 80 }, (_, i) => ({ label: `Đơn vị ${i}`, values: [i, 100 - i] }));
  const layout = layoutChart({ series: ['Hợp lệ', 'Đủ 2 lớp'], bars }, 620, 700);
  expect(layout.height).toBeLessThanOrEqual(700);
  expect(layout.bars).toHaveLength(160);
  // The labels shrink with the bars; the scale under them keeps its size.
  expect(layout.texts.find((t) => t.text === 'Đơn vị 0')!.size).toBeLessThan(11);
  expect(layout.texts.find((t) => t.text === '50%')!.size).toBe(11);
  // No two bars overlap.
  const ys = layout.bars.map((b) => [b.y, b.y + b.h]).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ys.length; i++) expect(ys[i][0]).toBeGreaterThanOrEqual(ys[i - 1][1]);
});

test('the SVG holds untrusted labels as text only, and is well-formed', () => {
  const hostile = '</text><script>alert(1)</script>\u0000\u202e"\'&';
  const layout = layoutChart({ series: [hostile, 'Đủ 2 lớp'], bars: [{ label: hostile, values: [10, 20] }] }, 620, 700);
  const svg = chartSvg(layout);
  assertWellFormed('chart.svg', svg);
  expect(svg).not.toContain('<script');
  expect(svg).not.toMatch(/[\u0000\u202e]/);
  expect(svg).toContain('&#60;script&#62;');
  expect(svg).toContain('\\u202e');
  expect(svg).toContain('Đủ 2 lớp');
});

test('the PNG fallback is the SVG layout at twice the size, bars in their series colours', () => {
  const layout = layoutChart({ series: ['A'], bars: [{ label: 'x', values: [100] }] }, 400, 300);
  const png = decodePng(chartPng(layout));
  expect([png.width, png.height]).toEqual([layout.width * PNG_SCALE, Math.ceil(layout.height * PNG_SCALE)]);
  const bar = layout.bars[0];
  const mid = (v: number, size: number): number => Math.floor((v + size / 2) * PNG_SCALE);
  expect(png.rgb(mid(bar.x, bar.w), mid(bar.y, bar.h))).toBe(SERIES_COLORS[0]);
});
