/**
 * `npm run bench:hostile`: hostile uploads (register and ZIP bombs) against a real `kiemky serve`, one fresh server per
 * case, with what each one costs: the answer (status and code), its time, the server's peak RSS (VmRSS sampled every
 * 100 ms), the slowest /api/health answer while the upload ran (polled every 50 ms), and what was left on disk.
 *
 *   - a 100 MB CSV register of one cell;
 *   - a 212 MB CSV register of 2,000,000 rows;
 *   - an XLSX register of 2,000,000 rows (inline strings, deflated);
 *   - a CSV register of 200,000 rows, the default row limit's month, with a PDF — accepted;
 *   - a 1 MB ZIP that expands to 1 GB (16 distinct entries of 64 MB, nearly all zeros).
 *
 * The inputs are made once under samples/out/hostile/ (none is committed). Options: --bin PATH (another build's
 * bin/kiemky.js: before and after on one machine state), --only NAME[,NAME], --keep (keep the inputs).
 * Prints one line per case and a JSON summary; exits 0 (it measures, it does not judge).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { crc32 } from '../samples/lib/zip-writer';
import { KIEMKY, log, ROOT, runMain } from './inputs';

const DIR = path.join(ROOT, 'samples', 'out', 'hostile');
const TOKEN = 'kk_hostile-bench';

/** A ZIP of deflated entries, written as it goes (each entry's bytes are in memory once). */
function writeDeflatedZip(file: string, entries: Array<{ name: string; data: () => Buffer }>): void {
  const fd = fs.openSync(file, 'w');
  const central: Buffer[] = [];
  let offset = 0;
  const put = (b: Buffer): void => {
    fs.writeSync(fd, b);
    offset += b.length;
  };
  for (const e of entries) {
    const data = e.data();
    const body = zlib.deflateRawSync(data, { level: 9 });
    const name = Buffer.from(e.name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const at = offset;
    put(local);
    put(name);
    put(body);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(at, 42);
    central.push(c, name);
  }
  const start = offset;
  for (const b of central) put(b);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(offset - start, 12);
  end.writeUInt32LE(start, 16);
  put(end);
  fs.closeSync(fd);
}

const HEADER = 'Tên tệp,Số ký hiệu,Ngày ban hành,Trích yếu,Người ký,Đơn vị ban hành\r\n';

function csvRegister(file: string, rows: number): void {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, HEADER);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `2026-11_${String(i).padStart(7, '0')}.pdf,${i}/UBND-VP,05/11/2026,Về việc triển khai thực hiện ký số hai lớp đối với văn bản đi số ${i},Nguyễn Văn A,UBND xã Vạn Thắng\r\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
}

/** Rows as short as a register's can be ("a.pdf,1"): 2,000,000 of them stay under the byte limit. */
function shortCsvRegister(file: string, rows: number): void {
  const lines: string[] = ['Tệp,Số\n'];
  for (let i = 0; i < rows; i++) lines.push(`${i}.pdf,${i}\n`);
  fs.writeFileSync(file, lines.join(''));
}

function xlsxRegister(file: string, rows: number): void {
  const cell = (ref: string, text: string): string => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
  const parts: string[] = [];
  parts.push('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>');
  parts.push(`<row r="1">${cell('A1', 'Tên tệp')}${cell('B1', 'Số ký hiệu')}${cell('C1', 'Trích yếu')}</row>`);
  for (let i = 0; i < rows; i++) {
    const r = i + 2;
    parts.push(`<row r="${r}">${cell(`A${r}`, `2026-11_${i}.pdf`)}${cell(`B${r}`, `${i}/UBND-VP`)}${cell(`C${r}`, `Về việc ký số văn bản đi số ${i}`)}</row>`);
  }
  parts.push('</sheetData></worksheet>');
  const sheet = Buffer.from(parts.join(''));
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  writeDeflatedZip(file, [
    { name: '_rels/.rels', data: () => Buffer.from(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`) },
    { name: 'xl/workbook.xml', data: () => Buffer.from(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${rel}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`) },
    { name: 'xl/_rels/workbook.xml.rels', data: () => Buffer.from(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`) },
    { name: 'xl/worksheets/sheet1.xml', data: () => sheet },
  ]);
}

const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

interface Case {
  name: string;
  make: () => string;
  /** curl -F arguments for the inputs. */
  form: (input: string) => string[];
}

function ensure(file: string, make: (f: string) => void): string {
  if (!fs.existsSync(file)) {
    log(`making ${path.basename(file)}`);
    make(`${file}.part`);
    fs.renameSync(`${file}.part`, file);
  }
  return file;
}

const pdfFile = (): string => ensure(path.join(DIR, '2026-11_0000000.pdf'), (f) => fs.writeFileSync(f, PDF));

const CASES: Case[] = [
  {
    name: 'csv-one-cell-100MB',
    make: () => ensure(path.join(DIR, 'one-cell.csv'), (f) => fs.writeFileSync(f, Buffer.alloc(100 * 1024 * 1024, 0x61))),
    form: (input) => ['-F', `files=@${pdfFile()}`, '-F', `register=@${input};filename=so-dang-ky.csv`],
  },
  {
    name: 'csv-2M-rows',
    make: () => ensure(path.join(DIR, 'rows-2m.csv'), (f) => csvRegister(f, 2_000_000)),
    form: (input) => ['-F', `files=@${pdfFile()}`, '-F', `register=@${input};filename=so-dang-ky.csv`],
  },
  {
    name: 'csv-2M-short-rows',
    make: () => ensure(path.join(DIR, 'rows-2m-short.csv'), (f) => shortCsvRegister(f, 2_000_000)),
    form: (input) => ['-F', `files=@${pdfFile()}`, '-F', `register=@${input};filename=so-dang-ky.csv`],
  },
  {
    name: 'xlsx-2M-rows',
    make: () => ensure(path.join(DIR, 'rows-2m.xlsx'), (f) => xlsxRegister(f, 2_000_000)),
    form: (input) => ['-F', `files=@${pdfFile()}`, '-F', `register=@${input};filename=so-dang-ky.xlsx`],
  },
  {
    name: 'csv-200k-rows-accepted',
    make: () => ensure(path.join(DIR, 'rows-200k.csv'), (f) => csvRegister(f, 199_999)),
    form: (input) => ['-F', `files=@${pdfFile()}`, '-F', `register=@${input};filename=so-dang-ky.csv`],
  },
  {
    name: 'zip-1MB-to-1GB',
    make: () =>
      ensure(path.join(DIR, 'bomb.zip'), (f) =>
        // Each entry differs in its first byte: identical ones would be stored once (blobs are content-addressed).
        writeDeflatedZip(f, Array.from({ length: 16 }, (_, i) => ({ name: `thang-11/${i}.pdf`, data: () => Buffer.alloc(64 * 1024 * 1024).fill(i, 0, 1) }))),
      ),
    form: (input) => ['-F', `files=@${input};filename=thang-11.zip`],
  },
];

function rssKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function get(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve(0);
    });
    req.on('error', () => resolve(0));
  });
}

function duKb(dir: string): number {
  const out = spawnSync('du', ['-sk', dir], { encoding: 'utf8' });
  return Number(out.stdout.split('\t')[0]) || 0;
}

async function runCase(c: Case, bin: string, port: number): Promise<Record<string, unknown>> {
  const input = c.make();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-hostile-'));
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, KIEMKY_ADMIN_TOKEN: TOKEN, KIEMKY_CONCURRENCY: '1', REDIS_URL: '', DATABASE_URL: '', EXPORT_DIR: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; (await get(`${base}/api/health`, 1000)) !== 200; i++) {
      // A fresh embedded database takes a while to make on a busy machine.
      if (i > 1200) throw new Error(`server did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const pid = child.pid ?? 0;
    const before = rssKb(pid, 'VmRSS');
    let peak = before;
    let running = true;
    const sampler = (async () => {
      while (running) {
        peak = Math.max(peak, rssKb(pid, 'VmRSS'));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    let slowest = 0;
    let unanswered = 0;
    const prober = (async () => {
      while (running) {
        const t0 = performance.now();
        const status = await get(`${base}/api/health`, 60_000);
        const ms = performance.now() - t0;
        if (status !== 200) unanswered++;
        slowest = Math.max(slowest, ms);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const t0 = performance.now();
    const bodyFile = path.join(dataDir, 'answer.json');
    // Not spawnSync: the probes and the sampler run in this process's event loop meanwhile.
    const curl = await new Promise<{ stdout: string }>((resolve) => {
      const p = spawn('curl', ['-s', '-o', bodyFile, '-w', '%{http_code}', '-H', `Authorization: Bearer ${TOKEN}`, ...c.form(input), `${base}/api/batches`], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.on('close', () => resolve({ stdout: out }));
    });
    const seconds = (performance.now() - t0) / 1000;
    running = false;
    await Promise.all([sampler, prober]);
    let code = '';
    let findings = 0;
    try {
      const body = JSON.parse(fs.readFileSync(bodyFile, 'utf8')) as { error?: { code: string; message: string }; findings?: unknown[] };
      code = body.error ? `${body.error.code}: ${body.error.message}` : 'accepted';
      findings = body.findings?.length ?? 0;
    } catch {
      code = child.exitCode !== null || child.signalCode !== null ? `(no answer: the server died, ${child.signalCode ?? child.exitCode})` : '(no JSON answer)';
    }
    fs.rmSync(bodyFile, { force: true });
    // After the answer: what the server still holds, and what the upload left on disk.
    await new Promise((r) => setTimeout(r, 2000));
    return {
      case: c.name,
      inputMB: +(fs.statSync(input).size / 1048576).toFixed(1),
      status: Number(curl.stdout),
      code,
      findings,
      seconds: +seconds.toFixed(1),
      rssBeforeMB: Math.round(before / 1024),
      peakRssMB: Math.round(peak / 1024),
      rssAfterMB: Math.round(rssKb(pid, 'VmRSS') / 1024),
      slowestHealthMs: Math.round(slowest),
      healthFailures: unanswered,
      dataDirMB: Math.round(duKb(dataDir) / 1024),
    };
  } finally {
    // A server that died under the upload (an old build out of memory) has exited already.
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const bin = path.resolve(value('--bin') ?? KIEMKY);
  const only = value('--only')?.split(',');
  fs.mkdirSync(DIR, { recursive: true });
  const results: Record<string, unknown>[] = [];
  try {
    for (const c of CASES) {
      if (only && !only.includes(c.name)) continue;
      const result = await runCase(c, bin, 18_600 + results.length);
      log(JSON.stringify(result));
      results.push(result);
    }
  } finally {
    if (!argv.includes('--keep')) fs.rmSync(DIR, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify({ bin, results })}\n`);
  return 0;
}

runMain(main);
