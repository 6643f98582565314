import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { CsvParser } from './csv';
import { DEFAULT_REGISTER_LIMITS, RegisterLimitError, type RegisterLimits } from '../shared/register-limits';
import { RegisterRowsBuilder, type RegisterRow } from './table';
import { readXlsxRows } from './xlsx';

export type { RegisterRow } from './table';
export { RegisterFormatError } from './table';
export { RegisterLimitError } from '../shared/register-limits';

/** A CSV read from this many bytes at a time: between two chunks the event loop is free. */
const CHUNK = 64 * 1024;

async function isZip(file: string): Promise<boolean> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x50 && head[1] === 0x4b;
  } finally {
    await fh.close();
  }
}

async function readCsvRows(file: string, limits: RegisterLimits, builder: RegisterRowsBuilder): Promise<void> {
  const parser = new CsvParser((cells, line) => builder.row(line, cells), limits.maxCellChars);
  const decoder = new StringDecoder('utf8');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK })) {
    const data = chunk as Buffer;
    // The file may have grown since it was measured.
    bytes += data.length;
    if (bytes > limits.maxBytes) throw new RegisterLimitError('bytes', limits.maxBytes);
    parser.push(decoder.write(data));
  }
  parser.push(decoder.end());
  parser.end();
}

/**
 * Reads a register file, XLSX by its extension (or its ZIP signature), CSV otherwise, as a stream: rows are turned
 * into register rows as they are read, and a register over its limits is refused (RegisterLimitError) as soon as
 * that is known, with nothing more read.
 */
export async function readRegister(file: string, limits: RegisterLimits = DEFAULT_REGISTER_LIMITS): Promise<RegisterRow[]> {
  const { size } = await fs.promises.stat(file);
  if (size > limits.maxBytes) throw new RegisterLimitError('bytes', limits.maxBytes);
  const builder = new RegisterRowsBuilder(limits);
  if (/\.xlsx$/i.test(file) || (await isZip(file))) await readXlsxRows(file, limits, builder);
  else await readCsvRows(file, limits, builder);
  return builder.finish();
}
