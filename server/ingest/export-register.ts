import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as yauzl from 'yauzl';
import type { Finding } from '../../worker/report';
import { RegisterFormatError, type RegisterRow } from '../register/read';
import { readRegisterOffThread } from '../register/thread';
import { batchFinding } from '../shared/messages';
import { RegisterLimitError, registerLimitText, type RegisterLimits } from '../shared/register-limits';
import { isMarker } from './export-scan';
import type { DataTempDir } from './ingest';

/**
 * The register of an export (the CSV or XLSX nearest its top), read as an upload's is, off the main thread. One
 * that cannot be read does not stop the export: the batch is checked without it and a finding says why.
 */

/** An export's register rows, or the finding that says why there are none (null: the export has no register). */
export interface ExportRegister {
  rows: RegisterRow[] | null;
  finding: Finding | null;
}

const REGISTER_FILE = /\.(csv|xlsx)$/i;

function registerFinding(file: string, detailVi: string, detailEn: string): Finding {
  return batchFinding('EXPORT_REGISTER_UNREADABLE', { file, detailVi, detailEn });
}

export async function readRegisterFile(file: string, display: string, limits: RegisterLimits): Promise<ExportRegister> {
  try {
    // In a thread of its own, as an upload's: the server goes on answering while an export's register is read.
    return { rows: await readRegisterOffThread(file, limits), finding: null };
  } catch (err) {
    if (err instanceof RegisterLimitError) return { rows: null, finding: registerFinding(display, registerLimitText(err, 'vi'), registerLimitText(err, 'en')) };
    if (err instanceof RegisterFormatError) {
      return err.reason === 'noHeader'
        ? { rows: null, finding: registerFinding(display, 'không tìm thấy dòng tiêu đề', 'no header row found') }
        : { rows: null, finding: registerFinding(display, 'không có cột tên tệp', 'no file-name column') };
    }
    const detail = err instanceof Error ? err.message : String(err);
    return { rows: null, finding: registerFinding(display, detail, detail) };
  }
}

/** The register of an export: the CSV/XLSX nearest its top (the E-office export puts it beside the PDFs). */
export function pickRegister<T extends { rel: string }>(files: T[]): T | null {
  const candidates = files.filter((f) => REGISTER_FILE.test(f.rel) && !isMarker(path.basename(f.rel)));
  candidates.sort((a, b) => a.rel.split('/').length - b.rel.split('/').length || (a.rel < b.rel ? -1 : 1));
  return candidates[0] ?? null;
}

/** The register inside a ZIP export, extracted to a temporary file (never more than its byte limit). */
export async function zipRegister(file: string, display: string, temp: DataTempDir, limits: RegisterLimits): Promise<ExportRegister> {
  let zip: yauzl.ZipFile;
  try {
    // Names are decoded here, as ingest/zip.ts does: yauzl's own check would abort on one unsafe name.
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: false });
  } catch {
    // The archive itself is unreadable: Ingest.addZip reports that.
    return { rows: null, finding: null };
  }
  try {
    const entries: { rel: string; entry: yauzl.Entry }[] = [];
    for await (const entry of zip.eachEntry()) {
      const rel = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      if (REGISTER_FILE.test(rel) && yauzl.validateFileName(rel) === null) entries.push({ rel, entry });
    }
    const chosen = pickRegister(entries);
    if (!chosen) return { rows: null, finding: null };
    const where = `${display}/${chosen.rel}`;
    // Said, not skipped: the batch would otherwise be checked without its register and nobody told why.
    if (chosen.entry.uncompressedSize > limits.maxBytes) {
      const over = new RegisterLimitError('bytes', limits.maxBytes);
      return { rows: null, finding: registerFinding(where, registerLimitText(over, 'vi'), registerLimitText(over, 'en')) };
    }
    const out = temp.file(path.extname(chosen.rel));
    await pipeline(await zip.openReadStreamPromise(chosen.entry), fs.createWriteStream(out));
    return await readRegisterFile(out, where, limits);
  } catch (err) {
    return { rows: null, finding: registerFinding(display, String(err instanceof Error ? err.message : err), String(err instanceof Error ? err.message : err)) };
  } finally {
    zip.close();
  }
}
