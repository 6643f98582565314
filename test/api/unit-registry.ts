import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { ConfigError, loadConfig } from '../../server/shared/config';
import { startServer, type ServerHandle } from '../../server/service/serve';
import { loadTestPki, UNIT_NAMES, writeTrustStore } from '../../samples/lib/test-pki';
import { twoLayer } from '../../samples/scenarios-changes';
import type { DocumentReport } from '../../worker/report';
import type { Engine } from './clerk-units';
import { tempDir } from './helpers/fakes';

/**
 * The unit registry in the service (issue 20 item 3): UNITS_FILE stored at start, GET/PUT /api/admin/units, and a
 * document verified after a PUT judged with the new registry — on the real service (real verification, in-process
 * queue) over the store `open` gives.
 */

const ADMIN = 'kk_unit-registry-admin';
const UNIT = UNIT_NAMES[0];

export function defineUnitRegistrySuite(label: string, open: () => Promise<Engine>): void {
  describe(`unit registry on ${label}`, () => {
    const root = tempDir('kiemky-units-');
    const unitsFile = path.join(root, 'units.json');
    const trustDir = path.join(root, 'trust');
    let engine: Engine;
    let server: ServerHandle;
    const pki = loadTestPki();
    const auth = (r: request.Test): request.Test => r.set('Authorization', `Bearer ${ADMIN}`);

    async function verified(name: string, pdf: Buffer): Promise<DocumentReport> {
      return (await verifiedIn(name, pdf)).report;
    }

    async function verifiedIn(name: string, pdf: Buffer): Promise<{ report: DocumentReport; batchId: string }> {
      const posted = await auth(request(server.app).post('/api/batches')).attach('files', pdf, name);
      expect(posted.status).toBe(202);
      const deadline = Date.now() + 60_000;
      for (;;) {
        const res = await auth(request(server.app).get(`/api/batches/${posted.body.id}`));
        if (res.body.status === 'done') break;
        if (Date.now() > deadline) throw new Error('batch not done');
        await new Promise((r) => setTimeout(r, 100));
      }
      return { report: await batchDocument(posted.body.id as string), batchId: posted.body.id as string };
    }

    async function batchDocument(batchId: string): Promise<DocumentReport> {
      const report = await auth(request(server.app).get(`/api/batches/${batchId}/report`));
      return (report.body as { documents: DocumentReport[] }).documents[0]!;
    }

    async function until<T>(what: string, probe: () => Promise<T | null>): Promise<T> {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const got = await probe();
        if (got !== null) return got;
        if (Date.now() > deadline) throw new Error(what);
        await new Promise((r) => setTimeout(r, 250));
      }
    }

    beforeAll(async () => {
      engine = await open();
      writeTrustStore(trustDir, pki);
      fs.writeFileSync(unitsFile, JSON.stringify({ version: 2, units: [{ name: UNIT, aliases: ['Văn phòng (tệp)'], agencyCertificates: [] }] }));
      const env: Record<string, string> = { DATA_DIR: path.join(root, 'data'), CERTS_DIR: trustDir, KIEMKY_ADMIN_TOKEN: ADMIN, PORT: '0', KIEMKY_CONCURRENCY: '1', UNITS_FILE: unitsFile };
      if (engine.databaseUrl) env.DATABASE_URL = engine.databaseUrl;
      server = await startServer(loadConfig(env), { handleSignals: false, schema: engine.schema, log: () => undefined });
    });

    afterAll(async () => {
      await server?.close();
      await engine?.cleanup();
      fs.rmSync(root, { recursive: true, force: true });
    });

    test('UNITS_FILE is the registry after start; GET shows it with its version and source', async () => {
      const res = await auth(request(server.app).get('/api/admin/units'));
      expect(res.status).toBe(200);
      expect(res.body.source).toBe(`file:${unitsFile}`);
      expect(res.body.version).toMatch(/^[0-9a-f]{64}$/);
      expect(res.body.registry.units.map((u: { name: string }) => u.name)).toEqual([UNIT]);
    });

    test('a bad registry is refused with UNITS_INVALID and where, and changes nothing', async () => {
      const before = (await auth(request(server.app).get('/api/admin/units'))).body.version as string;
      const res = await auth(request(server.app).put('/api/admin/units')).send({ version: 2, units: [{ name: 'A', agencyCertificates: ['12'] }] });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('UNITS_INVALID');
      expect(res.body.error.message).toContain('units[0].agencyCertificates[0]');
      // Vietnamese first, the path the same in both so it can be found in the file.
      expect(res.body.error.message).toContain('không phải dấu vân tay SHA-256');
      expect(res.body.error.messageEn).toContain('units[0].agencyCertificates[0] is not a SHA-256 fingerprint');
      expect((await auth(request(server.app).get('/api/admin/units'))).body.version).toBe(before);
    });

    test('only an admin manages the registry', async () => {
      const tok = await auth(request(server.app).post('/api/tokens')).send({ role: 'inspector', label: 'i' });
      const res = await request(server.app).get('/api/admin/units').set('Authorization', `Bearer ${tok.body.token}`);
      expect(res.status).toBe(403);
    });

    test('a document verified after a PUT is judged with the new registry', async () => {
      const before = await verified('truoc.pdf', twoLayer(pki, 0, 301));
      expect(before.findings.map((f) => f.code)).not.toContain('SIGNER_NOT_IN_UNIT');

      const registry = { version: 2, units: [{ name: UNIT, agencyCertificates: [], signers: [{ name: 'Người Khác', title: 'Chủ tịch', from: '2000-01-01' }] }] };
      const put = await auth(request(server.app).put('/api/admin/units')).send(registry);
      expect(put.status).toBe(200);
      expect(put.body.source).toBe('api:KIEMKY_ADMIN_TOKEN');
      const got = await auth(request(server.app).get('/api/admin/units'));
      expect(got.body.registry.units[0].signers[0].name).toBe('Người Khác');
      expect(got.body.version).toBe(put.body.version);
      // The same registry again (fingerprints spelled otherwise would be too) is no new version: history keeps one.
      const again = await auth(request(server.app).put('/api/admin/units')).send(registry);
      expect(again.body).toEqual(put.body);

      const after = await verified('sau.pdf', twoLayer(pki, 0, 302));
      expect(after.findings.map((f) => f.code)).toContain('SIGNER_NOT_IN_UNIT');

      // The document verified before the PUT is judged again by the service itself, from its stored facts: it follows
      // the stored registry and re-judges what the previous one judged.
      const deadline = Date.now() + 60_000;
      let stored: DocumentReport;
      for (;;) {
        stored = (await auth(request(server.app).get(`/api/documents/${before.sha256}`))).body as DocumentReport;
        if (stored.findings.some((f) => f.code === 'SIGNER_NOT_IN_UNIT')) break;
        if (Date.now() > deadline) throw new Error('the document verified before the PUT was not judged again');
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(stored.judgedWith?.units).toBe(put.body.version);
      const history = await auth(request(server.app).get(`/api/documents/${before.sha256}/history`));
      expect(history.status).toBe(200);
      expect((history.body as { items: { reason: string }[] }).items.map((h) => h.reason)).toEqual(['verified', 'rejudged']);
    }, 120_000);

    test('a root withdrawn from the certs folder while the service runs: stored verdicts, batch rows and new documents follow, without a restart', async () => {
      const { report: before, batchId } = await verifiedIn('goc.pdf', twoLayer(pki, 1, 311));
      expect(before.checks.governmentCa).toBe(true);
      const rootFile = path.join(trustDir, 'government', 'TEST-BCY', 'rootca-test.pem');
      const saved = fs.readFileSync(rootFile);
      fs.rmSync(rootFile);
      try {
        const stored = await until('the stored document was not judged again after the root went', async () => {
          const r = (await auth(request(server.app).get(`/api/documents/${before.sha256}`))).body as DocumentReport;
          return r.checks.governmentCa ? null : r;
        });
        expect(stored.verdict).toBe('noncompliant');
        expect(stored.judgedWith?.trustStore).not.toBe(before.judgedWith?.trustStore);
        // The batch that holds it reports it as judged now.
        expect((await batchDocument(batchId)).verdict).toBe('noncompliant');
        // A document verified now is verified without the root.
        const fresh = await verified('sau-goc.pdf', twoLayer(pki, 1, 312));
        expect(fresh.checks.governmentCa).toBe(false);
        expect(fresh.findings.map((f) => f.code)).toContain('CA_UNTRUSTED');
      } finally {
        fs.writeFileSync(rootFile, saved);
      }
      // The root back: judged again, compliant again, and the history says what happened.
      await until('the stored document was not judged again after the root came back', async () => {
        const r = (await auth(request(server.app).get(`/api/documents/${before.sha256}`))).body as DocumentReport;
        return r.checks.governmentCa ? r : null;
      });
      const history = await auth(request(server.app).get(`/api/documents/${before.sha256}/history`));
      expect((history.body as { items: { verdict: string }[] }).items.map((h) => h.verdict)).toEqual([before.verdict, 'noncompliant', before.verdict]);
    }, 180_000);
  });
}

test('a UNITS_FILE that is not a registry stops the start', () => {
  const dir = tempDir('kiemky-units-bad-');
  const file = path.join(dir, 'units.json');
  fs.writeFileSync(file, JSON.stringify({ units: [{ name: 'A' }] }));
  expect(() => loadConfig({ UNITS_FILE: file })).toThrow(ConfigError);
  expect(() => loadConfig({ UNITS_FILE: file })).toThrow(/UNITS_FILE: .*units\.json: units\[0\] needs "name" and "agencyCertificates"/);
  expect(() => loadConfig({ UNITS_FILE: path.join(dir, 'none.json') })).toThrow(/cannot be read/);
});
