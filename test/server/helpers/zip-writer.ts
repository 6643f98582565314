import * as zlib from 'node:zlib';
import { crc32 } from '../../../samples/lib/zip-writer';

export { crc32 };

/**
 * A tiny ZIP writer for tests, so archives with odd entries — `../evil.pdf`, nested archives, and the lies a broken
 * archive tells (a declared size that is not the real one, a local header that is not one) — can be built byte by
 * byte without a ZIP library that would refuse them. Entries are stored unless they ask for deflate.
 */
export interface ZipEntrySpec {
  name: string;
  data: Buffer | string;
  /** Default: store (or `defaultMethod` of buildZip). */
  method?: 'store' | 'deflate';
  /** Uncompressed size written in the headers, if not the real one. */
  declaredSize?: number;
  /** Replaces the entry's compressed bytes (garbage for a deflate stream, say). */
  rawData?: Buffer;
  /** Breaks the local header's signature. */
  badLocalHeader?: boolean;
}

export function buildZip(entries: ZipEntrySpec[], defaultMethod: 'store' | 'deflate' = 'store'): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = typeof e.data === 'string' ? Buffer.from(e.data) : e.data;
    const method = (e.method ?? defaultMethod) === 'store' ? 0 : 8;
    const body = e.rawData ?? (method === 8 ? zlib.deflateRawSync(data) : data);
    const size = e.declaredSize ?? data.length;
    const compressed = method === 0 ? size : body.length;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(e.badLocalHeader ? 0x04034b51 : 0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
