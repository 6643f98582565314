import * as fs from 'node:fs';
import * as path from 'node:path';
import { Certificate } from '../../worker/pki/certificate';
import { SHARED_DIR, sharedAvailable, sharedPath } from '../helpers/shared';

export const SHARED = SHARED_DIR;
export const CERTS_DIR = sharedPath('vn-pki', 'certs');
export const PDFS_DIR = sharedPath('vn-pki', 'pdfs');
export const CORPUS_DIR = sharedPath('corpus');
export const haveShared =
  sharedAvailable('tests on real Vietnamese CA certificates', 'vn-pki', 'certs') &&
  sharedAvailable('tests on real signed PDFs', 'vn-pki', 'pdfs') &&
  sharedAvailable('tests on the shared corpus', 'corpus');

/** `describe` that skips, with a clear name, when the shared material is absent. */
export const describeShared: jest.Describe = haveShared ? describe : (describe.skip as jest.Describe);

export function loadCert(file: string): Certificate {
  const text = fs.readFileSync(path.join(CERTS_DIR, file), 'latin1');
  const certs = Certificate.fromPem(text);
  if (certs.length !== 1) throw new Error(`${file}: expected one certificate`);
  return certs[0]!;
}

export function certFiles(): string[] {
  return [
    ...fs.readdirSync(CERTS_DIR).filter((f) => f.endsWith('.crt')),
    ...fs.readdirSync(path.join(CERTS_DIR, 'ee-samples')).map((f) => `ee-samples/${f}`),
  ];
}

export interface PdfSignature {
  byteRange: number[];
  contents: Buffer;
  subFilter: string | null;
}

/**
 * Crude signature extraction for tests: every /ByteRange [a b c d] with the nearest /Contents <hex> and /SubFilter
 * in the same dictionary. Good enough for the corpus files that keep the signature dictionary uncompressed.
 */
export function extractSignatures(pdf: Buffer): PdfSignature[] {
  const text = pdf.toString('latin1');
  const ranges: number[][] = [];
  const brRe = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  for (let m = brRe.exec(text); m; m = brRe.exec(text)) ranges.push([Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])]);
  const out: PdfSignature[] = [];
  const re = /\/Contents\s*<([0-9A-Fa-f\s]+)>/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const hex = m[1]!.replace(/\s+/g, '');
    if (hex.length < 64) continue;
    const lt = m.index + m[0].indexOf('<');
    // The ByteRange whose gap is exactly this hex string belongs to it.
    const br = ranges.find((r) => r[0]! + r[1]! === lt && r[2] === m!.index + m![0].length) ?? [];
    const windowStart = Math.max(0, m.index - 3000);
    const windowEnd = Math.min(text.length, m.index + m[0].length + 3000);
    const around = text.slice(windowStart, m.index) + text.slice(m.index + m[0].length, windowEnd);
    const sf = /\/SubFilter\s*\/([A-Za-z0-9.#_-]+)/.exec(around);
    out.push({ byteRange: br, contents: Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex'), subFilter: sf ? sf[1]! : null });
  }
  return out;
}

/** The bytes a ByteRange covers. */
export function signedBytes(pdf: Buffer, br: number[]): Buffer {
  const [a, b, c, d] = br as [number, number, number, number];
  return Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
}
