import { providerName } from '../../server/report/summary';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { run } from '../../server/cli/main';
import { formatXlsx } from '../../server/report/format-xlsx';
import { loadConfig } from '../../server/shared/config';
import { startServer, type ServerHandle } from '../../server/service/serve';
import { buildMonth } from '../../samples/month';
import { loadTestPki, writeTrustStore } from '../../samples/lib/test-pki';
import type { BatchReport, DocumentReport, Finding } from '../../worker/report';
import { schemaErrors } from '../helpers/schema';
import { Capture } from '../server/helpers/reports';
import { buildZip } from '../server/helpers/zip-writer';
import { tempDir } from './helpers/fakes';
import { sheetValues } from '../helpers/sheet-values';

/**
 * The service does what the CLI does: embedded `kiemky serve` (PGlite store, in-process queue, a fresh DATA_DIR), the
 * sample month uploaded as one ZIP with its register, the report fetched through the API — and it must say what
 * `kiemky check` says of the same files: the same documents, verdicts, checks, units, summaries and totals. The same
 * month dropped into EXPORT_DIR is taken by the export pull once and reports the same.
 */

const ADMIN = 'kk_e2e-admin-token';
const root = tempDir('kiemky-e2e-');
const monthDir = path.join(root, 'thang-11');
const trustDir = path.join(root, 'trust');
const exportDir = path.join(root, 'export');
const registerPath = path.join(monthDir, 'so-dang-ky.csv');
let server: ServerHandle;
let cli: BatchReport;
let api: BatchReport;
let zipPath: string;

const base = (file: string): string => path.basename(file.replace(/\\/g, '/'));
const auth = (r: request.Test): request.Test => r.set('Authorization', `Bearer ${ADMIN}`);

async function waitDone(id: string): Promise<{ status: string; total: number; done: number; errors: number }> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const res = await auth(request(server.app).get(`/api/batches/${id}`));
    expect(res.status).toBe(200);
    if (res.body.status === 'done') return res.body;
    if (Date.now() > deadline) throw new Error(`batch ${id} not done: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A document as compared: everything but where it came from (path) and when. */
function comparable(d: DocumentReport): unknown {
  return {
    file: base(d.file),
    sha256: d.sha256,
    size: d.size,
    unit: d.unit,
    register: d.register ?? null,
    verdict: d.verdict,
    error: d.error?.code ?? null,
    checks: d.checks,
    signatures: d.signatures,
    findings: d.findings.map((f) => ({ ...f, message: f.message })),
  };
}

const byName = (docs: DocumentReport[]): unknown[] => docs.map(comparable).sort((a, b) => ((a as { file: string }).file < (b as { file: string }).file ? -1 : 1));
const findings = (fs_: Finding[] | undefined): unknown[] => (fs_ ?? []).map((f) => ({ code: f.code, severity: f.severity, message: f.message })).sort((a, b) => (a.message < b.message ? -1 : 1));

beforeAll(async () => {
  const entries = buildMonth(monthDir, loadTestPki());
  writeTrustStore(trustDir, loadTestPki());
  expect(entries.length).toBeGreaterThan(20);
  // The export of the E-office system: one ZIP of the month's PDFs; the register goes beside it.
  const pdfs = fs.readdirSync(monthDir).filter((f) => /\.pdf$/i.test(f));
  zipPath = path.join(root, 'thang-11.zip');
  fs.writeFileSync(zipPath, buildZip(pdfs.map((f) => ({ name: `thang-11/${f}`, data: fs.readFileSync(path.join(monthDir, f)) }))));

  const stdout = new Capture();
  const code = await run(['check', monthDir, '--register', registerPath, '--certs', trustDir, '--format', 'json'], { stdout, stderr: new Capture() });
  expect(code).toBe(1);
  cli = JSON.parse(stdout.text) as BatchReport;

  fs.mkdirSync(exportDir);
  const cfg = loadConfig({ DATA_DIR: path.join(root, 'data'), CERTS_DIR: trustDir, KIEMKY_ADMIN_TOKEN: ADMIN, PORT: '0', KIEMKY_CONCURRENCY: '2', EXPORT_DIR: exportDir, KIEMKY_EXPORT_INTERVAL: '3600' });
  server = await startServer(cfg, { handleSignals: false, log: process.env.KK_DEBUG ? (m) => process.stderr.write(`[serve] ${m}\n`) : () => undefined });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('upload the month as one ZIP with its register; the API report equals kiemky check', async () => {
  const health = await request(`http://127.0.0.1:${server.port}`).get('/api/health');
  expect(health.status).toBe(200);

  const posted = await auth(request(server.app).post('/api/batches')).attach('files', zipPath).attach('register', registerPath);
  expect(posted.status).toBe(202);
  const status = await waitDone(posted.body.id as string);
  expect(status).toMatchObject({ status: 'done', total: cli.documents.length, done: cli.documents.length, errors: cli.documents.filter((d) => d.verdict === 'error').length });

  const res = await auth(request(server.app).get(`/api/batches/${posted.body.id}/report`));
  expect(res.status).toBe(200);
  api = res.body as BatchReport;
  const errors = schemaErrors(api);
  expect(errors).toEqual([]);

  expect(api.documents.map((d) => d.file)).toContain('thang-11.zip/thang-11/2026-11_van-phong_412.pdf');
  expect(byName(api.documents)).toEqual(byName(cli.documents));
  expect(api.units).toEqual(cli.units);
  expect(api.totals).toEqual(cli.totals);
  expect(findings(api.findings)).toEqual(findings(cli.findings));
  expect(findings(api.findings).length).toBeGreaterThan(0);

  // The workbook, streamed from the store through a spool in DATA_DIR/tmp: the cells of the JSON report's workbook.
  const xlsx = await auth(request(server.app).get(`/api/batches/${posted.body.id}/report?format=xlsx`))
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  expect(xlsx.status).toBe(200);
  expect(await sheetValues(xlsx.body as Buffer)).toEqual(await sheetValues(await formatXlsx(api, 'vi')));
  expect(fs.readdirSync(path.join(root, 'data', 'tmp')).filter((n) => n.startsWith('kiemky-'))).toEqual([]);
});

test('the unit summaries and providers the store counts in SQL are those kiemky check counts', async () => {
  const units = await auth(request(server.app).get('/api/units'));
  expect(units.status).toBe(200);
  expect(units.body).toEqual(cli.units);
  const providers = await auth(request(server.app).get('/api/providers'));
  expect(providers.status).toBe(200);
  const fromCli = cli.units.flatMap((u) => Object.entries(u.providers).map(([provider, documents]) => ({ unit: u.unit, provider, documents })));
  const key = (r: { unit: string | null; provider: string }): string => `${r.unit}\u0000${r.provider}`;
  const sorted = (rows: { unit: string | null; provider: string }[]): unknown[] => [...rows].sort((x, y) => (key(x) < key(y) ? -1 : 1));
  const rows = providers.body as Array<{ unit: string | null; provider: string; category: string; documents: number }>;
  expect(sorted(rows.map(({ category: _category, ...row }) => row))).toEqual(sorted(fromCli));
  // Each provider's category is the one its signatures were judged under.
  const categoryOf = new Map(cli.documents.flatMap((d) => d.signatures.map((s) => [providerName(s), s.ca.category] as const)));
  for (const row of rows) expect({ provider: row.provider, category: row.category }).toEqual({ provider: row.provider, category: categoryOf.get(row.provider) });
});

test('the stored documents, unit summaries and providers answer for the month', async () => {
  const doc = cli.documents.find((d) => d.verdict === 'compliant')!;
  const one = await auth(request(server.app).get(`/api/documents/${doc.sha256}`));
  expect(one.status).toBe(200);
  expect(one.body).toMatchObject({ sha256: doc.sha256, verdict: 'compliant', checks: doc.checks });

  const units = await auth(request(server.app).get('/api/units?from=2026-11&to=2026-11'));
  expect(units.status).toBe(200);
  expect(units.body.length).toBeGreaterThan(0);
  const providers = await auth(request(server.app).get('/api/providers'));
  expect(providers.status).toBe(200);
  expect(providers.body.some((p: { provider: string }) => p.provider === 'VNPT-CA')).toBe(true);

  const csv = await auth(request(server.app).get(`/api/batches/${((await auth(request(server.app).post('/api/batches')).attach('files', zipPath)).body as { id: string }).id}/report?format=csv&partial=1`));
  expect(csv.status).toBe(200);
  expect(csv.headers['content-type']).toContain('text/csv');
});

test('the same month dropped into EXPORT_DIR becomes one batch, once, and reports the same', async () => {
  fs.cpSync(monthDir, path.join(exportDir, 'thang-11'), { recursive: true });
  const puller = server.exportPuller!;
  const first = await puller.scanOnce();
  const second = await puller.scanOnce();
  const third = await puller.scanOnce();
  expect([first.length, second.length, third.length]).toEqual([0, 1, 0]);
  await waitDone(second[0]);
  const res = await auth(request(server.app).get(`/api/batches/${second[0]}/report`));
  const exported = res.body as BatchReport;
  expect(exported.documents.map((d) => d.file)).toContain('thang-11/2026-11_van-phong_412.pdf');
  expect(byName(exported.documents)).toEqual(byName(cli.documents));
  expect(exported.units).toEqual(cli.units);
  expect(exported.totals).toEqual(cli.totals);
  // The export's files stay where the E-office system put them.
  expect(fs.existsSync(path.join(exportDir, 'thang-11', 'so-dang-ky.csv'))).toBe(true);
});
