import * as zlib from 'node:zlib';
import { DocumentError } from '../errors';
import { unpredict } from './predictors';
import { PdfDict, PdfName, type PdfValue } from './objects';

/**
 * Stream filters. Every decoder is bounded by `maxBytes`: a small stream that inflates to gigabytes (a "flate
 * bomb") ends the document with TOO_LARGE rather than exhausting memory.
 */

const ABBREVIATIONS: Record<string, string> = {
  Fl: 'FlateDecode',
  AHx: 'ASCIIHexDecode',
  A85: 'ASCII85Decode',
  LZW: 'LZWDecode',
  RL: 'RunLengthDecode',
};

/** Filters we cannot (and need not) decode: image codecs. Their data is returned as is. */
const IMAGE_FILTERS = new Set(['DCTDecode', 'JPXDecode', 'CCITTFaxDecode', 'JBIG2Decode', 'DCT', 'CCF']);

export function decodeStreamData(
  raw: Buffer,
  filter: PdfValue | undefined,
  parms: PdfValue | undefined,
  maxBytes: number,
  resolve: (v: PdfValue | undefined) => PdfValue | undefined,
): Buffer {
  const filters = toArray(resolve(filter)).map((f) => resolve(f));
  const parmList = toArray(resolve(parms)).map((p) => resolve(p));
  let data = raw;
  for (let i = 0; i < filters.length; i++) {
    const f = filters[i];
    if (!(f instanceof PdfName)) continue;
    const name = ABBREVIATIONS[f.name] ?? f.name;
    if (IMAGE_FILTERS.has(name)) return data;
    const p = parmList[i];
    const dp = p instanceof PdfDict ? p : null;
    data = applyFilter(name, data, dp, maxBytes, resolve);
    if (data.length > maxBytes) throw new DocumentError('TOO_LARGE', `decoded stream exceeds ${maxBytes} bytes`);
  }
  return data;
}

function toArray(v: PdfValue | undefined): PdfValue[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function applyFilter(
  name: string,
  data: Buffer,
  parms: PdfDict | null,
  maxBytes: number,
  resolve: (v: PdfValue | undefined) => PdfValue | undefined,
): Buffer {
  switch (name) {
    case 'FlateDecode':
      return withPredictor(inflate(data, maxBytes), parms, resolve);
    case 'LZWDecode': {
      const early = numberParam(parms, 'EarlyChange', 1, resolve);
      return withPredictor(lzwDecode(data, early !== 0, maxBytes), parms, resolve);
    }
    case 'ASCIIHexDecode':
      return asciiHexDecode(data);
    case 'ASCII85Decode':
      return ascii85Decode(data);
    case 'RunLengthDecode':
      return runLengthDecode(data, maxBytes);
    case 'Crypt':
      return data; // decryption is done before filters, by the security handler
    default:
      return data;
  }
}

function numberParam(
  parms: PdfDict | null,
  key: string,
  dflt: number,
  resolve: (v: PdfValue | undefined) => PdfValue | undefined,
): number {
  const v = parms ? resolve(parms.get(key)) : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : dflt;
}

function withPredictor(
  data: Buffer,
  parms: PdfDict | null,
  resolve: (v: PdfValue | undefined) => PdfValue | undefined,
): Buffer {
  const predictor = numberParam(parms, 'Predictor', 1, resolve);
  if (predictor <= 1) return data;
  return unpredict(data, {
    predictor,
    colors: numberParam(parms, 'Colors', 1, resolve),
    bitsPerComponent: numberParam(parms, 'BitsPerComponent', 8, resolve),
    columns: numberParam(parms, 'Columns', 1, resolve),
  });
}

/** zlib's "output too large" error. Checked by shape: errors may come from another realm (e.g. under jest). */
function isSizeError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { code, name } = e as { code?: unknown; name?: unknown };
  return code === 'ERR_BUFFER_TOO_LARGE' || name === 'RangeError';
}

export function inflate(data: Buffer, maxBytes: number): Buffer {
  const opts: zlib.ZlibOptions = { maxOutputLength: maxBytes, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  try {
    return zlib.inflateSync(data, opts);
  } catch (e) {
    if (isSizeError(e)) throw new DocumentError('TOO_LARGE', `inflated stream exceeds ${maxBytes} bytes`);
  }
  // A damaged zlib header or checksum: try the raw deflate data, then keep whatever inflated before the damage.
  try {
    return zlib.inflateRawSync(data.subarray(2), opts);
  } catch (e) {
    if (isSizeError(e)) throw new DocumentError('TOO_LARGE', `inflated stream exceeds ${maxBytes} bytes`);
  }
  return inflatePrefix(data, maxBytes);
}

/** Inflates in small steps and returns what came out before the first error. */
function inflatePrefix(data: Buffer, maxBytes: number): Buffer {
  let good = Buffer.alloc(0);
  let lo = 0;
  let hi = data.length;
  // Binary search on the input length that still inflates cleanly with a sync flush.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      good = zlib.inflateSync(data.subarray(0, mid), { maxOutputLength: maxBytes, finishFlush: zlib.constants.Z_SYNC_FLUSH });
      lo = mid;
    } catch (e) {
      if (isSizeError(e)) throw new DocumentError('TOO_LARGE', `inflated stream exceeds ${maxBytes} bytes`);
      hi = mid - 1;
    }
  }
  return good;
}

const HEX = /[0-9a-fA-F]/;

export function asciiHexDecode(data: Buffer): Buffer {
  const out: number[] = [];
  let high = -1;
  for (const b of data) {
    if (b === 0x3e) break;
    const c = String.fromCharCode(b);
    if (!HEX.test(c)) continue;
    const v = Number.parseInt(c, 16);
    if (high < 0) high = v;
    else {
      out.push(high * 16 + v);
      high = -1;
    }
  }
  if (high >= 0) out.push(high * 16);
  return Buffer.from(out);
}

export function ascii85Decode(data: Buffer): Buffer {
  const out: number[] = [];
  let group: number[] = [];
  let i = 0;
  if (data[0] === 0x3c && data[1] === 0x7e) i = 2; // optional <~
  for (; i < data.length; i++) {
    const b = data[i];
    if (b === 0x7e) break; // ~>
    if (b === 0x7a && group.length === 0) {
      out.push(0, 0, 0, 0);
      continue;
    }
    if (b < 0x21 || b > 0x75) continue;
    group.push(b - 33);
    if (group.length === 5) {
      pushGroup(out, group, 4);
      group = [];
    }
  }
  if (group.length > 1) {
    const n = group.length - 1;
    while (group.length < 5) group.push(84);
    pushGroup(out, group, n);
  }
  return Buffer.from(out);
}

function pushGroup(out: number[], g: number[], n: number): void {
  let v = 0;
  for (const d of g) v = v * 85 + d;
  const bytes = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  for (let k = 0; k < n; k++) out.push(bytes[k]);
}

export function runLengthDecode(data: Buffer, maxBytes: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let i = 0;
  while (i < data.length) {
    const len = data[i++];
    if (len === 128) break;
    let piece: Buffer;
    if (len < 128) {
      piece = data.subarray(i, i + len + 1);
      i += len + 1;
    } else {
      piece = Buffer.alloc(257 - len, i < data.length ? data[i] : 0);
      i += 1;
    }
    total += piece.length;
    if (total > maxBytes) throw new DocumentError('TOO_LARGE', `decoded stream exceeds ${maxBytes} bytes`);
    chunks.push(piece);
  }
  return Buffer.concat(chunks);
}

export function lzwDecode(data: Buffer, earlyChange: boolean, maxBytes: number): Buffer {
  const out: Buffer[] = [];
  let total = 0;
  let dict: Buffer[] = [];
  const reset = (): void => {
    dict = [];
    for (let i = 0; i < 256; i++) dict.push(Buffer.from([i]));
    dict.push(Buffer.alloc(0), Buffer.alloc(0)); // 256 clear, 257 end
  };
  reset();
  let codeLength = 9;
  let prev: Buffer | null = null;
  let bitBuf = 0;
  let bitCount = 0;
  for (let i = 0; i < data.length || bitCount >= codeLength; ) {
    while (bitCount < codeLength && i < data.length) {
      bitBuf = ((bitBuf << 8) | data[i++]) >>> 0;
      bitCount += 8;
    }
    if (bitCount < codeLength) break;
    const code = (bitBuf >>> (bitCount - codeLength)) & ((1 << codeLength) - 1);
    bitCount -= codeLength;
    bitBuf &= (1 << bitCount) - 1;
    if (code === 256) {
      reset();
      codeLength = 9;
      prev = null;
      continue;
    }
    if (code === 257) break;
    let entry: Buffer;
    if (code < dict.length) entry = dict[code];
    else if (prev !== null && code === dict.length) entry = Buffer.concat([prev, prev.subarray(0, 1)]);
    else break; // corrupt code
    out.push(entry);
    total += entry.length;
    if (total > maxBytes) throw new DocumentError('TOO_LARGE', `decoded stream exceeds ${maxBytes} bytes`);
    if (prev !== null && dict.length < 4096) dict.push(Buffer.concat([prev, entry.subarray(0, 1)]));
    prev = entry;
    const next = dict.length + (earlyChange ? 1 : 0);
    if (next >= 2048) codeLength = 12;
    else if (next >= 1024) codeLength = 11;
    else if (next >= 512) codeLength = 10;
  }
  return Buffer.concat(out);
}
