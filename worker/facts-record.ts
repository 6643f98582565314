import * as crypto from 'node:crypto';
import type { DocumentFacts } from './facts';
import { Certificate } from './pki/certificate';
import { CertificateList } from './pki/crl';
import { OcspResponse } from './pki/ocsp';
import { problemKey, type FetchedEvidence, type FetchedRevocation, type RevocationProblem } from './pki/fetched-revocation';

/**
 * A document's facts as plain JSON, so they can be stored with the report and judged again later without the PDF.
 * Certificates, CRLs and OCSP responses appear in the facts only as references (their SHA-256) into side tables
 * that hold the DER once: a batch's documents share the same CA certificates, and the store keeps each once.
 * Decoding a record parses that DER back (certificates and CRLs are cached by content), so the policy judges the
 * same objects it judged at verification, and reads no file and no PDF.
 *
 * Bump FACTS_VERSION whenever the shape of DocumentFacts changes: a stored record of another version cannot be
 * judged (re-verify the PDF instead).
 */
export const FACTS_VERSION = 1;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface FactsRecord {
  version: number;
  /** The facts, with certificates and revocation data replaced by references. */
  facts: JsonValue;
  /** SHA-256 fingerprint → DER (base64). */
  certificates: Record<string, string>;
  /** SHA-256 of the DER → the CRL or OCSP response (base64). */
  revocation: Record<string, { type: 'crl' | 'ocsp'; der: string }>;
  /**
   * Revocation fetched online for the document (`--revocation online`) and what could not be fetched, by reference
   * into `revocation`: part of what the verdict rested on, so judging again judges with it too. Absent: offline.
   */
  fetched?: StoredFetched;
}

export interface StoredFetched {
  /** SHA-256 of each CRL's DER, in `revocation`. */
  crls: string[];
  ocsps: string[];
  problems: RevocationProblem[];
  /** When it was fetched (ISO). */
  at: string;
}

export class FactsRecordError extends Error {}

function sha256Hex(der: Buffer): string {
  return crypto.createHash('sha256').update(der).digest('hex');
}

/**
 * The /Contents and /Cert bytes are the CMS the facts were collected from: the policy never reads them (all they
 * say is already in `cms`), and they would make every stored record as large as the signatures themselves.
 */
function withoutSignatureBytes(facts: DocumentFacts): DocumentFacts {
  const bare = <T extends { contents: Buffer | null; cert: (Buffer | null)[] | null }>(pdf: T): T => ({ ...pdf, contents: null, cert: null });
  return {
    ...facts,
    structure: facts.structure ? { ...facts.structure, signatures: facts.structure.signatures.map(bare) } : null,
    signatures: facts.signatures.map((s) => ({ ...s, pdf: bare(s.pdf) })),
  };
}

/** Fetched revocation by reference (the DER's SHA-256), as a record keeps it and fetchedVersion reads it. */
export function storedFetched(data: FetchedRevocation, at: Date = new Date()): StoredFetched {
  return {
    crls: data.crls.map(sha256Hex),
    ocsps: data.ocsps.map(sha256Hex),
    problems: data.problems.map((p) => ({ ...p })),
    at: at.toISOString(),
  };
}

export function toFactsRecord(facts: DocumentFacts, fetched?: { data: FetchedRevocation; at: Date }): FactsRecord {
  const record: FactsRecord = { version: FACTS_VERSION, facts: null, certificates: {}, revocation: {} };
  if (fetched) {
    const kept = storedFetched(fetched.data, fetched.at);
    record.fetched = kept;
    fetched.data.crls.forEach((d, i) => (record.revocation[kept.crls[i]!] = { type: 'crl', der: d.toString('base64') }));
    fetched.data.ocsps.forEach((d, i) => (record.revocation[kept.ocsps[i]!] = { type: 'ocsp', der: d.toString('base64') }));
  }
  const encode = (v: unknown, where: string): JsonValue => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : { $num: String(v) };
    if (Buffer.isBuffer(v)) return { $buf: v.toString('base64') };
    if (v instanceof Date) return { $date: Number.isNaN(v.getTime()) ? null : v.toISOString() };
    if (v instanceof Certificate) {
      record.certificates[v.fingerprintSha256] = v.der.toString('base64');
      return { $cert: v.fingerprintSha256 };
    }
    if (v instanceof CertificateList) {
      record.revocation[v.sha256] = { type: 'crl', der: v.der.toString('base64') };
      return { $crl: v.sha256 };
    }
    if (v instanceof OcspResponse) {
      const h = sha256Hex(v.der);
      record.revocation[h] = { type: 'ocsp', der: v.der.toString('base64') };
      return { $ocsp: h };
    }
    if (Array.isArray(v)) return v.map((x, i) => encode(x, `${where}[${i}]`));
    const proto = Object.getPrototypeOf(v) as unknown;
    if (typeof v === 'object' && (proto === Object.prototype || proto === null)) {
      const out: { [key: string]: JsonValue } = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        // A key starting with $ would be read back as one of the tags above.
        if (k.startsWith('$')) throw new FactsRecordError(`facts record: key ${where}.${k} cannot be stored`);
        if (x === undefined) continue;
        out[k] = encode(x, `${where}.${k}`);
      }
      return out;
    }
    // A new kind of object in the facts must be taught to this module, not silently flattened.
    throw new FactsRecordError(`facts record: cannot store ${where} (${typeof v === 'object' ? (v as object).constructor?.name : typeof v})`);
  };
  record.facts = encode(withoutSignatureBytes(facts), 'facts');
  return record;
}

/**
 * Objects already decoded, by the hash a record names them with: re-judging a batch reads the same CA certificates
 * and CRLs for thousands of documents, and decoding them once (not base64 and DER for each) is most of its speed.
 * Only for records of one store, whose hashes were made by toFactsRecord from the very DER.
 */
export interface DecodedDer {
  certificates: Map<string, Certificate>;
  revocation: Map<string, CertificateList | OcspResponse>;
}

export function decodedDerCache(): DecodedDer {
  return { certificates: new Map(), revocation: new Map() };
}

/** Certificates and revocation data of a record by reference, decoded once per cache. */
function referenceDecoder(record: FactsRecord, cache: DecodedDer): {
  certificate: (fp: string) => Certificate;
  revocationOf: (h: string, type: 'crl' | 'ocsp') => CertificateList | OcspResponse;
} {
  const certs = cache.certificates;
  const revocation = cache.revocation;
  const certificate = (fp: string): Certificate => {
    let c = certs.get(fp);
    if (!c) {
      const b64 = record.certificates[fp];
      if (b64 === undefined) throw new FactsRecordError(`facts record: certificate ${fp} missing`);
      c = Certificate.fromDer(Buffer.from(b64, 'base64'));
      certs.set(fp, c);
    }
    return c;
  };
  const revocationOf = (h: string, type: 'crl' | 'ocsp'): CertificateList | OcspResponse => {
    let r = revocation.get(h);
    if (!r) {
      const entry = record.revocation[h];
      if (!entry || entry.type !== type) throw new FactsRecordError(`facts record: ${type} ${h} missing`);
      const der = Buffer.from(entry.der, 'base64');
      r = type === 'crl' ? CertificateList.fromDer(der) : OcspResponse.fromDer(der);
      revocation.set(h, r);
    }
    return r;
  };
  return { certificate, revocationOf };
}

function assertJudgeable(record: FactsRecord): void {
  if (record.version !== FACTS_VERSION) {
    throw new FactsRecordError(`facts record version ${record.version} cannot be judged by this version (${FACTS_VERSION}): verify the PDF again`);
  }
}

/**
 * The fetched revocation a record keeps, as the policy reads it; undefined for a document verified offline. A
 * fetched answer that no longer decodes was refused when fetched too (the fetcher checks before it keeps), so
 * decoding fails loudly here rather than judging without it.
 */
export function fetchedFromRecord(record: FactsRecord, cache: DecodedDer = decodedDerCache()): FetchedEvidence | undefined {
  if (!record.fetched) return undefined;
  assertJudgeable(record);
  const { revocationOf } = referenceDecoder(record, cache);
  return {
    revocation: {
      crls: [...new Set(record.fetched.crls)].map((h) => revocationOf(h, 'crl') as CertificateList),
      ocsps: record.fetched.ocsps.map((h) => revocationOf(h, 'ocsp') as OcspResponse),
    },
    problems: record.fetched.problems,
  };
}

export function fromFactsRecord(record: FactsRecord, cache: DecodedDer = decodedDerCache()): DocumentFacts {
  assertJudgeable(record);
  const { certificate, revocationOf } = referenceDecoder(record, cache);
  const decode = (v: JsonValue): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(decode);
    if (typeof v.$buf === 'string') return Buffer.from(v.$buf, 'base64');
    if ('$date' in v) return typeof v.$date === 'string' ? new Date(v.$date) : new Date(NaN);
    if (typeof v.$num === 'string') return Number(v.$num);
    if (typeof v.$cert === 'string') return certificate(v.$cert);
    if (typeof v.$crl === 'string') return revocationOf(v.$crl, 'crl');
    if (typeof v.$ocsp === 'string') return revocationOf(v.$ocsp, 'ocsp');
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = decode(x);
    return out;
  };
  return decode(record.facts) as DocumentFacts;
}

/**
 * The version of the fetched revocation a verdict rested on: a SHA-256 over its CRLs' and OCSP responses' hashes and
 * the sources that failed, sorted, so the same answers give the same version whatever order they came in. A report
 * names it (judgedWith.revocation) beside the trust store's version.
 */
export function fetchedVersion(f: StoredFetched): string {
  const lines = [
    ...f.crls.map((h) => `crl ${h}`),
    ...f.ocsps.map((h) => `ocsp ${h}`),
    ...f.problems.map((p) => `problem ${problemKey(p)}`),
  ];
  return crypto.createHash('sha256').update([...new Set(lines)].sort().join('\n')).digest('hex');
}

/**
 * The record with revocation fetched again added to what it keeps (judging again online): answers already kept stay
 * — they are what was known at verification, and a newer CRL adds to them rather than erasing them — and new
 * answers and failed sources join them. Null when nothing new came, so the stored record need not be written.
 */
export function withFetched(record: FactsRecord, fresh: FetchedRevocation, at: Date): FactsRecord | null {
  const kept: StoredFetched = record.fetched ?? { crls: [], ocsps: [], problems: [], at: at.toISOString() };
  const revocation = { ...record.revocation };
  const crls = [...kept.crls];
  const ocsps = [...kept.ocsps];
  const problems = [...kept.problems];
  let added = record.fetched ? 0 : 1;
  const keep = (der: Buffer, type: 'crl' | 'ocsp', list: string[]): void => {
    const h = sha256Hex(der);
    if (list.includes(h)) return;
    revocation[h] = { type, der: der.toString('base64') };
    list.push(h);
    added++;
  };
  for (const d of fresh.crls) keep(d, 'crl', crls);
  for (const d of fresh.ocsps) keep(d, 'ocsp', ocsps);
  const known = new Set(problems.map(problemKey));
  for (const p of fresh.problems) {
    const key = problemKey(p);
    if (known.has(key)) continue;
    known.add(key);
    problems.push({ ...p });
    added++;
  }
  if (added === 0) return null;
  return { ...record, revocation, fetched: { crls, ocsps, problems, at: at.toISOString() } };
}
