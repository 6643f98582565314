import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { DocumentReport } from '../../worker/report';
import { errorReport as coreErrorReport } from '../../worker/policy/error-report';

/**
 * The report of a document the verification core could not finish (it hung, its thread crashed, its bytes could
 * not be read). It still meets the report contract: real sha256 and size, verdict error, one error finding.
 */

export type PoolErrorCode = 'TIMEOUT' | 'OUT_OF_MEMORY' | 'INTERNAL' | 'UNREADABLE';

export function errorReport(file: string, sha256: string, size: number, code: PoolErrorCode, detail = ''): DocumentReport {
  return coreErrorReport(file, sha256, size, code, detail);
}

export function sha256Hex(data: Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Hash of a file, streamed; what could be read when the file cannot be read to its end. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = crypto.createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of fs.createReadStream(path)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch {
    // An unreadable file still needs a well-formed report; the hash then covers the bytes read so far.
  }
  return { sha256: hash.digest('hex'), size };
}
