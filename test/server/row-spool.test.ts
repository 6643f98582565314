import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TempDir } from '../../server/shared/temp';
import { RowSpool, type Cell } from '../../server/report/row-spool';

/** The XLSX's rows wait on disk between the document that made them and the sheet that prints them. */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-spool-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function readAll(spool: RowSpool): Promise<Cell[][]> {
  const rows: Cell[][] = [];
  for await (const row of spool.rows()) rows.push(row);
  return rows;
}

test('rows come back whole and in order, whatever their cells hold, across many writes', async () => {
  const awkward: Cell[][] = [
    ['dòng 1\ndòng 2', 'CR\rLF\r\n', 'line\u2028separator\u2029paragraph', '"quoted", comma; semicolon'],
    ['Ủy ban nhân dân xã Vạn Thắng', null, 0, -1.5, ''],
    [],
    ['\\', '\t', '\u0000'],
  ];
  // Enough rows to be written to the file several times over (it writes about 64 KB at once).
  const many: Cell[][] = Array.from({ length: 5000 }, (_, i) => [`CV-${i}.pdf`, i, 'x'.repeat(i % 97), i % 3 === 0 ? null : i / 7]);
  const expected = [...awkward, ...many];
  const temp = new TempDir(dir);
  const spool = new RowSpool(temp, '.rows.jsonl');
  for (const row of expected) spool.push(row);
  expect(spool.count).toBe(expected.length);
  // Written as it goes, not held: the file is there, and large, before anything is read back.
  const [made] = fs.readdirSync(dir);
  expect(fs.statSync(path.join(dir, made!, '1.rows.jsonl')).size).toBeGreaterThan(64 * 1024);
  expect(await readAll(spool)).toEqual(expected);
  temp.remove();
});

test('a spool given no rows yields none and makes no folder', async () => {
  const spool = new RowSpool(new TempDir(dir), '.empty.jsonl');
  expect(await readAll(spool)).toEqual([]);
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('a few rows are read back without the spool having written them first', async () => {
  const temp = new TempDir(dir);
  const spool = new RowSpool(temp, '.few.jsonl');
  spool.push(['một', 1]);
  expect(fs.readdirSync(dir)).toEqual([]);
  expect(await readAll(spool)).toEqual([['một', 1]]);
  temp.remove();
});
