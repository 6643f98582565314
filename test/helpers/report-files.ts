import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { partText, zipParts } from './docx-package';

/**
 * The words of a report file as a person's tools give them back: a DOCX's body (word/document.xml, its tags taken
 * out, so a name split over runs reads whole) and a PDF's text through poppler's pdftotext, whitespace made single
 * spaces. Without pdftotext, null and a message saying what was skipped.
 */

function withFile<T>(bytes: Uint8Array, name: string, read: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-report-file-'));
  try {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return read(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function docxText(bytes: Uint8Array): Promise<string> {
  const xml = partText(await zipParts(bytes), 'word/document.xml');
  return xml
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .normalize('NFC');
}

const PDFTOTEXT = '/usr/bin/pdftotext';

export function pdfWords(bytes: Uint8Array, what = 'the PDF\'s words'): string | null {
  if (!fs.existsSync(PDFTOTEXT)) {
    console.warn(`SKIPPED: ${what} — ${PDFTOTEXT} is absent (apt-get install poppler-utils)`);
    return null;
  }
  return withFile(bytes, 'report.pdf', (file) => execFileSync(PDFTOTEXT, ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }))
    .normalize('NFC')
    .replace(/\s+/g, ' ');
}
