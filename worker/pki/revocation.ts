import { CertificateList } from './crl';
import { OcspResponse } from './ocsp';

/**
 * Revocation data as the policy reads it: CRLs and OCSP responses decoded once, while the facts are collected, so
 * that judging never decodes DER. What does not decode is left out (it could not have told anything). The DER stays
 * in the facts beside it (a stored record keeps the bytes); decoding is cached by buffer, since a batch's documents
 * often carry the same CA's CRL.
 */
export interface RevocationData {
  crls: CertificateList[];
  ocsps: OcspResponse[];
}

export const NO_REVOCATION_DATA: RevocationData = { crls: [], ocsps: [] };

const crlByBuffer = new WeakMap<Buffer, CertificateList | null>();
const ocspByBuffer = new WeakMap<Buffer, OcspResponse | null>();

function decodeCached<T>(der: Buffer, cache: WeakMap<Buffer, T | null>, decode: (der: Buffer) => T): T | null {
  if (cache.has(der)) return cache.get(der)!;
  let v: T | null = null;
  try {
    v = decode(der);
  } catch {
    v = null;
  }
  cache.set(der, v);
  return v;
}

export function decodeRevocation(crls: readonly Buffer[], ocsps: readonly Buffer[]): RevocationData {
  const out: RevocationData = { crls: [], ocsps: [] };
  for (const der of crls) {
    const crl = decodeCached(der, crlByBuffer, (d) => CertificateList.fromDer(d));
    if (crl && !out.crls.includes(crl)) out.crls.push(crl);
  }
  for (const der of ocsps) {
    const r = decodeCached(der, ocspByBuffer, (d) => OcspResponse.fromDer(d));
    if (r) out.ocsps.push(r);
  }
  return out;
}
