import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

/**
 * A minimal ZIP writer for the sample month and the benchmarks: STORE only, no data descriptors, no ZIP64. The project reads ZIPs with
 * yauzl but ships no writer, and a month of PDFs needs none of the rest. The CRC is shared with the tests' builder.
 */

let table: Uint32Array | null = null;
function crc32Table(data: Buffer): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// zlib.crc32 arrived in Node 20.15; the engines field allows any 20.
const zlibCrc = (zlib as unknown as { crc32?: (data: Buffer) => number }).crc32;
export const crc32 = (data: Buffer): number => (zlibCrc ? zlibCrc(data) : crc32Table(data));

/** 2026-11-30 00:00 in MS-DOS form: a fixed time, so the same files always pack to the same bytes. */
const DOS_TIME = 0;
const DOS_DATE = ((2026 - 1980) << 9) | (11 << 5) | 30;

interface CentralEntry {
  name: Buffer;
  crc: number;
  size: number;
  offset: number;
}

/** Packs the files (under their base names) into `file`, one at a time; returns the archive's size. */
export function writeStoredZip(file: string, inputs: string[]): number {
  // Plain ZIP fields are 16-bit counts and 32-bit sizes and offsets; 10,000 × 150 KB is far below both.
  if (inputs.length >= 0xffff) throw new Error(`${inputs.length} entries need ZIP64, which this writer does not do`);
  const part = `${file}.part`;
  const fd = fs.openSync(part, 'w');
  const central: CentralEntry[] = [];
  let offset = 0;
  const put = (buf: Buffer): void => {
    fs.writeSync(fd, buf);
    offset += buf.length;
  };
  try {
    for (const input of inputs) {
      const data = fs.readFileSync(input);
      const name = Buffer.from(path.basename(input), 'utf8');
      const entry: CentralEntry = { name, crc: crc32(data), size: data.length, offset };
      if (offset + 30 + name.length + data.length > 0xffffffff) throw new Error('the archive passes 4 GiB: it would need ZIP64');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0); // local file header
      local.writeUInt16LE(10, 4); // version needed: 1.0 (stored)
      local.writeUInt16LE(0x0800, 6); // flags: names are UTF-8
      local.writeUInt16LE(0, 8); // method: stored
      local.writeUInt16LE(DOS_TIME, 10);
      local.writeUInt16LE(DOS_DATE, 12);
      local.writeUInt32LE(entry.crc, 14);
      local.writeUInt32LE(entry.size, 18); // compressed size
      local.writeUInt32LE(entry.size, 22); // uncompressed size
      local.writeUInt16LE(name.length, 26);
      put(local);
      put(name);
      put(data);
      central.push(entry);
    }
    const cdOffset = offset;
    for (const e of central) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0); // central directory header
      h.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
      h.writeUInt16LE(10, 6);
      h.writeUInt16LE(0x0800, 8);
      h.writeUInt16LE(DOS_TIME, 12);
      h.writeUInt16LE(DOS_DATE, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(e.size, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
      h.writeUInt32LE(e.offset, 42);
      put(h);
      put(e.name);
    }
    const cdSize = offset - cdOffset;
    if (offset > 0xffffffff) throw new Error('the central directory passes 4 GiB: it would need ZIP64');
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0); // end of central directory
    end.writeUInt16LE(central.length, 8);
    end.writeUInt16LE(central.length, 10);
    end.writeUInt32LE(cdSize, 12);
    end.writeUInt32LE(cdOffset, 16);
    put(end);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(part, file);
  return offset;
}
