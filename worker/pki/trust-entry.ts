/**
 * A certificate of the trust store as listed (server/pool's describeTrustStore, GET /api/trust): declared here, beside
 * the store it describes (trust-store.ts), so the service's interfaces (server/shared) and the verification threads'
 * room (server/pool), which may not import each other, name one shape. It imports nothing, so naming it pulls in no
 * Node code (the web client's tsconfig has no Node types).
 */
export interface TrustEntry {
  /** SHA-256 of the DER, lower-case hex. */
  fingerprint: string;
  subject: string;
  commonName: string | null;
  /** A self-signed anchor, or a CA certificate that only helps build chains. */
  kind: 'root' | 'intermediate';
  /** The top folder it was loaded from: government/ (CA Chính phủ) or public/ (commercial CAs). */
  category: 'government' | 'public';
  /** The provider folder under the category (public/VNPT-CA/… → 'VNPT-CA'), null at the top. */
  provider: string | null;
  notBefore: string;
  notAfter: string;
}
