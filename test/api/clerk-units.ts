import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { loadConfig } from '../../server/shared/config';
import { startServer, type ServerHandle } from '../../server/service/serve';
import { loadTestPki, UNIT_NAMES, writeTrustStore } from '../../samples/lib/test-pki';
import { SCENARIOS } from '../../samples/scenarios';
import type { DocumentReport, Finding, UnitSummary } from '../../worker/report';
import { sheetValues } from '../helpers/sheet-values';
import { docxText, pdfWords } from '../helpers/report-files';
import { tempDir } from './helpers/fakes';

/**
 * A clerk's upload counts only for the clerk's units, as an attacker tries it: the clerk of unit A uploads (1) a
 * document with a register row naming unit B, (2) the exact bytes unit B uploaded, (3) documents signed by unit B's
 * agency — one B uploaded, one it did not — behind register rows naming A, and a register row copied from B's register.
 * Then every route a clerk can call is read as that clerk and searched for anything of unit B (its unit, file names,
 * register fields, figures); B's figures must be what they were for every role, B's clerk must see B's rows as before,
 * and the inspector and admin still see everything. The real service (`kiemky serve`: real verification, the in-process
 * queue) on the store `open` gives: embedded PGlite or PostgreSQL.
 */

export interface Engine {
  /** DATABASE_URL, or null for the embedded store in DATA_DIR. */
  databaseUrl: string | null;
  schema?: string;
  cleanup(): Promise<void>;
}

const ADMIN = 'kk_clerk-units-admin';
const A = UNIT_NAMES[0];
const B = UNIT_NAMES[1];

/** What unit B filed, and what the district's office filed for B: names, register cells. None may reach A's clerk. */
const B_FILES = ['B-mat-ke-hoach.pdf', 'B-chua-ky.pdf', 'B-hong.pdf'];
const B_CELLS = ['77/PVHTT-BMAT', '78/PVHTT-BMAT', '79/PVHTT-BMAT', 'riêng của phòng B', 'Lê Thị Bảo Mật'];
const B_BY_ADMIN = ['hon-hop-b', '81/PVHTT-BMAT', 'B-mat-rieng-2', '82/PVHTT-BMAT'];
const B_SECRETS = [...B_FILES.map((f) => f.replace(/\.pdf$/, '')), ...B_CELLS, ...B_BY_ADMIN];

const REGISTER_HEAD = 'Tên tệp,Số ký hiệu,Ngày ban hành,Trích yếu,Người ký,Đơn vị ban hành\r\n';
const B_REGISTER =
  REGISTER_HEAD +
  `B-mat-ke-hoach.pdf,77/PVHTT-BMAT,10/03/2026,Kế hoạch riêng của phòng B,Lê Thị Bảo Mật,${B}\r\n` +
  `B-chua-ky.pdf,78/PVHTT-BMAT,10/03/2026,Tờ trình riêng của phòng B,Lê Thị Bảo Mật,${B}\r\n` +
  `B-hong.pdf,79/PVHTT-BMAT,10/03/2026,Báo cáo riêng của phòng B,Lê Thị Bảo Mật,${B}\r\n`;
/** A district-wide upload (an admin's, as an export would be): a document of each unit, and a row of B's without a PDF. */
const MIXED_REGISTER =
  REGISTER_HEAD +
  `hon-hop-a.pdf,4/VP,10/03/2026,Văn bản chung,Nguyễn Văn Thử,${A}\r\n` +
  `hon-hop-b.pdf,81/PVHTT-BMAT,10/03/2026,Báo cáo riêng của phòng B,Lê Thị Bảo Mật,${B}\r\n` +
  `B-mat-rieng-2.pdf,82/PVHTT-BMAT,11/03/2026,Công văn riêng của phòng B,Lê Thị Bảo Mật,${B}\r\n`;
/** Line 2 names B; line 6 is B's own row, copied. */
const A_REGISTER =
  REGISTER_HEAD +
  `a-1.pdf,1/GIA,10/03/2026,Giả danh đơn vị khác,Nguyễn Văn Thử,${B}\r\n` +
  `a-2.pdf,2/VP,10/03/2026,Văn bản chưa ký,Nguyễn Văn Thử,${A}\r\n` +
  `a-3.pdf,3/VP,10/03/2026,Văn bản cơ quan khác ký,Nguyễn Văn Thử,${A}\r\n` +
  `a-5.pdf,5/VP,10/03/2026,Văn bản của đơn vị,Nguyễn Văn Thử,${A}\r\n` +
  `B-hong.pdf,79/PVHTT-BMAT,10/03/2026,Báo cáo riêng của phòng B,Lê Thị Bảo Mật,${B}\r\n`;

type Role = 'admin' | 'clerkA' | 'clerkB' | 'inspector' | 'leader';

/**
 * Every string of an answer that is not a signature's: the certificates of a file the clerk sent are what the
 * clerk sent (B's agency name is in them), the report around them is what kiemky says.
 */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) if (key !== 'signatures') strings(v, out);
  }
  return out;
}

/** Every `unit` a JSON answer names, anywhere in it. */
function units(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) units(v, out);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'unit') out.push(v);
      units(v, out);
    }
  }
  return out;
}

/** Fails naming the route when an answer to A's clerk holds anything of unit B. */
function expectNothingOfB(route: string, body: unknown, text?: string): void {
  const found = strings(body).filter((s) => s.includes(B) || B_SECRETS.some((secret) => s.includes(secret)));
  expect({ route, found }).toEqual({ route, found: [] });
  expect({ route, units: units(body).filter((u) => u === B) }).toEqual({ route, units: [] });
  // A file's text (CSV, workbook) names the certificates too: only B's filings are looked for there.
  if (text !== undefined) expect({ route, found: B_SECRETS.filter((s) => text.includes(s)) }).toEqual({ route, found: [] });
}

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

export function defineClerkUnitSuite(label: string, open: () => Promise<Engine>): void {
  describe(`a clerk's upload counts only for the clerk's units (${label})`, () => {
    let engine: Engine;
    let server: ServerHandle;
    const root = tempDir('kiemky-clerk-units-');
    const tok: Record<Role, string> = { admin: ADMIN, clerkA: '', clerkB: '', inspector: '', leader: '' };
    const pdf: Record<string, Buffer> = {};
    const sha: Record<string, string> = {};
    let batchA = '';
    let batchB = '';
    let batchMixed = '';
    let posted: unknown;
    /** B's figures as each role saw them before A's clerk uploaded anything. */
    const before: Partial<Record<Role, { units: UnitSummary[]; providers: unknown[] }>> = {};

    const get = (url: string, role: Role): request.Test => request(server.app).get(url).set('Authorization', `Bearer ${tok[role]}`);
    const upload = (role: Role, files: Array<[string, Buffer]>, register: string): request.Test => {
      let r = request(server.app).post('/api/batches').set('Authorization', `Bearer ${tok[role]}`);
      for (const [name, data] of files) r = r.attach('files', data, name);
      return r.attach('register', Buffer.from(`\ufeff${register}`, 'utf8'), 'so-dang-ky.csv');
    };
    async function waitDone(id: string, role: Role): Promise<void> {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const res = await get(`/api/batches/${id}`, role);
        expect(res.status).toBe(200);
        if (res.body.status === 'done') return;
        if (Date.now() > deadline) throw new Error(`batch ${id} not done: ${JSON.stringify(res.body)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const figuresOfB = async (role: Role): Promise<{ units: UnitSummary[]; providers: unknown[] }> => {
      const u = await get('/api/units', role);
      const p = await get('/api/providers', role);
      expect([u.status, p.status]).toEqual([200, 200]);
      return {
        units: (u.body as UnitSummary[]).filter((x) => x.unit === B),
        providers: (p.body as { unit: string }[]).filter((x) => x.unit === B),
      };
    };

    beforeAll(async () => {
      engine = await open();
      const pki = loadTestPki();
      const trustDir = path.join(root, 'trust');
      writeTrustStore(trustDir, pki);
      for (const name of ['compliant-two-layer-unit-0', 'compliant-two-layer-unit-1', 'leader-only', 'unsigned', 'agency-only', 'broken-not-pdf']) {
        const scenario = SCENARIOS.find((s) => s.name === name);
        if (!scenario) throw new Error(`no scenario ${name}`);
        pdf[name] = scenario.build(pki);
        sha[name] = crypto.createHash('sha256').update(pdf[name]).digest('hex');
      }
      const env: Record<string, string> = { DATA_DIR: path.join(root, 'data'), CERTS_DIR: trustDir, KIEMKY_ADMIN_TOKEN: ADMIN, PORT: '0', KIEMKY_CONCURRENCY: '1' };
      if (engine.databaseUrl) env.DATABASE_URL = engine.databaseUrl;
      server = await startServer(loadConfig(env), { handleSignals: false, schema: engine.schema, log: () => undefined });
      const issue = async (role: string, unit?: string): Promise<string> => {
        const res = await request(server.app).post('/api/tokens').set('Authorization', `Bearer ${ADMIN}`).send({ role, unit, label: role });
        expect(res.status).toBe(201);
        return res.body.token as string;
      };
      tok.clerkA = await issue('clerk', A);
      tok.clerkB = await issue('clerk', B);
      tok.inspector = await issue('inspector');
      tok.leader = await issue('leader');

      // Unit B files its month first: its agency's two-layer document, an unsigned one, an unreadable one.
      const b = await upload(
        'clerkB',
        [
          ['B-mat-ke-hoach.pdf', pdf['compliant-two-layer-unit-1']],
          ['B-chua-ky.pdf', pdf.unsigned],
          ['B-hong.pdf', pdf['broken-not-pdf']],
        ],
        B_REGISTER,
      );
      expect(b.status).toBe(202);
      batchB = b.body.id as string;
      await waitDone(batchB, 'clerkB');
      const mixed = await upload(
        'admin',
        [
          ['hon-hop-a.pdf', pdf['compliant-two-layer-unit-0']],
          ['hon-hop-b.pdf', pdf['broken-not-pdf']],
        ],
        MIXED_REGISTER,
      );
      expect(mixed.status).toBe(202);
      batchMixed = mixed.body.id as string;
      await waitDone(batchMixed, 'admin');
      for (const role of ['admin', 'inspector', 'leader', 'clerkB'] as const) before[role] = await figuresOfB(role);
      expect(before.admin?.units[0]).toMatchObject({ unit: B, documents: 3 });

      // A's clerk: (1) a row naming B, (2) B's exact unsigned bytes, (3) a document B's agency signed and B's own
      // two-layer document, under rows naming A or none, and A's own document.
      const a = await upload(
        'clerkA',
        [
          ['a-1.pdf', pdf['leader-only']],
          ['a-2.pdf', pdf.unsigned],
          ['a-3.pdf', pdf['agency-only']],
          ['a-4.pdf', pdf['compliant-two-layer-unit-1']],
          ['a-5.pdf', pdf['compliant-two-layer-unit-0']],
        ],
        A_REGISTER,
      );
      expect(a.status).toBe(202);
      posted = a.body;
      batchA = a.body.id as string;
      await waitDone(batchA, 'clerkA');
    });

    afterAll(async () => {
      await server?.close();
      await engine?.cleanup();
      fs.rmSync(root, { recursive: true, force: true });
    });

    test('the upload answers with the refused register row by its line number, and nothing of B', () => {
      expectNothingOfB('POST /api/batches', posted);
      const findings = (posted as { findings: Finding[] }).findings;
      expect(findings.map((f) => f.code)).toEqual(['REGISTER_ROW_OTHER_UNIT']);
      expect(findings[0]).toMatchObject({ severity: 'warning', signature: null });
      expect(findings[0].message).toBe(
        'Dòng 6 của sổ đăng ký ghi đơn vị ban hành không thuộc đơn vị của mã truy cập đã tải lên: dòng này không được áp dụng (văn thư chỉ báo cáo văn bản của đơn vị mình).',
      );
      expect(findings[0].messageEn).toMatch(/^Register line 6 names an issuing unit outside/);
    });

    test("A's batch report: every row A's own, the refused ones saying why, nothing of B in any format", async () => {
      const json = await get(`/api/batches/${batchA}/report`, 'clerkA');
      expect(json.status).toBe(200);
      expectNothingOfB('report json', json.body);
      const docs = json.body.documents as DocumentReport[];
      const byFile = Object.fromEntries(docs.map((d) => [d.file, d]));
      expect(docs.map((d) => [d.file, d.unit])).toEqual([
        ['a-1.pdf', A],
        ['a-2.pdf', A],
        ['a-3.pdf', null],
        ['a-4.pdf', null],
        ['a-5.pdf', A],
      ]);
      const codes = (file: string): string[] => byFile[file].findings.map((f) => f.code);
      // (1) The row naming B is not applied: no register fields, a finding instead of "not in the register".
      expect(byFile['a-1.pdf'].register).toBeUndefined();
      expect(codes('a-1.pdf')).toContain('REGISTER_ROW_OTHER_UNIT');
      expect(codes('a-1.pdf')).not.toContain('DOCUMENT_NOT_IN_REGISTER');
      // (2) B's exact bytes: A's row, A's register row.
      expect(byFile['a-2.pdf'].register).toMatchObject({ number: '2/VP', unit: A });
      // (3) B's agency's documents count for nobody here, whatever A's register says.
      for (const file of ['a-3.pdf', 'a-4.pdf']) {
        expect(codes(file)).toContain('AGENCY_SIGNATURE_OTHER_UNIT');
        expect(byFile[file].register).toBeUndefined();
        const refusal = byFile[file].findings.find((f) => f.code === 'AGENCY_SIGNATURE_OTHER_UNIT')!;
        expect(refusal.message).toMatch(/chữ ký số của cơ quan, tổ chức không thuộc đơn vị/);
        expect(refusal.messageEn).toMatch(/counts it for no unit/);
      }
      expect(json.body.findings.map((f: Finding) => f.code)).toEqual(['REGISTER_ROW_OTHER_UNIT']);
      expect(json.body.units.map((u: UnitSummary) => u.unit)).toEqual([A, null]);

      const csv = await get(`/api/batches/${batchA}/report?format=csv&lang=en`, 'clerkA');
      expect(csv.status).toBe(200);
      expectNothingOfB('report csv', {}, csv.text);
      const xlsx = await get(`/api/batches/${batchA}/report?format=xlsx`, 'clerkA').buffer(true).parse(binary);
      expect(xlsx.status).toBe(200);
      expectNothingOfB('report xlsx', {}, JSON.stringify(await sheetValues(xlsx.body as Buffer)));
    });

    test("a document is shown to A's clerk only through A's own rows; B's rows answer as bytes never uploaded", async () => {
      const own = async (name: string): Promise<DocumentReport> => {
        const res = await get(`/api/documents/${sha[name]}`, 'clerkA');
        expect({ name, status: res.status }).toEqual({ name, status: 200 });
        expectNothingOfB(`document ${name}`, res.body);
        return res.body as DocumentReport;
      };
      expect(await own('unsigned')).toMatchObject({ file: 'a-2.pdf', unit: A, register: { number: '2/VP' } });
      expect(await own('compliant-two-layer-unit-1')).toMatchObject({ file: 'a-4.pdf', unit: null });
      expect(await own('leader-only')).toMatchObject({ file: 'a-1.pdf', unit: A });

      // B's unreadable file was never A's: the answer is the one for a hash nobody uploaded, but for the hash.
      const theirs = await get(`/api/documents/${sha['broken-not-pdf']}`, 'clerkA');
      const nobody = await get(`/api/documents/${'0'.repeat(64)}`, 'clerkA');
      expect([theirs.status, nobody.status]).toEqual([404, 404]);
      expect(JSON.stringify(theirs.body).replaceAll(sha['broken-not-pdf'], 'H')).toBe(JSON.stringify(nobody.body).replaceAll('0'.repeat(64), 'H'));
      expect(theirs.body.error.code).toBe('DOCUMENT_NOT_FOUND');

      // B's batch is, to A's clerk, a batch that does not exist — its status, its report.
      for (const suffix of ['', '/report']) {
        const res = await get(`/api/batches/${batchB}${suffix}`, 'clerkA');
        const none = await get(`/api/batches/no-such-batch${suffix}`, 'clerkA');
        expect([res.status, none.status]).toEqual([404, 404]);
        expect(JSON.stringify(res.body).replaceAll(batchB, 'ID')).toBe(JSON.stringify(none.body).replaceAll('no-such-batch', 'ID'));
      }
      // A batch of both units: A's clerk sees A's row of it, counted alone, and none of its findings (they name B's).
      const mixed = await get(`/api/batches/${batchMixed}`, 'clerkA');
      expect(mixed.body).toMatchObject({ status: 'done', total: 1, done: 1, errors: 0 });
      const mixedReport = await get(`/api/batches/${batchMixed}/report`, 'clerkA');
      expectNothingOfB('mixed report', mixedReport.body);
      expect(mixedReport.body.documents.map((d: DocumentReport) => [d.file, d.unit])).toEqual([['hon-hop-a.pdf', A]]);
      expect(mixedReport.body.findings).toEqual([]);
      const mixedCsv = await get(`/api/batches/${batchMixed}/report?format=csv`, 'clerkA');
      expectNothingOfB('mixed csv', {}, mixedCsv.text);
      expect((await get(`/api/batches/${batchMixed}`, 'inspector')).body).toMatchObject({ total: 2, done: 2, errors: 1 });

      const status = await get(`/api/batches/${batchA}`, 'clerkA');
      expect(status.body).toMatchObject({ status: 'done', total: 5, done: 5 });
      expectNothingOfB('batch status', status.body);
      expectNothingOfB('me', (await get('/api/me', 'clerkA')).body);
    });

    test("A's clerk's report of a period, and leader's page, hold nothing of B", async () => {
      const json = await get('/api/reports?from=2026-01&to=2026-12&format=json', 'clerkA');
      expect(json.status).toBe(200);
      expectNothingOfB('period report', json.body);
      expect(json.body.units).toEqual((await get('/api/units?from=2026-01&to=2026-12', 'clerkA')).body);
      const asked = await get(`/api/reports?from=2026-01&to=2026-12&format=json&unit=${encodeURIComponent(B)}`, 'clerkA');
      expect(asked.body.documents).toEqual([]);
      const docx = await get('/api/reports?from=2026-01&to=2026-12', 'clerkA').buffer(true).parse(binary);
      expect(docx.status).toBe(200);
      const text = await docxText(docx.body as Buffer);
      expect(text).toContain(A);
      expectNothingOfB('period report (docx)', {}, text);
      expect(text).not.toContain(B);
      const page = await get('/api/reports/summary?from=2026-01&to=2026-12', 'clerkA').buffer(true).parse(binary);
      expect(page.status).toBe(200);
      const words = pdfWords(page.body as Buffer, "the leader's page of a clerk");
      if (words !== null) expect(words).not.toContain(B.slice(0, 12));
    });

    test("A's clerk gets A's figures only; B's figures are what they were, for every role", async () => {
      for (const url of ['/api/units', '/api/units?from=2026-01&to=2026-12', '/api/providers', '/api/providers?from=2026-03&to=2026-03']) {
        const res = await get(url, 'clerkA');
        expect({ url, status: res.status }).toEqual({ url, status: 200 });
        expectNothingOfB(url, res.body);
        expect({ url, units: [...new Set((res.body as { unit: string }[]).map((x) => x.unit))] }).toEqual({ url, units: [A] });
      }
      const unitsA = (await get('/api/units', 'clerkA')).body as UnitSummary[];
      // a-1, a-2 and a-5 count for A; B's agency's documents for no one.
      expect(unitsA[0]).toMatchObject({ unit: A, documents: 3, compliant: 1 });
      for (const role of ['admin', 'inspector', 'leader', 'clerkB'] as const) {
        expect({ role, figures: await figuresOfB(role) }).toEqual({ role, figures: before[role] });
      }
      const all = (await get('/api/units', 'inspector')).body as UnitSummary[];
      expect(all.map((u) => [u.unit, u.documents])).toEqual([
        [B, 3],
        [A, 3],
      ]);
    });

    test("B's clerk still sees B's rows, and none of A's rows of the same bytes", async () => {
      const doc = await get(`/api/documents/${sha.unsigned}`, 'clerkB');
      expect(doc.body).toMatchObject({ file: 'B-chua-ky.pdf', unit: B, register: { number: '78/PVHTT-BMAT' } });
      const report = await get(`/api/batches/${batchB}/report`, 'clerkB');
      expect(report.body.documents.map((d: DocumentReport) => d.file)).toEqual(B_FILES.slice().sort());
      expect(JSON.stringify(report.body)).not.toMatch(/a-[1-5]\.pdf|1\/GIA|2\/VP/);
      expect((await get(`/api/batches/${batchA}`, 'clerkB')).status).toBe(404);
      expect((await get(`/api/documents/${sha['agency-only']}`, 'clerkB')).status).toBe(404);
    });

    test('the inspector and the admin see everything, as before', async () => {
      for (const role of ['inspector', 'admin'] as const) {
        const a = await get(`/api/batches/${batchA}/report`, role);
        expect(a.body.documents).toHaveLength(5);
        expect(a.body.findings.map((f: Finding) => f.code)).toEqual(['REGISTER_ROW_OTHER_UNIT']);
        const b = await get(`/api/batches/${batchB}/report`, role);
        expect(b.body.documents.map((d: DocumentReport) => [d.file, d.unit, d.register?.number])).toEqual([
          ['B-chua-ky.pdf', B, '78/PVHTT-BMAT'],
          ['B-hong.pdf', B, '79/PVHTT-BMAT'],
          ['B-mat-ke-hoach.pdf', B, '77/PVHTT-BMAT'],
        ]);
        // The document as verified, under the name it was first verified under.
        const doc = await get(`/api/documents/${sha['broken-not-pdf']}`, role);
        expect(doc.body).toMatchObject({ file: 'B-hong.pdf', sha256: sha['broken-not-pdf'], verdict: 'error' });
        expect((await get(`/api/batches/${batchB}`, role)).body).toMatchObject({ total: 3, done: 3 });
      }
      expect((await get(`/api/batches/${batchB}`, 'leader')).body).toMatchObject({ total: 3, done: 3 });
    });
  });
}
