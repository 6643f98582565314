import { fetchedVersion, storedFetched, toFactsRecord, type FactsRecord } from '../../worker/facts-record';
import { loadTrustStore } from '../../worker/pki/trust-store';
import type { UnitRegistry } from '../../worker/registry';
import { verifyDocument } from '../../worker/verify';
import { attachFacts } from './facts-channel';
import type { RevocationSettings, VerifyFn } from './protocol';
import { judgedWith, versionsOf } from './rejudge';
import { revocationFetcher } from './revocation/settings';

/**
 * The real verifier: the trust store is loaded once, here, and every document is checked against it. Online, one
 * fetcher per thread (its memory of failures and requests in flight), sharing the disk cache with the others. With
 * keepFacts (the service), each report names the versions it was judged with and carries its facts record
 * (facts-channel.ts) for the store; the command line's `check` names the versions but keeps no facts.
 */
export function createVerifier(certsDir: string, revocation?: RevocationSettings, keepFacts = false): VerifyFn {
  const trustStore = loadTrustStore(certsDir);
  const fetcher = revocationFetcher(revocation);
  const withFetcher = (options: Parameters<VerifyFn>[1]): Parameters<VerifyFn>[1] => (fetcher ? { ...options, revocation: fetcher } : options);
  const versionByRegistry = new WeakMap<UnitRegistry, ReturnType<typeof versionsOf>>();
  const plain = versionsOf({ trust: trustStore });
  const versions = (registry: UnitRegistry | undefined): ReturnType<typeof versionsOf> => {
    if (!registry) return plain;
    let v = versionByRegistry.get(registry);
    if (!v) versionByRegistry.set(registry, (v = versionsOf({ trust: trustStore, registry })));
    return v;
  };
  return async (source, options) => {
    let record: FactsRecord | null = null;
    let revocation: string | null = null;
    const report = await verifyDocument(source, trustStore, {
      ...withFetcher(options),
      onFacts: (facts, fetched) => {
        const made = keepFacts ? toFactsRecord(facts, fetched && { data: fetched, at: new Date() }) : null;
        record = made;
        // `check` keeps no facts, but its reports name what they were judged with all the same.
        const kept = made ? made.fetched : fetched && storedFetched(fetched);
        revocation = kept ? fetchedVersion(kept) : null;
      },
    });
    const out = { ...report, judgedWith: judgedWith(versions(options.registry), new Date(), revocation) };
    const kept = record as FactsRecord | null;
    return kept ? attachFacts(out, kept) : out;
  };
}
