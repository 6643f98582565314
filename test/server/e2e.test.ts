import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../server/cli/main';
import { loadTrustStore } from '../../worker/pki/trust-store';
import { trustStoreVersion } from '../../worker/pki/trust-version';
import type { BatchReport } from '../../worker/report';
import { Capture } from './helpers/reports';
import { schemaErrors } from '../helpers/schema';
import { sharedAvailable, sharedPath } from '../helpers/shared';
import { buildZip } from './helpers/zip-writer';

/**
 * The command line over the real verification core and the bundled trust store, on the public Vietnamese sample
 * PDFs.
 */

const SAMPLES = sharedPath('vn-pki', 'pdfs');
const samplesThere = sharedAvailable('the end-to-end CLI test over real PDFs', 'vn-pki', 'pdfs');

(samplesThere ? test : test.skip)('kiemky check over real PDFs, a ZIP and a broken file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-e2e-'));
  try {
    const pdfs = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.pdf')).sort();
    fs.copyFileSync(path.join(SAMPLES, pdfs[0]), path.join(dir, pdfs[0]));
    fs.writeFileSync(path.join(dir, 'hong.pdf'), '%PDF-1.7\n% cắt cụt');
    const zip = path.join(dir, 'thang.zip');
    fs.writeFileSync(zip, buildZip([{ name: `di/${pdfs[1]}`, data: fs.readFileSync(path.join(SAMPLES, pdfs[1])) }]));
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await run(['check', dir, zip, '--format', 'json'], { stdout, stderr });
    expect(stderr.text).toBe('');
    expect([0, 1]).toContain(code);
    const report = JSON.parse(stdout.text) as BatchReport;
    const errors = schemaErrors(report);
    expect(errors).toEqual([]);
    expect(report.documents.map((d) => path.basename(d.file)).sort()).toEqual([pdfs[0], pdfs[1], 'hong.pdf'].sort());
    expect(report.documents.find((d) => d.file.endsWith('hong.pdf'))?.verdict).toBe('error');
    expect(report.documents.filter((d) => d.signatures.length > 0)).toHaveLength(2);
    // Each report names the trust store it was judged with (the bundled certs/), offline: no fetched revocation.
    const version = trustStoreVersion(loadTrustStore(path.resolve(__dirname, '../../certs')));
    for (const d of report.documents.filter((x) => x.verdict !== 'error')) expect(d.judgedWith).toMatchObject({ trustStore: version, revocation: null, units: null });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
