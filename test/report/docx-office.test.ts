import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderDocx } from '../../server/report/document/docx';
import { sampleOutline } from '../helpers/outline-sample';

/**
 * The draft opened by a real office suite: LibreOffice converts it to PDF. Only where LibreOffice is installed
 * (it is not on CI); elsewhere the test says it was skipped.
 */

const soffice = ['soffice', 'libreoffice'].find((cmd) => spawnSync('which', [cmd]).status === 0);
if (!soffice) console.warn('SKIPPED: the DOCX opened by LibreOffice — neither soffice nor libreoffice is installed');

(soffice ? test : test.skip)('LibreOffice opens the draft and converts it to a PDF', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-docx-'));
  try {
    const file = path.join(dir, 'draft.docx');
    fs.writeFileSync(file, await renderDocx(sampleOutline()));
    const run = spawnSync(soffice!, ['--headless', '--convert-to', 'pdf', '--outdir', dir, file], { timeout: 110_000 });
    expect(run.status).toBe(0);
    const pdf = fs.readFileSync(path.join(dir, 'draft.pdf'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
