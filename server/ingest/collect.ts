import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as yauzl from 'yauzl';
import type { Finding } from '../../worker/report';
import { TempDir } from '../shared/temp';
import { InputError, type DocumentItem, type InputPlan } from './types';
import { UniqueNames } from './unique-names';
import { listZip, ZIP_LIMITS, type ZipContext } from './zip';

/**
 * Turns the command line's inputs into the documents to verify. Folders are walked for *.pdf (other files are
 * the export's attachments and indexes); a file named explicitly is verified whatever it is, so a stray .docx
 * shows up as "not a PDF" instead of silently vanishing.
 */

function fileItem(file: string): DocumentItem {
  return { name: file, load: async () => ({ job: { fileName: file, path: file }, dispose: () => undefined }) };
}

function walk(dir: string, items: DocumentItem[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    throw new InputError(dir);
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    // Symbolic links to folders are not followed: a link loop would walk forever.
    if (entry.isDirectory()) walk(full, items);
    else if (/\.pdf$/i.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && fs.statSync(full).isFile()))) {
      items.push(fileItem(full));
    }
  }
}

export async function collectInputs(inputs: string[], limits: typeof ZIP_LIMITS = ZIP_LIMITS): Promise<InputPlan> {
  const items: DocumentItem[] = [];
  const findings: Finding[] = [];
  const temp = new TempDir();
  const open: yauzl.ZipFile[] = [];
  // Names on disk are unique already; entries of archives are made so (two archives may be given the same entry).
  const ctx: ZipContext = { items, findings, temp, open, limits, names: new UniqueNames() };
  const close = async (): Promise<void> => {
    for (const zip of open) zip.close();
    temp.remove();
  };
  try {
    for (const input of inputs) {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(input);
      } catch {
        throw new InputError(input);
      }
      if (stat.isDirectory()) walk(input, items);
      else if (/\.zip$/i.test(input)) await listZip(input, input, ctx);
      else items.push(fileItem(input));
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { items, findings, close };
}
