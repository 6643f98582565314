import type { ChartLayout, PlacedText } from './chart-layout';
import { documentText } from './safe-text';

/**
 * A chart block as SVG, which Word 2016+ and LibreOffice draw as vectors. Every text in it (unit names come from
 * registers and PDFs) is made XML-safe and escaped, and only ever stands in a text node, never in an attribute.
 */

function escapeXml(text: string): string {
  return documentText(text).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * From a text's middle to its baseline, as a share of the font size: set by hand because `dominant-baseline` is
 * not drawn by every SVG renderer an office suite has.
 */
const BASELINE = 0.35;

const n = (value: number): string => String(Math.round(value * 100) / 100);

function text(t: PlacedText): string {
  const y = t.y + t.size * BASELINE;
  return `<text x="${n(t.x)}" y="${n(y)}" font-size="${t.size}" text-anchor="${t.anchor}">${escapeXml(t.text)}</text>`;
}

export function chartSvg(layout: ChartLayout): string {
  const { width, height, plot } = layout;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}"` +
      ` font-family="'Times New Roman', Times, serif">`,
    `<rect x="0" y="0" width="${n(width)}" height="${n(height)}" fill="#FFFFFF"/>`,
  ];
  for (let q = 0; q <= 4; q++) {
    const x = plot.x + (plot.w * q) / 4;
    out.push(`<line x1="${n(x)}" y1="${n(plot.y)}" x2="${n(x)}" y2="${n(plot.y + plot.h)}" stroke="#${q === 0 ? '404040' : 'D9D9D9'}" stroke-width="1"/>`);
  }
  for (const b of layout.bars) out.push(`<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.w)}" height="${n(b.h)}" fill="#${b.color}"/>`);
  for (const t of layout.texts) out.push(text(t));
  for (const { swatch, text: label } of layout.legend) {
    out.push(`<rect x="${n(swatch.x)}" y="${n(swatch.y)}" width="${n(swatch.w)}" height="${n(swatch.h)}" fill="#${swatch.color}"/>`);
    out.push(text(label));
  }
  out.push('</svg>');
  return out.join('\n');
}
