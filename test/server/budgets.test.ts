import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { manySignaturesPdf } from '../../bench/hostile-pdfs';
import { run } from '../../server/cli/main';
import { makeBenchCorpus } from '../../samples/month';
import { loadTestPki, writeTrustStore } from '../../samples/lib/test-pki';
import type { BatchReport } from '../../worker/report';
import { Capture } from './helpers/reports';

/**
 * `kiemky check` with a hostile PDF of 100,000 signature fields beside normal documents: in-process (the CLI's own
 * code path under jest) and as the real command, whose verification threads run with their heap cap. The poison document is
 * verdict error TOO_COMPLEX, the others are verified; the real command stays far under 1 GB (its peak RSS is
 * measured in the child process itself).
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-cli-budgets-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const pki = loadTestPki();
const certs = path.join(dir, 'trust');
writeTrustStore(certs, pki);
const month = path.join(dir, 'month');
makeBenchCorpus(month, 3, 21, pki);
fs.writeFileSync(path.join(month, 'poison.pdf'), manySignaturesPdf(100_000));

function expectContained(report: BatchReport): void {
  const byName = new Map(report.documents.map((d) => [path.basename(d.file), d]));
  expect(byName.size).toBe(4);
  expect(byName.get('poison.pdf')).toMatchObject({ verdict: 'error', error: { code: 'TOO_COMPLEX' } });
  for (const [name, doc] of byName) if (name !== 'poison.pdf') expect(doc.verdict).toBe('compliant');
  expect(report.totals).toMatchObject({ documents: 4, compliant: 3 });
}

test('in-process: the poison document is an error, the batch is reported whole', async () => {
  const stdout = new Capture();
  const stderr = new Capture();
  const out = path.join(dir, 'in-process.json');
  const code = await run(['check', month, '--certs', certs, '--format', 'json', '--out', out], { stdout, stderr });
  expect(code).toBe(1);
  expectContained(JSON.parse(fs.readFileSync(out, 'utf8')) as BatchReport);
});

test('the real command, on worker threads: the same, in seconds and far under 1 GB', async () => {
  const bin = path.join(__dirname, '..', '..', 'bin', 'kiemky.js');
  const out = path.join(dir, 'threads.json');
  // The command run as `node bin/kiemky.js …`, telling at exit the peak RSS of its process (worker threads included).
  const wrapper = `process.on('exit', () => process.stderr.write('MAXRSS_KB ' + process.resourceUsage().maxRSS + '\\n'));
process.argv.splice(1, 0, ${JSON.stringify(bin)});
require(${JSON.stringify(bin)});`;
  const started = Date.now();
  const child = spawn(process.execPath, ['-e', wrapper, 'check', month, '--certs', certs, '--format', 'json', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const elapsed = Date.now() - started;
  expect({ code, stderr: stderr.replace(/MAXRSS_KB \d+\n/, '').replace(/\r[^\n]*/g, '').trim() }).toEqual({ code: 1, stderr: expect.any(String) });
  expectContained(JSON.parse(fs.readFileSync(out, 'utf8')) as BatchReport);
  const maxRssKb = Number(/MAXRSS_KB (\d+)/.exec(stderr)?.[1]);
  expect(maxRssKb).toBeGreaterThan(0);
  expect(maxRssKb).toBeLessThan(1024 * 1024);
  // The time budget is 30 s, the hard deadline 60 s: refused by count, it ends long before either.
  expect(elapsed).toBeLessThan(25_000);
});
