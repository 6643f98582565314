import { Asn1, Asn1Error, Tag, decodeBitString, parseDer } from '../asn1/der';
import { parseAlgorithmIdentifier, type AlgorithmIdentifier } from './algorithms';

/**
 * SEQUENCE { tbs, signatureAlgorithm, BIT STRING signature }: the shape of a certificate and of a CRL. The signed
 * part is kept as its exact DER bytes, since the signature is checked over those and nothing re-encoded.
 */
export interface SignedEnvelope {
  tbsNode: Asn1;
  tbs: Buffer;
  sigAlgId: AlgorithmIdentifier;
  signature: Buffer;
}

export function parseSignedEnvelope(der: Buffer, what: string, tbsName: string): SignedEnvelope {
  const root = parseDer(der).expect(Tag.SEQUENCE, what);
  const top = root.children();
  if (top.length !== 3) throw new Asn1Error(`${what} must have 3 elements`, root.start);
  const tbsNode = top[0]!.expect(Tag.SEQUENCE, tbsName);
  const sigAlgId = parseAlgorithmIdentifier(top[1]!, 'signatureAlgorithm');
  const bits = decodeBitString(top[2]!);
  if (bits.unusedBits !== 0) throw new Asn1Error(`${what} signature BIT STRING with unused bits`, top[2]!.start);
  return { tbsNode, tbs: tbsNode.raw, sigAlgId, signature: bits.bytes };
}
