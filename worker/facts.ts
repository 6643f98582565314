import type { ByteSource } from './source';
import { Budget, DocumentError, type DocumentErrorCode } from './errors';
import { hashPass, readRanges, sha256Of, type RangeHashJob } from './hashing';
import { analyzePdf, type PdfDocument } from './pdf/index';
import type { PdfSignatureInfo, PdfStructure } from './pdf/types';
import { prepareSignature, digestPlan, finishSignature, type PreparedSignature } from './cms/index';
import type { CmsProblem, CmsSignatureFacts } from './cms/types';
import { Certificate } from './pki/certificate';
import { decodeRevocation, NO_REVOCATION_DATA, type RevocationData } from './pki/revocation';
import { judgeByteRange, type ByteRangeJudgement } from './integrity/byte-range';
import { explainRevisions } from './changes/revisions';
import type { RevisionExplanation } from './changes/types';

/**
 * The facts of one document (EU DSS calls them diagnostic data): what the file holds and what its cryptography
 * says, with no trust store and no rules applied. The policy layer judges these; a new trust store or rule can
 * re-judge them without reading the PDF again.
 */

export interface SignatureFacts {
  /** 1-based, in revision order. */
  index: number;
  pdf: PdfSignatureInfo;
  isDocumentTimestamp: boolean;
  byteRange: ByteRangeJudgement;
  /** Null when the CMS could not even be parsed (see cmsError) or there was nothing to parse. */
  cms: CmsSignatureFacts | null;
  cmsError: CmsProblem | null;
  /** The CMS's CRLs and OCSP responses (its own and Adobe's revocation attribute), decoded. */
  revocation: RevocationData;
}

export interface DocumentFacts {
  file: string;
  size: number;
  sha256: string;
  error: { code: DocumentErrorCode; detail: string } | null;
  structure: PdfStructure | null;
  signatures: SignatureFacts[];
  /** Index = revision number; entry 0 is the original and is always null. */
  revisions: (RevisionExplanation | null)[];
  /** The DSS's certificates, CRLs and OCSP responses as DER, and the revocation data decoded. */
  dss: { certificates: Certificate[]; crls: Buffer[]; ocsps: Buffer[]; revocation: RevocationData };
}

export interface CollectOptions {
  fileName: string;
  timeBudgetMs?: number;
}

const NO_DSS: DocumentFacts['dss'] = { certificates: [], crls: [], ocsps: [], revocation: NO_REVOCATION_DATA };

function dssFacts(certificates: Certificate[], crls: Buffer[], ocsps: Buffer[]): DocumentFacts['dss'] {
  return { certificates, crls, ocsps, revocation: decodeRevocation(crls, ocsps) };
}

export const DEFAULT_TIME_BUDGET_MS = 30_000;

export function isDocumentTimestamp(sig: PdfSignatureInfo): boolean {
  return sig.type === 'DocTimeStamp' || sig.subFilter === 'ETSI.RFC3161';
}

function parseDssCertificates(ders: Buffer[]): Certificate[] {
  const out: Certificate[] = [];
  for (const der of ders) {
    try {
      out.push(Certificate.fromDer(der));
    } catch {
      // A broken DSS certificate only loses that certificate: chains that need it will not build.
    }
  }
  return out;
}

export function collectFacts(source: ByteSource, options: CollectOptions): DocumentFacts {
  const budget = Budget.ms(options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
  const base = { file: options.fileName, size: source.size };
  let doc: PdfDocument;
  let structure: PdfStructure;
  try {
    ({ doc, structure } = analyzePdf(source, { budget }));
  } catch (err) {
    const e = asDocumentError(err);
    return { ...base, sha256: safeSha256(source), error: { code: e.code, detail: e.detail }, structure: null, signatures: [], revisions: [], dss: NO_DSS };
  }

  try {
    // An update cut short is a truncated file: an unreadable document (verdict error), not a change after signing.
    if (structure.cutShortUpdateAt !== null) {
      throw new DocumentError('TRUNCATED', `an update after byte ${structure.cutShortUpdateAt} is cut short (objects without xref or %%EOF)`);
    }
    const dssCerts = parseDssCertificates(structure.dss?.certificates ?? []);
    const prepared: (PreparedSignature | null)[] = [];
    const sigs: SignatureFacts[] = structure.signatures.map((pdf, i) => {
      const byteRange = judgeByteRange(pdf, source.size, structure.revisions);
      let cmsError: CmsProblem | null = null;
      let p: PreparedSignature | null = null;
      // Missing, empty or all-zero /Contents is already a byte-range problem: there is no CMS to parse.
      const noCms = byteRange.problems.some((p) => p.code === 'CONTENTS_MISSING' || p.code === 'CONTENTS_EMPTY');
      if (pdf.contents && !noCms) {
        const r = safePrepare(pdf.contents, pdf.subFilter, pdf.cert);
        if ('error' in r) cmsError = r.error;
        else p = r;
      }
      prepared.push(p);
      return { index: i + 1, pdf, isDocumentTimestamp: isDocumentTimestamp(pdf), byteRange, cms: null, cmsError, revocation: NO_REVOCATION_DATA };
    });

    const jobs: RangeHashJob[] = [];
    const needsContent: boolean[] = [];
    const jobOf: (number | null)[] = sigs.map((s, i) => {
      const p = prepared[i];
      if (!p || !s.byteRange.ranges) return null;
      const plan = digestPlan(p);
      jobs.push({ ranges: s.byteRange.ranges, algorithms: plan.algorithms });
      needsContent.push(plan.needsContent);
      return jobs.length - 1;
    });
    const { sha256, results } = hashPass(source, jobs, budget);

    sigs.forEach((s, i) => {
      const p = prepared[i];
      const j = jobOf[i];
      if (!p) return;
      budget.check();
      const digests = j === null || j === undefined ? new Map<string, Buffer>() : results[j]!.digests;
      // Held only while this signature is checked (see readRanges).
      const content = j === null || j === undefined || !needsContent[j] ? null : readRanges(source, jobs[j]!.ranges, budget);
      try {
        s.cms = finishSignature(p, digests, content, dssCerts);
        s.revocation = decodeRevocation(s.cms.crls, s.cms.ocsps);
      } catch (err) {
        s.cmsError = { code: 'CMS_MALFORMED', detail: err instanceof Error ? err.message : String(err) };
      }
    });

    const revisions = explainRevisions(doc, structure, sigs, budget);
    return {
      ...base,
      sha256,
      error: null,
      structure,
      signatures: sigs,
      revisions,
      dss: dssFacts(dssCerts, structure.dss?.crls ?? [], structure.dss?.ocsps ?? []),
    };
  } catch (err) {
    const e = asDocumentError(err);
    return { ...base, sha256: safeSha256(source), error: { code: e.code, detail: e.detail }, structure: null, signatures: [], revisions: [], dss: NO_DSS };
  }
}

function safePrepare(contents: Buffer, subFilter: string | null, cert: (Buffer | null)[] | null): PreparedSignature | { error: CmsProblem } {
  try {
    return prepareSignature(contents, subFilter, cert);
  } catch (err) {
    return { error: { code: 'CMS_MALFORMED', detail: err instanceof Error ? err.message : String(err) } };
  }
}

function asDocumentError(err: unknown): DocumentError {
  if (err instanceof DocumentError) return err;
  if (err instanceof RangeError && /call stack/i.test(err.message)) return new DocumentError('TOO_DEEP', err.message);
  // What V8 says when a string, array, Map or buffer would grow past what it can hold: the document is too large.
  if (err instanceof RangeError && /invalid (string|array|typed array) length|maximum size exceeded|allocation failed/i.test(err.message)) {
    return new DocumentError('TOO_LARGE', err.message);
  }
  return new DocumentError('INTERNAL', err instanceof Error ? err.message : String(err));
}

function safeSha256(source: ByteSource): string {
  try {
    return sha256Of(source);
  } catch {
    return '0'.repeat(64);
  }
}
