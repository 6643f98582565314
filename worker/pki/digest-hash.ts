import { createHash, type Hash } from 'node:crypto';

/**
 * The only place kiemky creates a digest hash from a digest name. A name is node:crypto's hash name, or the name of
 * an extendable-output function with the output length a CMS digest algorithm fixes ('shake256-512': SHAKE256 with
 * 512 bits, RFC 8419). node:crypto's own 'shake256' gives 256 bits, and Hash.copy() forgets an output length unless
 * it is passed again: a digest made or forked anywhere else could silently be the wrong length.
 */

const XOF_OUTPUT: ReadonlyMap<string, { algorithm: string; outputLength: number }> = new Map([
  ['shake256-512', { algorithm: 'shake256', outputLength: 64 }],
]);

/** Throws for a name node:crypto cannot compute, as createHash does. */
export function createDigestHash(name: string): Hash {
  const xof = XOF_OUTPUT.get(name);
  return xof ? createHash(xof.algorithm, { outputLength: xof.outputLength }) : createHash(name);
}

/** A fork of `hash`, which `createDigestHash(name)` made, keeping its output length. */
export function copyDigestHash(name: string, hash: Hash): Hash {
  const xof = XOF_OUTPUT.get(name);
  return xof ? hash.copy({ outputLength: xof.outputLength }) : hash.copy();
}

export function digestBytes(name: string, ...parts: Buffer[]): Buffer {
  const h = createDigestHash(name);
  for (const p of parts) h.update(p);
  return h.digest();
}
