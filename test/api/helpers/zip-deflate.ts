import { buildZip as buildAnyZip, type ZipEntrySpec } from '../../server/helpers/zip-writer';

export type { ZipEntrySpec };

/** The ingest tests' archives: deflated entries unless an entry says otherwise, as real ZIP tools write them. */
export function buildZip(entries: ZipEntrySpec[]): Buffer {
  return buildAnyZip(entries, 'deflate');
}
