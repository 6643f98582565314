import { loadTrustStore } from '../../worker/pki/trust-store';
import { verifyDocument } from '../../worker/verify';
import type { VerifyFn } from './protocol';

/** The real verifier: the trust store is loaded once, here, and every document is checked against it. */
export function createVerifier(certsDir: string): VerifyFn {
  const trustStore = loadTrustStore(certsDir);
  return (source, options) => verifyDocument(source, trustStore, options);
}
