import { deflateSync } from 'node:zlib';

/**
 * The smallest PNG writer a chart's fallback needs: an RGB raster filled with rectangles, written as one IHDR, one
 * IDAT (zlib) and IEND, each with its CRC-32. No text is drawn (a font rasteriser is not worth its weight for the
 * few old Word versions that cannot draw the SVG): the fallback shows the bars, the gridlines and the legend's
 * colours only.
 */

const CRC_TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An RGB image, white until painted. */
export class Raster {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new RangeError(`a raster of ${width}×${height} pixels`);
    }
    this.pixels = new Uint8Array(width * height * 3).fill(0xff);
  }

  /** Fills the pixels whose centres lie in the rectangle, clipped to the raster; colour is 'RRGGBB'. */
  fillRect(x: number, y: number, w: number, h: number, color: string): void {
    const rgb = parseInt(color, 16);
    const r = (rgb >> 16) & 0xff;
    const g = (rgb >> 8) & 0xff;
    const b = rgb & 0xff;
    const x0 = Math.max(0, Math.round(x));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y0 = Math.max(0, Math.round(y));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let row = y0; row < y1; row++) {
      for (let col = x0; col < x1; col++) {
        const i = (row * this.width + col) * 3;
        this.pixels[i] = r;
        this.pixels[i + 1] = g;
        this.pixels[i + 2] = b;
      }
    }
  }

  toPng(): Buffer {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(this.width, 0);
    ihdr.writeUInt32BE(this.height, 4);
    ihdr[8] = 8; // bits per channel
    ihdr[9] = 2; // truecolour (RGB)
    // bytes 10–12: deflate, adaptive filtering, no interlace — all 0
    const stride = this.width * 3;
    const scanlines = Buffer.alloc((stride + 1) * this.height);
    for (let row = 0; row < this.height; row++) {
      // Each scanline starts with its filter type; 0 (none) is enough for flat colour, which deflate packs well.
      scanlines.set(this.pixels.subarray(row * stride, (row + 1) * stride), row * (stride + 1) + 1);
    }
    return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(scanlines)), chunk('IEND', new Uint8Array(0))]);
  }
}
