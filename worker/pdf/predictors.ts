/**
 * PNG and TIFF predictors (DecodeParms /Predictor), used by xref streams and some object streams.
 */
export interface PredictorParams {
  predictor: number;
  colors: number;
  bitsPerComponent: number;
  columns: number;
}

export function unpredict(data: Buffer, p: PredictorParams): Buffer {
  if (p.predictor <= 1) return data;
  const colors = clampInt(p.colors, 1, 32);
  const bpc = [1, 2, 4, 8, 16].includes(p.bitsPerComponent) ? p.bitsPerComponent : 8;
  const columns = clampInt(p.columns, 1, 1 << 24);
  const bytesPerPixel = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLength = Math.ceil((colors * bpc * columns) / 8);
  if (p.predictor === 2) return tiff(data, rowLength, bytesPerPixel, bpc);
  return png(data, rowLength, bytesPerPixel);
}

function clampInt(v: number, lo: number, hi: number): number {
  return Number.isInteger(v) ? Math.min(hi, Math.max(lo, v)) : lo;
}

function png(data: Buffer, rowLength: number, bpp: number): Buffer {
  const rows = Math.floor(data.length / (rowLength + 1));
  const out = Buffer.alloc(rows * rowLength);
  let prev = Buffer.alloc(rowLength);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLength + 1)];
    const src = data.subarray(r * (rowLength + 1) + 1, (r + 1) * (rowLength + 1));
    const row = out.subarray(r * rowLength, (r + 1) * rowLength);
    for (let i = 0; i < rowLength; i++) {
      const left = i >= bpp ? row[i - bpp] : 0;
      const up = prev[i];
      const upLeft = i >= bpp ? prev[i - bpp] : 0;
      let v: number;
      switch (type) {
        case 1: v = src[i] + left; break;
        case 2: v = src[i] + up; break;
        case 3: v = src[i] + ((left + up) >> 1); break;
        case 4: v = src[i] + paeth(left, up, upLeft); break;
        default: v = src[i]; break;
      }
      row[i] = v & 0xff;
    }
    prev = row;
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

function tiff(data: Buffer, rowLength: number, bpp: number, bpc: number): Buffer {
  // Only whole-byte components are undone; other depths never occur in the structures we decode.
  if (bpc !== 8) return data;
  const out = Buffer.from(data);
  for (let start = 0; start + rowLength <= out.length; start += rowLength) {
    for (let i = bpp; i < rowLength; i++) out[start + i] = (out[start + i] + out[start + i - bpp]) & 0xff;
  }
  return out;
}
