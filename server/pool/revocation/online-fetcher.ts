import { CertificateList } from '../../../worker/pki/crl';
import { OcspResponse } from '../../../worker/pki/ocsp';
import type { FetchedRevocation, RevocationFetcher, RevocationProblem, RevocationTarget } from '../../../worker/pki/fetched-revocation';
import { RevocationDiskCache } from './disk-cache';
import { FetchError, fetchBytes, supportedUrl } from './http-fetch';
import { ocspRequest } from './ocsp-request';

/**
 * `--revocation online`: for each certificate on a document's chains, its CRL distribution points first (one CRL
 * answers for every certificate of its CA, and a batch is mostly one CA), then its OCSP responders when no CRL gave
 * an answer. An answer is used only when it is signed by the certificate's issuer (or, for OCSP, by a responder the
 * issuer delegated), names that issuer, and is fresh now (thisUpdate ≤ now ≤ nextUpdate); it is then kept on disk
 * until its nextUpdate. The policy evaluates it at the signing time (a revocation after a trusted signing time does
 * not count). A certificate for which no source answered gets its failures reported; the verdict rests on the rest.
 */

export interface OnlineRevocationOptions {
  cacheDir: string;
  timeoutMs?: number;
  maxCrlBytes?: number;
  maxOcspBytes?: number;
  /** For tests: the clock freshness is judged by. */
  now?: () => Date;
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_CRL_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_OCSP_BYTES = 64 * 1024;
/**
 * A source that failed is not asked again for this long: a batch of a thousand documents must not wait a thousand
 * timeouts. A network failure (refused, timed out, an HTTP error) is the source's, whatever was asked, so it is kept by
 * URL: an OCSP responder asks one question per certificate, and a dead one must not cost a timeout per signer. An
 * unacceptable answer is kept by question only (the responder may know the next certificate).
 */
const FAILURE_MEMORY_MS = 10 * 60 * 1000;
/** An OCSP response without nextUpdate is kept this long (RFC 6960 4.2.2.1: newer information is always available). */
const OCSP_NO_NEXT_UPDATE_MS = 60 * 60 * 1000;
/**
 * Timeouts' worth of waiting on one certificate's sources after which no further source of it is started (so a chain
 * waits ~15 s, at most one more timeout for the source already under way).
 */
const SOURCES_BUDGET = 3;
/** Clock skew tolerated between us and the CA on thisUpdate. */
const SKEW_MS = 5 * 60 * 1000;

type Answer = { der: Buffer; freshUntil: Date };

/** Checked answers kept in memory at most (a batch asks the same few CAs' CRLs for thousands of documents). */
const MEMORY_ENTRIES = 2000;

export class OnlineRevocationFetcher implements RevocationFetcher {
  private readonly cache: RevocationDiskCache;
  private readonly inFlight = new Map<string, Promise<Buffer>>();
  private readonly failures = new Map<string, { error: FetchError; until: number }>();
  /**
   * Answers already checked (signature, issuer, freshness), by key, until their freshUntil: judging 100,000 stored
   * documents again asks the same CRL 100,000 times, and reading, parsing and verifying it from disk each time
   * would cost more than judging. Only checked answers go in, so skipping the check again is sound.
   */
  private readonly memory = new Map<string, Answer>();
  /** Network requests made (cache misses): what the tests count. */
  requests = 0;

  constructor(private readonly options: OnlineRevocationOptions) {
    this.cache = new RevocationDiskCache(options.cacheDir);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async fetch(targets: readonly RevocationTarget[]): Promise<FetchedRevocation> {
    const out: FetchedRevocation = { crls: [], ocsps: [], problems: [] };
    const results = await Promise.all(targets.map((t) => this.forTarget(t)));
    for (const r of results) {
      if (r.crl && !out.crls.some((c) => c.equals(r.crl!))) out.crls.push(r.crl);
      if (r.ocsp) out.ocsps.push(r.ocsp);
      if (!r.crl && !r.ocsp) out.problems.push(...r.problems);
    }
    return out;
  }

  private async forTarget(t: RevocationTarget): Promise<{ crl: Buffer | null; ocsp: Buffer | null; problems: RevocationProblem[] }> {
    const problems: RevocationProblem[] = [];
    const problem = (url: string, e: unknown): void => {
      const err = e instanceof FetchError ? e : new FetchError('invalid', e instanceof Error ? e.message : String(e));
      problems.push({
        code: err.kind === 'unreachable' ? 'REVOCATION_SOURCE_UNREACHABLE' : 'REVOCATION_RESPONSE_INVALID',
        certificate: t.certificate.fingerprintSha256,
        url,
        reason: err.message,
      });
    };
    // Sources are tried one after another: past this budget the rest are reported, not waited for.
    const giveUpAt = Date.now() + SOURCES_BUDGET * (this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const spent = (url: string): boolean => {
      if (Date.now() < giveUpAt) return false;
      problem(url, new FetchError('unreachable', 'not asked: the time allowed for this certificate was spent on its other sources'));
      return true;
    };
    for (const url of t.certificate.crlDistributionPoints) {
      if (spent(url)) continue;
      try {
        return { crl: await this.answer(url, url, null, this.options.maxCrlBytes ?? DEFAULT_MAX_CRL_BYTES, (der) => this.checkCrl(der, t), checkedFor(t)), ocsp: null, problems };
      } catch (e) {
        problem(url, e);
      }
    }
    for (const url of t.certificate.ocspUrls) {
      if (spent(url)) continue;
      try {
        const body = ocspRequest(t.certificate, t.issuer);
        const key = `${url} ${body.toString('hex')}`;
        return { crl: null, ocsp: await this.answer(key, url, body, this.options.maxOcspBytes ?? DEFAULT_MAX_OCSP_BYTES, (der) => this.checkOcsp(der, t), checkedFor(t)), problems };
      } catch (e) {
        problem(url, e);
      }
    }
    return { crl: null, ocsp: null, problems };
  }

  /** A checked answer for `key`: from the disk cache while fresh, else fetched (once at a time per key). */
  private async answer(key: string, url: string, body: Buffer | null, maxBytes: number, check: (der: Buffer) => Answer, checked: string): Promise<Buffer> {
    if (!supportedUrl(url)) throw new FetchError('unreachable', `unsupported source (only http and https are fetched): ${url}`);
    // An answer is remembered for the CA it was checked against: another CA naming the same URL checks it anew.
    const memoKey = `${key}\u0000${checked}`;
    const remembered = this.memory.get(memoKey);
    if (remembered && remembered.freshUntil.getTime() >= this.now().getTime()) return remembered.der;
    const cached = this.cache.get(key, this.now());
    if (cached) {
      try {
        return this.remember(memoKey, check(cached)).der;
      } catch {
        // stale or damaged on disk: fetch again
      }
    }
    for (const k of [`source ${url}`, key]) {
      const failed = this.failures.get(k);
      if (failed && failed.until > Date.now()) throw failed.error;
    }
    const shared = this.inFlight.get(key);
    if (shared) {
      // Another document's request for the same source, checked against its CA: checked again against this one's.
      return this.remember(memoKey, check(await shared)).der;
    }
    this.requests++;
    const pending = fetchBytes(
      { url, accept: body ? 'application/ocsp-response' : 'application/pkix-crl', ...(body ? { body: { contentType: 'application/ocsp-request', data: body } } : {}) },
      { timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxBytes },
    ).then((der) => {
      const a = check(der);
      this.cache.put(key, a.der, a.freshUntil);
      return this.remember(memoKey, a).der;
    });
    this.inFlight.set(key, pending);
    // Failures, network or answer, are remembered for a while: the next document of the batch does not wait again.
    void pending.then(
      () => this.inFlight.delete(key),
      (e: unknown) => {
        this.inFlight.delete(key);
        if (e instanceof FetchError) this.failures.set(e.kind === 'unreachable' ? `source ${url}` : key, { error: e, until: Date.now() + FAILURE_MEMORY_MS });
      },
    );
    return pending;
  }

  private remember(key: string, a: Answer): Answer {
    this.memory.delete(key);
    this.memory.set(key, a);
    // Oldest first out: a Map iterates in insertion order.
    if (this.memory.size > MEMORY_ENTRIES) this.memory.delete(this.memory.keys().next().value as string);
    return a;
  }

  private checkCrl(der: Buffer, t: RevocationTarget): Answer {
    let crl: CertificateList;
    try {
      crl = CertificateList.fromDer(der);
    } catch (e) {
      throw new FetchError('invalid', `not a CRL: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (crl.issuer.matchKey !== t.certificate.issuer.matchKey) throw new FetchError('invalid', 'the CRL is issued by another CA than the certificate');
    if (!crl.isSignedBy(t.issuer)) throw new FetchError('invalid', "the CRL's signature does not verify with the issuing CA's key");
    if (crl.isDelta) throw new FetchError('invalid', 'a delta CRL cannot show a certificate is not revoked');
    const now = this.now();
    fresh(crl.thisUpdate, crl.nextUpdate, now, 'CRL');
    if (!crl.nextUpdate) throw new FetchError('invalid', 'the CRL has no nextUpdate (RFC 5280 5.1.2.5)');
    return { der: crl.der, freshUntil: crl.nextUpdate };
  }

  private checkOcsp(der: Buffer, t: RevocationTarget): Answer {
    let resp: OcspResponse;
    try {
      resp = OcspResponse.fromDer(der);
    } catch (e) {
      throw new FetchError('invalid', `not a usable OCSP response: ${e instanceof Error ? e.message : String(e)}`);
    }
    const singles = resp.responsesFor(t.certificate, t.issuer);
    if (singles.length === 0) throw new FetchError('invalid', 'the OCSP response does not speak of this certificate');
    if (!resp.verifiedSigner(t.issuer)) throw new FetchError('invalid', 'the OCSP response is signed neither by the issuing CA nor by a responder it delegated');
    const now = this.now();
    let until = Infinity;
    for (const s of singles) {
      if (s.certStatus.status === 'unknown') throw new FetchError('invalid', 'the OCSP responder does not know this certificate');
      fresh(s.thisUpdate, s.nextUpdate, now, 'OCSP response');
      until = Math.min(until, s.nextUpdate?.getTime() ?? now.getTime() + OCSP_NO_NEXT_UPDATE_MS);
    }
    return { der: resp.der, freshUntil: new Date(until) };
  }
}

/** What an answer is checked against: the issuing CA's key and the issuer name the certificate carries. */
function checkedFor(t: RevocationTarget): string {
  return `${t.issuer.fingerprintSha256} ${t.certificate.issuer.matchKey}`;
}

function fresh(thisUpdate: Date, nextUpdate: Date | null, now: Date, what: string): void {
  if (thisUpdate.getTime() > now.getTime() + SKEW_MS) throw new FetchError('invalid', `the ${what} is dated in the future (${thisUpdate.toISOString()})`);
  if (nextUpdate && nextUpdate.getTime() < now.getTime()) throw new FetchError('invalid', `the ${what} is stale (nextUpdate ${nextUpdate.toISOString()})`);
}
