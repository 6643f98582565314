import type { Certificate } from '../pki/certificate';

/** A date as reports carry it (ISO 8601, UTC), or null for none or an invalid one. */
export function iso(d: Date | null | undefined): string | null {
  return d && !Number.isNaN(d.getTime()) ? d.toISOString() : null;
}

// A signer's certificate is the same object for every document it signed in a batch (parsed once by its DER).
const datesOf = new WeakMap<Certificate, { notBefore: string | null; notAfter: string | null }>();

/** A certificate's validity period as reports carry it, worked out once per certificate. */
export function certificateDates(cert: Certificate): { notBefore: string | null; notAfter: string | null } {
  let d = datesOf.get(cert);
  if (d === undefined) {
    d = { notBefore: iso(cert.notBefore), notAfter: iso(cert.notAfter) };
    datesOf.set(cert, d);
  }
  return d;
}
