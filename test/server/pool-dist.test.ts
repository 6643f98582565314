import * as fs from 'node:fs';
import * as path from 'node:path';
import { twoLayer } from '../../samples/scenarios-changes';
import { factsOf } from '../../server/pool/facts-channel';
import { VerifyPool } from '../../server/pool/verify-pool';
import { fromFactsRecord } from '../../worker/facts-record';
import { testTrust } from '../helpers/test-trust';

/**
 * The compiled verification thread (dist/, what `kiemky serve` and `kiemky worker` run) with the real core: the
 * facts record crosses the thread boundary with the report, and a trust store reloaded by message is the one the
 * next job is judged with. ts-jest runs the pool in-process, so without this nothing tests the threads' side.
 * `npm test` builds dist/ first; run alone without a build, this file says so and skips.
 */

const THREAD = path.resolve(__dirname, '../../dist/server/pool/thread-main.js');
const built = fs.existsSync(THREAD);
if (!built) console.warn(`pool-dist: ${THREAD} not built (npm run build): the compiled thread is not tested`);
const maybe = built ? test : test.skip;
const { pki, dir } = testTrust();

maybe('a compiled thread keeps the facts with the report, and loads the trust store again when told', async () => {
  const pool = new VerifyPool({ certsDir: dir, threadScript: THREAD, jobs: 1, keepFacts: true });
  try {
    const first = await pool.verify({ fileName: 'a.pdf', data: twoLayer(pki, 0, 401) });
    expect(first.checks.governmentCa).toBe(true);
    const record = factsOf(first);
    expect(record).not.toBeNull();
    expect(fromFactsRecord(record!).sha256).toBe(first.sha256);
    expect(first.judgedWith?.trustStore).toMatch(/^[0-9a-f]{64}$/);

    fs.rmSync(path.join(dir, 'government', 'TEST-BCY', 'rootca-test.pem'));
    // Not told yet: the thread still judges with the store it loaded.
    expect((await pool.verify({ fileName: 'b.pdf', data: twoLayer(pki, 0, 402) })).checks.governmentCa).toBe(true);
    pool.reloadTrust();
    const after = await pool.verify({ fileName: 'c.pdf', data: twoLayer(pki, 0, 403) });
    expect(after.checks.governmentCa).toBe(false);
    expect(after.judgedWith?.trustStore).not.toBe(first.judgedWith?.trustStore);
  } finally {
    await pool.close();
  }
}, 60_000);
