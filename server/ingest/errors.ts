/**
 * What ingest refuses outright rather than lists as a finding: an upload's archive it cannot open or that passes
 * its limits, so the client can split it and send it again. The code and its parameters (the archive's name, the
 * limit passed) say what happened; how it is answered is the caller's — the API maps each code to its HTTP status
 * and wording (api/errors.ts). The export pull and `kiemky check` never meet one: they keep what fits and report the
 * rest as the batch's findings.
 */

export type IngestErrorCode = 'ZIP_UNREADABLE' | 'ZIP_TOO_MANY_ENTRIES' | 'ZIP_TOO_LARGE' | 'ZIP_RATIO_TOO_HIGH';

export class IngestError extends Error {
  constructor(
    readonly code: IngestErrorCode,
    readonly params: Readonly<Record<string, string | number>>,
  ) {
    super(code);
    this.name = 'IngestError';
  }
}
