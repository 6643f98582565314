import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from '../../server/cli/args';
import { run } from '../../server/cli/main';
import { CONTROL_FILE } from '../../server/service/control';
import { startServer } from '../../server/service/serve';
import { loadConfig } from '../../server/shared/config';
import type { Store } from '../../server/shared/types';
import { openStore } from '../../server/store/open';
import type { BatchReport, UnitSummary } from '../../worker/report';
import { fillPeriodStore, UNIT_A, UNIT_B, UNIT_C } from '../helpers/period-data';
import { docxText, pdfWords } from '../helpers/report-files';
import { dropSchema, freshSchema, postgresReachable, shownUrl, TEST_DATABASE_URL } from '../helpers/postgres';
import { Capture } from './helpers/reports';

/**
 * `kiemky report`: the report of a period from the store serve keeps — DATA_DIR's embedded database, or
 * DATABASE_URL's PostgreSQL — its figures those of /api/units for the range; through serve's control channel while
 * a serve holds the embedded database; usage errors as usage errors.
 */

async function cli(argv: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await run(argv, { stdout, stderr, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

async function filled(open: () => Promise<Store>): Promise<UnitSummary[]> {
  const store = await open();
  try {
    await fillPeriodStore(store);
    return await store.unitSummaries({ from: '2026-09', to: '2026-11' });
  } finally {
    await store.close();
  }
}

const readJson = (file: string): BatchReport => JSON.parse(fs.readFileSync(file, 'utf8')) as BatchReport;

describe('on the embedded store of a DATA_DIR', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-report-cli-'));
  const env = { DATA_DIR: dir };
  let dashboard: UnitSummary[];
  beforeAll(async () => {
    dashboard = await filled(() => openStore({ databaseUrl: null, dataDir: dir }));
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('writes the period\'s report, its figures the dashboard\'s, and says what it holds', async () => {
    const out = path.join(dir, 'ky.json');
    const res = await cli(['report', '--from', '09/2026', '--to', '2026-11', '--format', 'json', '--out', out], env);
    expect(res).toMatchObject({ code: 0, stdout: '' });
    expect(res.stderr).toContain(`Đã ghi báo cáo kỳ 2026-09 – 2026-11: 4 văn bản của 2 đơn vị → ${out}`);
    const report = readJson(out);
    expect(report.units).toEqual(dashboard);
    expect(report.documents).toHaveLength(4);
  }, 60_000);

  test('the Word draft by default, the PDF, and the leader\'s page with --summary: the real files, naming the units', async () => {
    const docx = path.join(dir, 'bao-cao.docx');
    const made = await cli(['report', '--from', '2026-09', '--to', '2026-11', '--out', docx, '--signer-name', 'Trần Thị Kiểm'], env);
    expect(made.code).toBe(0);
    const text = await docxText(fs.readFileSync(docx));
    for (const expected of [UNIT_A, UNIT_B, 'Trần Thị Kiểm']) expect({ expected, found: text.includes(expected) }).toEqual({ expected, found: true });
    expect(text).not.toContain(UNIT_C);
    const pdf = path.join(dir, 'bao-cao.pdf');
    expect((await cli(['report', '--from', '2026-09', '--to', '2026-11', '--format', 'pdf', '--unit', UNIT_B, '--out', pdf], env)).code).toBe(0);
    const page = path.join(dir, 'ty-le.pdf');
    expect((await cli(['report', '--summary', '--from', '2026-09', '--to', '2026-11', '--out', page], env)).code).toBe(0);
    for (const file of [pdf, page]) expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const draft = pdfWords(fs.readFileSync(pdf));
    if (draft !== null) {
      expect(draft).toContain(UNIT_B);
      expect(draft).not.toContain(UNIT_A);
    }
    // The leader's page shortens a long name to fit its column: the start of each is there.
    const leader = pdfWords(fs.readFileSync(page));
    if (leader !== null) for (const unit of [UNIT_A, UNIT_B]) expect(leader).toContain(unit.slice(0, 12));
  }, 120_000);

  test('--unit keeps to those units; a period without documents is a report of none', async () => {
    const out = path.join(dir, 'a.json');
    expect((await cli(['report', '--from', '2026-09', '--to', '2026-11', '--unit', UNIT_A, '--format', 'json', '--out', out], env)).code).toBe(0);
    expect(readJson(out).units.map((u) => u.unit)).toEqual([UNIT_A]);
    const none = await cli(['report', '--from', '2025-01', '--format', 'json', '--out', out], env);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('0 văn bản của 0 đơn vị');
    expect(readJson(out).documents).toEqual([]);
  }, 60_000);

  test('while a serve holds the database: the report comes through its control channel, the same report', async () => {
    const direct = path.join(dir, 'direct.json');
    expect((await cli(['report', '--from', '2026-09', '--to', '2026-11', '--format', 'json', '--out', direct], env)).code).toBe(0);
    const server = await startServer(loadConfig({ DATA_DIR: dir, PORT: '0', KIEMKY_CONCURRENCY: '1', KIEMKY_ADMIN_TOKEN: '' }), { handleSignals: false, log: () => undefined });
    try {
      expect(fs.existsSync(path.join(dir, CONTROL_FILE))).toBe(true);
      const out = path.join(dir, 'through-serve.json');
      const res = await cli(['report', '--from', '2026-09', '--to', '2026-11', '--format', 'json', '--out', out], env);
      expect(res.code).toBe(0);
      expect(res.stderr).toContain('qua kiemky serve đang chạy (cổng điều khiển 127.0.0.1:');
      const [a, b] = [readJson(direct), readJson(out)];
      expect({ units: b.units, totals: b.totals, documents: b.documents }).toEqual({ units: a.units, totals: a.totals, documents: a.documents });
      expect(b.units).toEqual(dashboard);
      // What serve refuses is said as it says it, and no file is left.
      const refused = await cli(['report', '--from', '2026-09', '--format', 'json', '--unit', 'x'.repeat(600), '--out', path.join(dir, 'no.json')], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('Yêu cầu không hợp lệ: unit');
      expect(fs.existsSync(path.join(dir, 'no.json'))).toBe(false);
    } finally {
      await server.close();
    }
    expect(fs.existsSync(path.join(dir, CONTROL_FILE))).toBe(false);
  }, 120_000);

  test('usage errors: no --from, a bad month, a reversed period, --summary in another format; no database in DATA_DIR', async () => {
    const usage = async (argv: string[], text: string): Promise<void> => {
      const res = await cli(['report', ...argv], env);
      expect({ argv, code: res.code }).toEqual({ argv, code: 2 });
      expect(res.stderr).toContain(text);
    };
    await usage(['--to', '2026-11', '--out', 'x.docx'], '--from');
    await usage(['--from', '2026-13', '--out', 'x.docx'], '2026-13');
    await usage(['--from', '2026-11', '--to', '2026-09', '--out', 'x.docx'], 'Kỳ báo cáo ngược');
    await usage(['--summary', '--from', '2026-11', '--format', 'docx', '--out', 'x.docx'], '--format');
    await usage(['--from', '2026-11', '--agency', 'a'.repeat(201), '--out', 'x.docx'], '--agency');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-report-cli-empty-'));
    try {
      const res = await cli(['report', '--from', '2026-11', '--out', path.join(empty, 'x.docx')], { DATA_DIR: empty });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('Chưa có cơ sở dữ liệu');
      expect(fs.existsSync(path.join(empty, 'db'))).toBe(false);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);

  test('the issuer options fill the report\'s header for check and report; --to defaults to --from; --summary is a PDF', () => {
    const check = parseArgs(['check', 'thang-11', '--format', 'docx', '--agency', ' UBND huyện Vạn Ninh ', '--signer-name', 'Nguyễn Văn An', '--place=Vạn Ninh']);
    expect(check).toMatchObject({ command: 'check', inputs: ['thang-11'], issuer: { agency: 'UBND huyện Vạn Ninh', signerName: 'Nguyễn Văn An', place: 'Vạn Ninh' } });
    const report = parseArgs(['report', '--from', '11/2026', '--parent-agency', 'UBND tỉnh Khánh Hòa', '--signer-title', 'Trưởng đoàn']);
    expect(report).toMatchObject({ command: 'report', from: '2026-11', to: '2026-11', format: 'docx', summary: false, units: [], issuer: { parentAgency: 'UBND tỉnh Khánh Hòa', signerTitle: 'Trưởng đoàn' } });
    expect(parseArgs(['report', '--summary', '--from', '2026-09', '--to', '2026-11', '--unit', UNIT_A])).toMatchObject({ summary: true, format: 'pdf', units: [UNIT_A] });
  });

  test('--help lists the command, Vietnamese first', async () => {
    const help = await cli(['--help'], env);
    expect(help.stdout).toContain('kiemky report --from THÁNG');
    expect(help.stdout).toContain('--signer-name');
  });
});

if (!postgresReachable()) {
  console.warn(`PostgreSQL unreachable at ${shownUrl()}: kiemky report on PostgreSQL is skipped (set KIEMKY_TEST_DATABASE_URL).`);
  test.skip('kiemky report on PostgreSQL (PostgreSQL unreachable)', () => undefined);
} else {
  describe('on PostgreSQL (DATABASE_URL)', () => {
    const schema = freshSchema();
    // The schema as the connection's search_path, as an operator would give it.
    const url = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-report-cli-pg-'));
    let dashboard: UnitSummary[];
    beforeAll(async () => {
      dashboard = await filled(() => openStore({ databaseUrl: TEST_DATABASE_URL, dataDir: dir, schema }));
    }, 120_000);
    afterAll(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      await dropSchema(schema);
    });

    test('reads the period from PostgreSQL, beside whatever holds DATA_DIR', async () => {
      const out = path.join(dir, 'ky.json');
      const res = await cli(['report', '--from', '2026-09', '--to', '2026-11', '--format', 'json', '--out', out], { DATA_DIR: dir, DATABASE_URL: url });
      expect(res.code).toBe(0);
      expect(readJson(out).units).toEqual(dashboard);
      expect(fs.existsSync(path.join(dir, 'db'))).toBe(false);
    }, 60_000);
  });
}
