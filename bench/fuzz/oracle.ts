import * as crypto from 'node:crypto';
import type { DocumentReport, SignatureReport } from '../../worker/report';

/**
 * What the fuzzer holds against each verdict. Besides crashes (an exception out of verifyDocument, an INTERNAL
 * error, a hang, a thread that dies) the worst bug this product can have is a "valid" that should be "invalid":
 *
 *   A signature can only be valid over bytes its signer signed. The fuzzer knows which bytes those are: each seed's
 *   valid signatures cover certain bytes (their SHA-256 is remembered), and each CMS in a seed names the digest its
 *   signer signed (its messageDigest attribute, read here from the DER without the verifier's parser). So a
 *   mutant's signature reported with integrity `valid` must cover, through its own /ByteRange, bytes whose digest is
 *   one of those. A mutant whose signed bytes were changed — a flipped bit inside a signed range, a /ByteRange moved
 *   over other bytes — fails that, whatever else the verifier believed.
 *
 * And a page rewritten in an update appended after everything else can never leave a document `intact`. A report must
 * also agree with itself (`signed` is at least one signature of valid integrity; `compliant` is all six checks, `error`
 * an unreadable file).
 */

export type ProblemKind = 'exception' | 'internal' | 'hang' | 'thread-died' | 'valid-over-changed-bytes' | 'intact-after-page-rewrite' | 'inconsistent-report';

export interface Problem {
  kind: ProblemKind;
  detail: string;
}

/** What the seeds tell about legitimately signed bytes; plain arrays, so it crosses to the worker threads. */
export interface SeedKnowledge {
  /** SHA-256 (hex) of the bytes each valid seed signature covers. */
  signedContent: string[];
  /** Every messageDigest value (hex) found in a seed's CMS. */
  messageDigests: string[];
}

export function emptyKnowledge(): SeedKnowledge {
  return { signedContent: [], messageDigests: [] };
}

/** The bytes [0, a) and [b, b + c) of a `[0 a b c]` range, or null when the range is not that shape or not inside. */
function coveredBytes(bytes: Buffer, range: number[] | null | undefined): Buffer | null {
  if (!range || range.length !== 4 || !range.every(Number.isSafeInteger)) return null;
  const [zero, a, b, c] = range;
  if (zero !== 0 || a < 0 || b < a || c < 0 || b + c > bytes.length) return null;
  return Buffer.concat([bytes.subarray(0, a), bytes.subarray(b, b + c)]);
}

const sha256 = (bytes: Buffer): string => crypto.createHash('sha256').update(bytes).digest('hex');

/** id-messageDigest (1.2.840.113549.1.9.4) as DER: the attribute type before its SET { OCTET STRING }. */
const MESSAGE_DIGEST_OID = Buffer.from('06092a864886f70d010904', 'hex');

/** Every messageDigest value in a DER blob, found by its OID: a scan, independent of the verifier's CMS parser. */
export function messageDigestsIn(der: Buffer): string[] {
  const out: string[] = [];
  for (let at = der.indexOf(MESSAGE_DIGEST_OID); at >= 0; at = der.indexOf(MESSAGE_DIGEST_OID, at + 1)) {
    const set = at + MESSAGE_DIGEST_OID.length;
    // SET (0x31) of one OCTET STRING (0x04), both with short-form lengths: every digest is 16 to 64 bytes.
    if (der[set] !== 0x31 || der[set + 2] !== 0x04) continue;
    const len = der[set + 3];
    if (len === undefined || len < 16 || len >= 0x80 || set + 4 + len > der.length) continue;
    out.push(der.subarray(set + 4, set + 4 + len).toString('hex'));
  }
  return out;
}

/** Learns from one seed and its report: what its valid signatures cover, and what its CMS blobs say was signed. */
export function learnSeed(bytes: Buffer, report: DocumentReport, into: SeedKnowledge): void {
  for (const s of report.signatures) {
    if (s.integrity !== 'valid') continue;
    const covered = coveredBytes(bytes, s.byteRange);
    if (covered) into.signedContent.push(sha256(covered));
  }
  const text = bytes.toString('latin1');
  for (const m of text.matchAll(/\/Contents\s*<([0-9A-Fa-f\s]+)>/g)) {
    const hex = m[1].replace(/\s+/g, '');
    into.messageDigests.push(...messageDigestsIn(Buffer.from(hex.length % 2 === 0 ? hex : `${hex}0`, 'hex')));
  }
}

/** Node's name for a digest as a report names it; null for one Node cannot compute here. */
const NODE_DIGEST: Record<string, { name: string; outputLength?: number }> = {
  MD5: { name: 'md5' },
  'SHA-1': { name: 'sha1' },
  'RIPEMD-160': { name: 'ripemd160' },
  'SHA-224': { name: 'sha224' },
  'SHA-256': { name: 'sha256' },
  'SHA-384': { name: 'sha384' },
  'SHA-512': { name: 'sha512' },
  'SHA-512/224': { name: 'sha512-224' },
  'SHA-512/256': { name: 'sha512-256' },
  'SHA3-224': { name: 'sha3-224' },
  'SHA3-256': { name: 'sha3-256' },
  'SHA3-384': { name: 'sha3-384' },
  'SHA3-512': { name: 'sha3-512' },
  SHAKE256: { name: 'shake256', outputLength: 64 },
};

function digestAs(algorithm: string | null, bytes: Buffer): string | null {
  const alg = algorithm ? NODE_DIGEST[algorithm] : undefined;
  if (!alg) return null;
  try {
    return crypto.createHash(alg.name, alg.outputLength ? { outputLength: alg.outputLength } : undefined).update(bytes).digest('hex');
  } catch {
    return null;
  }
}

/** Lookup sets of a SeedKnowledge, made once per thread. */
export class Oracle {
  private readonly content: Set<string>;
  private readonly digests: Set<string>;

  constructor(knowledge: SeedKnowledge) {
    this.content = new Set(knowledge.signedContent);
    this.digests = new Set(knowledge.messageDigests);
  }

  /** Whether `s`, reported valid, covers bytes some signer signed. */
  private signedBySomeone(bytes: Buffer, s: SignatureReport): string | null {
    const covered = coveredBytes(bytes, s.byteRange);
    if (!covered) return `signature ${s.index} is valid but its /ByteRange ${JSON.stringify(s.byteRange)} is not [0 a b c] within the file`;
    if (this.content.has(sha256(covered))) return null;
    const digest = digestAs(s.digestAlgorithm, covered);
    if (digest !== null && this.digests.has(digest)) return null;
    return `signature ${s.index} (${s.field ?? 'no field'}) is valid over /ByteRange ${JSON.stringify(s.byteRange)}, whose bytes no seed's signer signed`;
  }

  judge(bytes: Buffer, report: DocumentReport, pageRewritten: boolean): Problem[] {
    const problems: Problem[] = [];
    const internal = report.error?.code === 'INTERNAL' ? report.error.message : report.findings.find((f) => f.code === 'INTERNAL')?.message;
    if (internal !== undefined) problems.push({ kind: 'internal', detail: internal });
    for (const s of report.signatures) {
      if (s.integrity !== 'valid') continue;
      const wrong = this.signedBySomeone(bytes, s);
      if (wrong) problems.push({ kind: 'valid-over-changed-bytes', detail: wrong });
    }
    if (pageRewritten && report.checks.intact) {
      problems.push({ kind: 'intact-after-page-rewrite', detail: 'a page rewritten in an update after every signature, and the document is intact' });
    }
    const approvals = report.signatures.filter((s) => s.type !== 'document-timestamp');
    const signed = approvals.some((s) => s.integrity === 'valid');
    if (report.checks.signed !== signed) problems.push({ kind: 'inconsistent-report', detail: `checks.signed is ${report.checks.signed}, valid signatures say ${signed}` });
    const allChecks = Object.values(report.checks).every(Boolean);
    if ((report.verdict === 'compliant') !== (allChecks && report.verdict !== 'error')) {
      problems.push({ kind: 'inconsistent-report', detail: `verdict ${report.verdict} with checks ${JSON.stringify(report.checks)}` });
    }
    if (report.verdict === 'error' && !report.error) problems.push({ kind: 'inconsistent-report', detail: 'verdict error without an error code' });
    if (report.checks.intact && report.signatures.some((s) => s.integrity !== 'valid')) {
      problems.push({ kind: 'inconsistent-report', detail: 'intact with a signature that is not valid' });
    }
    return problems;
  }
}

/** The verdict as counted: `compliant`, `noncompliant`, or `error:CODE`. */
export function verdictKey(report: DocumentReport): string {
  return report.verdict === 'error' ? `error:${report.error?.code ?? '?'}` : report.verdict;
}
