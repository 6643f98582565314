import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from '../../server/cli/args';
import { loadConfig } from '../../server/shared/config';
import { run } from '../../server/cli/main';
import { factsStoreOf } from '../../server/queue/processor';
import { openStore } from '../../server/store/open';
import { LEADER_AT, makeUnitDocument, signAgency, signLeader } from '../../samples/scenarios';
import { loadTrustStore } from '../../worker/pki/trust-store';
import { storeVerified } from '../helpers/stored-facts';
import { testTrust } from '../helpers/test-trust';
import { Capture } from '../server/helpers/reports';

/**
 * `kiemky rejudge`: opens the store serve keeps (DATA_DIR's embedded database here) and judges its stored documents
 * again with the trust store of --certs, without their PDFs; says how many changed.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-rejudge-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const { pki, dir: trust } = testTrust();

test('a withdrawn root, judged again from the command line', async () => {
  const dataDir = path.join(dir, 'data');
  const store = await openStore({ databaseUrl: null, dataDir });
  const unit = pki.units[0]!;
  const pdf = signAgency(signLeader(makeUnitDocument({ unit: 0, so: 5, date: LEADER_AT }, unit.name), unit.leader), unit.agency);
  const { item } = await storeVerified(store, factsStoreOf(store)!, pdf, 'a.pdf', { trust: loadTrustStore(trust) }, new Date('2026-03-12T00:00:00Z'));
  await store.createBatch({ id: 'B7', source: 'upload', items: [item], findings: [], hasRegister: false, createdBy: null });
  await store.close();

  fs.rmSync(path.join(trust, 'government', 'TEST-BCY', 'rootca-test.pem'));
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await run(['rejudge', '--batch', 'B7', '--certs', trust, '--lang', 'en'], { stdout, stderr, env: { DATA_DIR: dataDir } });
  expect({ code, stderr: stderr.text }).toMatchObject({ code: 0, stderr: expect.stringContaining('Judged 1 stored documents again from their facts: 1 changed, 0 could not be judged') });

  const again = await openStore({ databaseUrl: null, dataDir });
  try {
    expect((await again.getDocument(item.sha256))?.verdict).toBe('noncompliant');
    expect((await factsStoreOf(again)!.verdictHistory(item.sha256)).map((h) => h.reason)).toEqual(['verified', 'rejudged']);
  } finally {
    await again.close();
  }
});

test('arguments: a batch or a period, not both; a period in order', () => {
  expect(parseArgs(['rejudge', '--from', '2026-01', '--to', '2026-03'])).toMatchObject({ command: 'rejudge', from: '2026-01', to: '2026-03', batch: null });
  expect(parseArgs(['rejudge', '--from', '03/2026'])).toMatchObject({ from: '2026-03', to: '2026-03' });
  expect(parseArgs(['rejudge'])).toMatchObject({ command: 'rejudge', from: null, batch: null });
  expect(() => parseArgs(['rejudge', '--batch', 'B', '--from', '2026-01'])).toThrow();
  expect(() => parseArgs(['rejudge', '--from', '2026-04', '--to', '2026-03'])).toThrow();
  expect(() => parseArgs(['rejudge', '--to', '2026-03'])).toThrow();
});

test('--revocation online fetches again; anything else is refused; the environment is the default', () => {
  expect(parseArgs(['rejudge', '--revocation', 'online'])).toMatchObject({ flags: { revocation: 'online' } });
  expect(() => parseArgs(['rejudge', '--revocation', 'sometimes'])).toThrow();
  expect(loadConfig({ KIEMKY_REVOCATION: 'online' }, {}).revocation).toBe('online');
  expect(loadConfig({ KIEMKY_REVOCATION: 'online' }, { revocation: 'offline' }).revocation).toBe('offline');
  expect(loadConfig({}).revocationRefreshHours).toBe(24);
  expect(loadConfig({ KIEMKY_REVOCATION_REFRESH_HOURS: '0' }).revocationRefreshHours).toBe(0);
  // Past 24 days a timer would fire at once (Node's 32-bit limit): refused instead.
  expect(() => loadConfig({ KIEMKY_REVOCATION_REFRESH_HOURS: '1000' })).toThrow(/KIEMKY_REVOCATION_REFRESH_HOURS/);
});
