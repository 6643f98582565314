import { createHash } from 'node:crypto';
import type { Certificate } from '../../../worker/pki/certificate';

/**
 * An OCSPRequest (RFC 6960 4.1.1) for one certificate, encoded here: worker/asn1 only decodes, and the request is
 * four nested SEQUENCEs, not worth a dependency. No nonce and no signature: responders serve unsigned requests, and a
 * response without a nonce can be cached (RFC 5019). The CertID is hashed with SHA-1, the one hash every responder
 * must accept (RFC 5019 2.1.1); it only names the certificate, it is not a security check, and the response's own
 * signature is what we verify.
 */

const SHA1_ALGORITHM = Buffer.from('300906052b0e03021a0500', 'hex'); // SEQUENCE { OID 1.3.14.3.2.26, NULL }

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const sequence = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const sha1 = (b: Buffer): Buffer => createHash('sha1').update(b).digest();

/** The DER of an OCSPRequest asking about `cert`, issued by `issuer`. */
export function ocspRequest(cert: Certificate, issuer: Certificate): Buffer {
  // The serial's content octets exactly as the certificate encodes them (sign octet included), so they match.
  const serial = tlv(0x02, Buffer.from(cert.serialNumberHex, 'hex'));
  const certId = sequence(SHA1_ALGORITHM, tlv(0x04, sha1(issuer.subject.der)), tlv(0x04, sha1(issuer.publicKeyBits)), serial);
  return sequence(sequence(sequence(sequence(certId))));
}
