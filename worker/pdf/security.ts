import * as crypto from 'node:crypto';
import { PdfDict, PdfName, PdfString, type PdfValue } from './objects';
import { rc4 } from './rc4';
import type { EncryptionInfo } from './types';

/**
 * The Standard security handler, opened with the empty user password (how documents that merely restrict
 * printing or copying are distributed). Anything else is reported but not decrypted.
 */

type CryptMethod = 'none' | 'rc4' | 'aesv2' | 'aesv3';

const PASSWORD_PAD = Buffer.from(
  '28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a',
  'hex',
);

export interface Decryptor {
  info: EncryptionInfo;
  decryptString(data: Buffer, num: number, gen: number): Buffer;
  decryptStream(data: Buffer, num: number, gen: number, streamDict: PdfDict): Buffer;
}

export function openSecurityHandler(
  encrypt: PdfDict,
  id0: Buffer | null,
  resolve: (v: PdfValue | undefined) => PdfValue | undefined,
): Decryptor {
  const get = (k: string): PdfValue | undefined => resolve(encrypt.get(k));
  const num = (k: string): number | null => {
    const v = get(k);
    return typeof v === 'number' ? v : null;
  };
  const str = (k: string): Buffer | null => {
    const v = get(k);
    return v instanceof PdfString ? v.bytes : null;
  };
  const nm = (k: string): string | null => {
    const v = get(k);
    return v instanceof PdfName ? v.name : null;
  };
  const info: EncryptionInfo = { filter: nm('Filter'), subFilter: nm('SubFilter'), v: num('V'), r: num('R'), decrypted: false };
  const none: Decryptor = { info, decryptString: (d) => d, decryptStream: (d) => d };
  if (info.filter !== 'Standard') return none;

  const v = info.v ?? 0;
  const r = info.r ?? 0;
  const o = str('O');
  const u = str('U');
  const p = num('P');
  if (o === null || u === null || p === null) return none;
  const encryptMetadataValue = get('EncryptMetadata');
  const encryptMetadata = encryptMetadataValue !== false;

  let stmMethod: CryptMethod = 'rc4';
  let strMethod: CryptMethod = 'rc4';
  let keyLength = 5;
  if (v === 1) keyLength = 5;
  else if (v === 2) keyLength = clampKeyLength(num('Length'));
  if (v === 4 || v === 5) {
    const cf = get('CF');
    const methodOf = (filterName: string | null): CryptMethod => {
      if (filterName === null || filterName === 'Identity') return 'none';
      const entry = cf instanceof PdfDict ? resolve(cf.get(filterName)) : undefined;
      const cfm = entry instanceof PdfDict ? resolve(entry.get('CFM')) : undefined;
      const m = cfm instanceof PdfName ? cfm.name : 'None';
      if (m === 'V2') return 'rc4';
      if (m === 'AESV2') return 'aesv2';
      if (m === 'AESV3') return 'aesv3';
      return 'none';
    };
    stmMethod = methodOf(nm('StmF'));
    strMethod = methodOf(nm('StrF'));
    keyLength = v === 5 ? 32 : 16;
    if (v === 4) {
      const len = num('Length');
      if (len !== null) keyLength = clampKeyLength(len);
    }
  }
  if (v !== 1 && v !== 2 && v !== 4 && v !== 5) return none;

  let fileKey: Buffer | null;
  if (r >= 5) fileKey = aesv3FileKey(r, u, str('UE'));
  else fileKey = legacyFileKey(r, keyLength, o, p, id0 ?? Buffer.alloc(0), encryptMetadata, u);
  if (fileKey === null) return none;
  const key = fileKey;

  const objectKey = (method: CryptMethod, n: number, g: number): Buffer => {
    if (method === 'aesv3') return key;
    const h = crypto.createHash('md5');
    h.update(key);
    h.update(Buffer.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, g & 0xff, (g >> 8) & 0xff]));
    if (method === 'aesv2') h.update(Buffer.from('sAlT', 'latin1'));
    return h.digest().subarray(0, Math.min(key.length + 5, 16));
  };
  const run = (method: CryptMethod, data: Buffer, n: number, g: number): Buffer => {
    if (method === 'none') return data;
    const k = objectKey(method, n, g);
    if (method === 'rc4') return rc4(k, data);
    return aesCbcDecrypt(k, data);
  };

  return {
    info: { ...info, decrypted: true },
    decryptString: (data, n, g) => run(strMethod, data, n, g),
    decryptStream: (data, n, g, dict) => {
      const type = resolve(dict.get('Type'));
      if (type instanceof PdfName && type.name === 'XRef') return data;
      if (!encryptMetadata && type instanceof PdfName && type.name === 'Metadata') return data;
      if (hasIdentityCryptFilter(dict, resolve)) return data;
      return run(stmMethod, data, n, g);
    },
  };
}

function clampKeyLength(bits: number | null): number {
  if (bits === null) return 5;
  const bytes = bits >= 40 ? Math.floor(bits / 8) : bits; // some writers give bytes, not bits
  return Math.min(16, Math.max(5, bytes));
}

function hasIdentityCryptFilter(dict: PdfDict, resolve: (v: PdfValue | undefined) => PdfValue | undefined): boolean {
  const f = resolve(dict.get('Filter'));
  const list = Array.isArray(f) ? f : [f];
  if (!list.some((x) => x instanceof PdfName && x.name === 'Crypt')) return false;
  // A Crypt filter with no /Name, or /Name /Identity, leaves the stream in clear.
  const parms = resolve(dict.get('DecodeParms'));
  const plist = Array.isArray(parms) ? parms : [parms];
  for (const p of plist) {
    const d = resolve(p);
    if (d instanceof PdfDict) {
      const n = resolve(d.get('Name'));
      if (n instanceof PdfName && n.name !== 'Identity') return false;
    }
  }
  return true;
}

/** ISO 32000-1 Algorithm 2 with the empty password, checked against /U (Algorithms 4 and 5). */
function legacyFileKey(
  r: number,
  keyLength: number,
  o: Buffer,
  p: number,
  id0: Buffer,
  encryptMetadata: boolean,
  u: Buffer,
): Buffer | null {
  const h = crypto.createHash('md5');
  h.update(PASSWORD_PAD);
  h.update(o.subarray(0, 32));
  const pb = Buffer.alloc(4);
  pb.writeInt32LE(p | 0);
  h.update(pb);
  h.update(id0);
  if (r >= 4 && !encryptMetadata) h.update(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  let key: Buffer = h.digest();
  const n = r === 2 ? 5 : keyLength;
  if (r >= 3) for (let i = 0; i < 50; i++) key = crypto.createHash('md5').update(key.subarray(0, n)).digest();
  key = key.subarray(0, n);

  if (r === 2) {
    return rc4(key, PASSWORD_PAD).equals(u.subarray(0, 32)) ? key : null;
  }
  let x: Buffer = crypto.createHash('md5').update(PASSWORD_PAD).update(id0).digest();
  x = rc4(key, x);
  for (let i = 1; i <= 19; i++) {
    const k = Buffer.from(key.map((b) => b ^ i));
    x = rc4(k, x);
  }
  return x.subarray(0, 16).equals(u.subarray(0, 16)) ? key : null;
}

/** ISO 32000-2 7.6.4.3.3 (R6) / the Adobe extension level 3 variant (R5), empty password. */
function aesv3FileKey(r: number, u: Buffer, ue: Buffer | null): Buffer | null {
  if (u.length < 48 || ue === null || ue.length < 32) return null;
  const password = Buffer.alloc(0);
  const validationSalt = u.subarray(32, 40);
  const keySalt = u.subarray(40, 48);
  const hash = (salt: Buffer): Buffer => (r >= 6 ? hardenedHash(password, salt, Buffer.alloc(0)) : sha256(password, salt));
  if (!hash(validationSalt).equals(u.subarray(0, 32))) return null;
  const intermediate = hash(keySalt);
  const decipher = crypto.createDecipheriv('aes-256-cbc', intermediate, Buffer.alloc(16));
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(ue.subarray(0, 32)), decipher.final()]);
}

function sha256(...parts: Buffer[]): Buffer {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Algorithm 2.B of ISO 32000-2 (exported for tests that build R6 files). */
export function hardenedHash(password: Buffer, salt: Buffer, udata: Buffer): Buffer {
  let k: Buffer = sha256(password, salt, udata);
  let e: Buffer = Buffer.alloc(0);
  for (let round = 0; round < 64 || e[e.length - 1] > round - 32; round++) {
    const k1 = Buffer.concat(Array(64).fill(Buffer.concat([password, k, udata])) as Buffer[]);
    const cipher = crypto.createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32));
    cipher.setAutoPadding(false);
    e = Buffer.concat([cipher.update(k1), cipher.final()]);
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i];
    const alg = ['sha256', 'sha384', 'sha512'][sum % 3];
    k = crypto.createHash(alg).update(e).digest();
  }
  return k.subarray(0, 32);
}

/** AES-CBC with the IV as the first block; bad padding is tolerated (the data is then kept whole). */
function aesCbcDecrypt(key: Buffer, data: Buffer): Buffer {
  if (data.length < 16) return Buffer.alloc(0);
  const iv = data.subarray(0, 16);
  const body = data.subarray(16, 16 + Math.floor((data.length - 16) / 16) * 16);
  if (body.length === 0) return Buffer.alloc(0);
  const alg = key.length === 32 ? 'aes-256-cbc' : 'aes-128-cbc';
  const decipher = crypto.createDecipheriv(alg, key, iv);
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(body), decipher.final()]);
  const pad = plain[plain.length - 1];
  if (pad >= 1 && pad <= 16 && plain.subarray(plain.length - pad).every((b) => b === pad)) {
    return plain.subarray(0, plain.length - pad);
  }
  return plain;
}
