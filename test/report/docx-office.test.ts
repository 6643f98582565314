import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderDocx } from '../../server/report/document/docx';
import { sampleOutline } from '../helpers/outline-sample';

/**
 * The draft opened by a real office suite: LibreOffice converts it to PDF, and the PDF's text (poppler's
 * pdftotext) holds the header, the tables and the chart's own legend — drawn by LibreOffice from the native chart.
 * Only where LibreOffice and pdftotext are installed (not on CI); elsewhere the test says it was skipped.
 */

const installed = (cmd: string): boolean => spawnSync('which', [cmd]).status === 0;
const soffice = ['soffice', 'libreoffice'].find(installed);
const pdftotext = installed('pdftotext');
if (!soffice || !pdftotext) console.warn('SKIPPED: the DOCX opened by LibreOffice — soffice (LibreOffice) or pdftotext (poppler) is not installed');

(soffice && pdftotext ? test : test.skip)('LibreOffice opens the draft and prints its header, tables and chart', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-docx-'));
  try {
    const file = path.join(dir, 'draft.docx');
    fs.writeFileSync(file, await renderDocx(sampleOutline()));
    // A profile of its own: a LibreOffice the user has open would otherwise take the job, or refuse it.
    const profile = `-env:UserInstallation=file://${path.join(dir, 'profile')}`;
    const run = spawnSync(soffice!, [profile, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], { timeout: 110_000 });
    expect(run.status).toBe(0);
    const text = spawnSync('pdftotext', [path.join(dir, 'draft.pdf'), '-'], { encoding: 'utf8' }).stdout;
    for (const words of ['DỰ THẢO', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'Tổng cộng', 'Ký số hợp lệ', 'Đủ 2 lớp', 'Nguyễn Văn An']) {
      expect(text).toContain(words);
    }
    expect(text).toContain('Văn bản số 300/UBND-VP');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
