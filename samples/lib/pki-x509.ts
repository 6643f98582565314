/**
 * Field extraction from X.509 certificates built by the test PKI (and any well-formed DER
 * certificate). The builders need the exact issuer/subject Name bytes, serial and key of a
 * certificate: copying bytes, never re-encoding, is what keeps look-alike DNs byte-identical.
 */
import { createHash } from 'node:crypto';
import { children, decodeInt, decodeOid, readTlv } from './der';

export interface CertFields {
  /** TBSCertificate encoding. */
  tbs: Buffer;
  /** serialNumber INTEGER content octets (as encoded, possibly with a leading 0x00). */
  serialContent: Buffer;
  serial: bigint;
  /** Full DER of the issuer Name. */
  issuerName: Buffer;
  /** Full DER of the subject Name. */
  subjectName: Buffer;
  /** Full DER of SubjectPublicKeyInfo. */
  spki: Buffer;
  /** subjectPublicKey BIT STRING value without the unused-bits octet (what OCSP and SKI hash). */
  publicKeyBits: Buffer;
  /** subjectKeyIdentifier extension value, if present. */
  subjectKeyId?: Buffer;
  /** Extension OID → extnValue content (the inner encoding). */
  extensions: Map<string, { critical: boolean; value: Buffer }>;
}

export function certFields(der: Buffer): CertFields {
  const cert = readTlv(der);
  const [tbsNode] = children(cert);
  let f = children(tbsNode);
  // version is [0] EXPLICIT and absent for v1.
  if (f[0].tag === 0xa0) f = f.slice(1);
  const [serialNode, , issuerNode, , subjectNode, spkiNode, ...rest] = f;
  const spkiParts = children(spkiNode);
  const publicKeyBits = spkiParts[1].content.subarray(1);
  const extensions = new Map<string, { critical: boolean; value: Buffer }>();
  for (const r of rest) {
    if (r.tag !== 0xa3) continue;
    for (const ext of children(children(r)[0])) {
      const parts = children(ext);
      const id = decodeOid(parts[0].content);
      const critical = parts.length === 3 && parts[1].tag === 0x01 && parts[1].content[0] !== 0;
      extensions.set(id, { critical, value: parts[parts.length - 1].content });
    }
  }
  const skiExt = extensions.get('2.5.29.14');
  return {
    tbs: tbsNode.der,
    serialContent: serialNode.content,
    serial: decodeInt(serialNode.content),
    issuerName: issuerNode.der,
    subjectName: subjectNode.der,
    spki: spkiNode.der,
    publicKeyBits,
    subjectKeyId: skiExt ? readTlv(skiExt.value).content : undefined,
    extensions,
  };
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits. */
export function keyIdOfSpki(spkiDer: Buffer): Buffer {
  const parts = children(readTlv(spkiDer));
  return createHash('sha1').update(parts[1].content.subarray(1)).digest();
}
