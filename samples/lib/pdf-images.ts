/**
 * Procedural images for the samples: the leader's blue handwritten signature, the agency's red round seal (ND 30
 * Phụ lục I), and incompressible noise used to pad documents to a realistic size. Everything is generated from a
 * seed so that the same scenario always produces the same bytes, and different seeds give different files.
 */
import * as zlib from 'node:zlib';

export interface RasterImage {
  width: number;
  height: number;
  /** width*height*3 bytes, DeviceRGB. */
  rgb: Buffer;
  /** width*height bytes, DeviceGray soft mask, or null for an opaque image. */
  alpha: Buffer | null;
}

/** mulberry32: tiny, fast and good enough for test data; crypto randomness would make files unreproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function solid(width: number, height: number, r: number, g: number, b: number): Buffer {
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    rgb[i * 3] = r;
    rgb[i * 3 + 1] = g;
    rgb[i * 3 + 2] = b;
  }
  return rgb;
}

/** Stamps an anti-aliased disc into the alpha plane (max-composited, so overlapping strokes don't darken). */
function disc(alpha: Buffer, w: number, h: number, cx: number, cy: number, r: number): void {
  const x0 = Math.max(0, Math.floor(cx - r - 1));
  const x1 = Math.min(w - 1, Math.ceil(cx + r + 1));
  const y0 = Math.max(0, Math.floor(cy - r - 1));
  const y1 = Math.min(h - 1, Math.ceil(cy + r + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      const a = Math.max(0, Math.min(1, r + 0.5 - d));
      const v = Math.round(a * 255);
      const i = y * w + x;
      if (v > alpha[i]) alpha[i] = v;
    }
  }
}

/** Generated images by kind and seed: a signer's image is reused across documents, and drawing it costs ~10 ms. */
const cache = new Map<string, RasterImage>();
function cached(key: string, make: () => RasterImage): RasterImage {
  let img = cache.get(key);
  if (!img) {
    if (cache.size > 64) cache.clear();
    img = make();
    cache.set(key, img);
  }
  return img;
}

/** A blue, cursive-looking scribble with a flourish underneath; transparent background. */
export function signatureImage(seed: number, width = 360, height = 140): RasterImage {
  return cached(`sig|${seed}|${width}|${height}`, () => drawSignature(seed, width, height));
}

/** A red round seal: two rings, a star, and a ring of "letters" (blobs) between the rings. */
export function sealImage(seed: number, size = 240): RasterImage {
  return cached(`seal|${seed}|${size}`, () => drawSeal(seed, size));
}

function drawSignature(seed: number, width: number, height: number): RasterImage {
  const rnd = prng(seed * 7 + 1);
  const alpha = Buffer.alloc(width * height);
  // A sum of sines along x reads as handwriting; loops come from a faster y oscillation with a phase per seed.
  const f1 = 2 + rnd() * 3;
  const f2 = 7 + rnd() * 6;
  const ph = rnd() * Math.PI * 2;
  const steps = 1400;
  for (let i = 0; i <= steps; i++) {
    const u = i / steps;
    const x = width * (0.06 + 0.84 * u) + Math.sin(u * Math.PI * 2 * f2 + ph) * 9;
    const y = height * (0.42 + 0.16 * Math.sin(u * Math.PI * 2 * f1 + ph)) + Math.cos(u * Math.PI * 2 * f2 + ph) * 18;
    const pen = 2.2 + 1.0 * Math.sin(u * Math.PI * 5);
    disc(alpha, width, height, x, y, pen);
  }
  for (let i = 0; i <= 400; i++) {
    const u = i / 400;
    disc(alpha, width, height, width * (0.1 + 0.8 * u), height * (0.8 - 0.1 * Math.sin(u * Math.PI)), 1.8);
  }
  return { width, height, rgb: solid(width, height, 0x1c, 0x3f, 0xb8), alpha };
}

function drawSeal(seed: number, size: number): RasterImage {
  const rnd = prng(seed * 13 + 5);
  const alpha = Buffer.alloc(size * size);
  const c = size / 2;
  const ring = (r: number, t: number): void => {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const d = Math.hypot(x + 0.5 - c, y + 0.5 - c);
        const a = Math.max(0, Math.min(1, t / 2 + 0.5 - Math.abs(d - r)));
        const i = y * size + x;
        alpha[i] = Math.max(alpha[i], Math.round(a * 255));
      }
    }
  };
  ring(size * 0.47, size * 0.025);
  ring(size * 0.33, size * 0.012);
  // Star: five points, filled by point-in-polygon on the pentagram outline.
  const pts: Array<[number, number]> = [];
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? size * 0.14 : size * 0.055;
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    pts.push([c + r * Math.cos(a), c + r * Math.sin(a)]);
  }
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let inside = false;
      for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
        const [xi, yi] = pts[i];
        const [xj, yj] = pts[j];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
      if (inside) alpha[y * size + x] = 255;
    }
  }
  const letters = 26 + Math.floor(rnd() * 6);
  for (let k = 0; k < letters; k++) {
    const a = -Math.PI * 0.95 + (k / letters) * Math.PI * 1.9;
    const r = size * 0.4;
    const x = c + r * Math.cos(a);
    const y = c + r * Math.sin(a);
    for (let s = 0; s < 4; s++) disc(alpha, size, size, x + (rnd() - 0.5) * 6, y + (rnd() - 0.5) * 8, 1.6 + rnd());
  }
  return { width: size, height: size, rgb: solid(size, size, 0xd4, 0x14, 0x1c), alpha };
}

/** Random RGB: the deflate of it is larger than it, so it pads a file to a size without compressing away. */
export function noiseImage(seed: number, bytes: number): RasterImage {
  const width = 256;
  const height = Math.max(1, Math.ceil(bytes / (width * 3)));
  const rnd = prng(seed * 31 + 17);
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0; i < rgb.length; i += 4) {
    const v = (rnd() * 4294967296) >>> 0;
    rgb[i] = v & 0xff;
    if (i + 1 < rgb.length) rgb[i + 1] = (v >>> 8) & 0xff;
    if (i + 2 < rgb.length) rgb[i + 2] = (v >>> 16) & 0xff;
    if (i + 3 < rgb.length) rgb[i + 3] = (v >>> 24) & 0xff;
  }
  return { width, height, rgb, alpha: null };
}

export function deflate(data: Buffer): Buffer {
  return zlib.deflateSync(data, { level: 9 });
}
