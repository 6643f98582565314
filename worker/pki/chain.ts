/**
 * Chain building BY KEY. Names (and AKI/SKI) only nominate issuer candidates; an edge exists only when the child's
 * signature verifies with the candidate's key, and a chain is trusted only when it reaches a certificate whose
 * SubjectPublicKeyInfo is byte-equal to a pinned anchor's. A look-alike root with a real CA's name but another
 * key therefore never yields a trusted chain.
 */
import type { Certificate } from './certificate';
import type { StoredIntermediate, TrustAnchor, TrustStore } from './types';

/** Longest path considered, leaf and anchor included. Real paths here are 2–4 long. */
export const MAX_PATH_LENGTH = 8;
/** Signature checks one build may spend: bounds the work a CMS stuffed with look-alike certificates can cause. */
const MAX_EDGE_CHECKS = 200;

interface StoreIndex {
  anchorsByKey: Map<string, TrustAnchor>;
  bySubject: Map<string, Certificate[]>;
  bySki: Map<string, Certificate[]>;
  storedByFp: Map<string, StoredIntermediate | TrustAnchor>;
  sizes: string;
}

const indexes = new WeakMap<TrustStore, StoreIndex>();

function keyOf(cert: Certificate): string {
  return cert.spkiKey;
}

function push(map: Map<string, Certificate[]>, key: string, cert: Certificate): void {
  const list = map.get(key);
  if (list) list.push(cert);
  else map.set(key, [cert]);
}

/** Indexes of a store (built once per store object; rebuilt if its arrays changed size). */
export function storeIndex(store: TrustStore): StoreIndex {
  const sizes = `${store.anchors.length}/${store.intermediates.length}`;
  const hit = indexes.get(store);
  if (hit && hit.sizes === sizes) return hit;
  const idx: StoreIndex = { anchorsByKey: new Map(), bySubject: new Map(), bySki: new Map(), storedByFp: new Map(), sizes };
  for (const a of store.anchors) {
    if (!idx.anchorsByKey.has(keyOf(a.certificate))) idx.anchorsByKey.set(keyOf(a.certificate), a);
    idx.storedByFp.set(a.certificate.fingerprintSha256, a);
  }
  for (const entry of [...store.anchors, ...store.intermediates]) {
    const c = entry.certificate;
    push(idx.bySubject, c.subject.matchKey, c);
    if (c.subjectKeyId) push(idx.bySki, c.subjectKeyId, c);
    if (!idx.storedByFp.has(c.fingerprintSha256)) idx.storedByFp.set(c.fingerprintSha256, entry);
  }
  indexes.set(store, idx);
  return idx;
}

/** The pinned anchor whose key this certificate carries, if any. */
export function anchorForKey(store: TrustStore, cert: Certificate): TrustAnchor | null {
  return storeIndex(store).anchorsByKey.get(keyOf(cert)) ?? null;
}

export interface BuiltChain {
  /** Leaf first. When `anchor` is set, the last element is the anchor's certificate. */
  path: Certificate[];
  anchor: TrustAnchor | null;
}

/**
 * Depth-first search from the leaf towards a pinned anchor. Candidates that are anchors come first, then those
 * valid at `time`, so the path chosen is the one most likely to validate. Returns the first path reaching an anchor,
 * else the longest path found.
 */
export function buildChain(leaf: Certificate, pool: readonly Certificate[], store: TrustStore, time: Date): BuiltChain {
  const idx = storeIndex(store);
  const leafAnchor = idx.anchorsByKey.get(keyOf(leaf));
  if (leafAnchor) return { path: [leaf], anchor: leafAnchor };

  const poolBySubject = new Map<string, Certificate[]>();
  const poolBySki = new Map<string, Certificate[]>();
  for (const c of pool) {
    push(poolBySubject, c.subject.matchKey, c);
    if (c.subjectKeyId) push(poolBySki, c.subjectKeyId, c);
  }

  const candidatesFor = (child: Certificate): Certificate[] => {
    const found = new Map<string, Certificate>();
    const add = (list: Certificate[] | undefined): void => {
      for (const c of list ?? []) {
        // A certificate carrying an anchor's key stands for the anchor itself (same key, pinned certificate).
        const a = idx.anchorsByKey.get(keyOf(c));
        const cert = a ? a.certificate : c;
        if (!found.has(cert.fingerprintSha256)) found.set(cert.fingerprintSha256, cert);
      }
    };
    add(idx.bySubject.get(child.issuer.matchKey));
    add(poolBySubject.get(child.issuer.matchKey));
    if (child.authorityKeyId) {
      add(idx.bySki.get(child.authorityKeyId));
      add(poolBySki.get(child.authorityKeyId));
    }
    const rank = (c: Certificate): number => (idx.anchorsByKey.has(keyOf(c)) ? 0 : c.isValidAt(time) ? 1 : 2);
    return [...found.values()].sort((a, b) => rank(a) - rank(b));
  };

  let checks = 0;
  let best: Certificate[] = [leaf];
  const onPath = new Set<string>([leaf.fingerprintSha256]);
  const path: Certificate[] = [leaf];

  const dfs = (): TrustAnchor | null => {
    const cur = path[path.length - 1]!;
    if (path.length > 1) {
      const a = idx.anchorsByKey.get(keyOf(cur));
      if (a) return a;
    }
    if (path.length > best.length) best = [...path];
    if (path.length >= MAX_PATH_LENGTH) return null;
    for (const cand of candidatesFor(cur)) {
      if (onPath.has(cand.fingerprintSha256) || cand.sameKeyAs(cur)) continue;
      if (checks++ >= MAX_EDGE_CHECKS) return null;
      if (!cur.isSignedBy(cand)) continue;
      path.push(cand);
      onPath.add(cand.fingerprintSha256);
      const a = dfs();
      if (a) return a;
      path.pop();
      onPath.delete(cand.fingerprintSha256);
    }
    return null;
  };

  const anchor = dfs();
  if (anchor) return { path: [...path], anchor };
  return { path: best, anchor: null };
}

/** The stored (trust-store) entry for a certificate, by fingerprint. */
export function storedEntry(store: TrustStore, cert: Certificate): StoredIntermediate | TrustAnchor | null {
  return storeIndex(store).storedByFp.get(cert.fingerprintSha256) ?? null;
}
