/**
 * RFC 3161 timestamp tokens: a SignedData whose eContent is a TSTInfo. Used both for signature timestamps
 * (unsigned attribute; imprint = hash of the SignerInfo signature value) and for document timestamps
 * (ETSI.RFC3161; imprint = hash of the PDF's signed bytes).
 */
import { Asn1, Asn1Error, Tag, decodeBoolean, decodeIntegerHex, decodeOctetString, decodeOid, decodeSmallInt, decodeTime, parseDer } from '../asn1/der';
import { OID } from '../asn1/oids';
import { DigestInfo, digestByOid, hashBytes, parseAlgorithmIdentifier } from '../pki/algorithms';
import type { Certificate } from '../pki/certificate';
import { GeneralName, parseGeneralName } from '../pki/general-name';
import { SignedData, parseSignedDataContentInfo } from './signed-data';
import { checkSigner } from './signer';
import type { CmsProblem, TimestampFacts } from './types';

export interface TstInfo {
  version: number;
  policy: string;
  messageImprint: { hashAlgorithmOid: string; hashAlgorithm: DigestInfo | null; hashedMessage: Buffer };
  serialHex: string;
  genTime: Date;
  /** Accuracy in milliseconds, or null when absent. */
  accuracyMs: number | null;
  ordering: boolean;
  nonceHex: string | null;
  tsa: GeneralName | null;
}

export function parseTstInfo(der: Buffer): TstInfo {
  const root = parseDer(der).expect(Tag.SEQUENCE, 'TSTInfo');
  const f = root.children();
  let i = 0;
  const need = (what: string): Asn1 => {
    const n = f[i++];
    if (!n) throw new Asn1Error(`TSTInfo: missing ${what}`, root.start);
    return n;
  };
  const version = decodeSmallInt(need('version'));
  if (version !== 1) throw new Asn1Error(`TSTInfo version ${version}`, root.start);
  const policy = decodeOid(need('policy'));
  const mi = need('messageImprint').expect(Tag.SEQUENCE, 'MessageImprint');
  const alg = parseAlgorithmIdentifier(mi.child(0));
  const hashedMessage = decodeOctetString(mi.child(1));
  const serialHex = decodeIntegerHex(need('serialNumber'));
  const genTime = decodeTime(need('genTime').expect(Tag.GENERALIZED_TIME, 'genTime'));
  let accuracyMs: number | null = null;
  let ordering = false;
  let nonceHex: string | null = null;
  let tsa: GeneralName | null = null;
  for (; i < f.length; i++) {
    const n = f[i]!;
    if (n.isUniversal(Tag.SEQUENCE)) {
      let ms = 0;
      for (const a of n.children()) {
        if (a.isUniversal(Tag.INTEGER)) ms += decodeSmallInt(a) * 1000;
        else if (a.isContext(0)) ms += smallUnsigned(a);
        else if (a.isContext(1)) ms += smallUnsigned(a) / 1000;
      }
      accuracyMs = ms;
    } else if (n.isUniversal(Tag.BOOLEAN)) ordering = decodeBoolean(n);
    else if (n.isUniversal(Tag.INTEGER)) nonceHex = decodeIntegerHex(n);
    else if (n.isContext(0)) tsa = parseGeneralName(n.explicitInner('tsa'));
    else if (n.isContext(1)) continue; // extensions
    else throw new Asn1Error(`TSTInfo: unexpected ${n.describe()}`, n.start);
  }
  return {
    version,
    policy,
    messageImprint: { hashAlgorithmOid: alg.oid, hashAlgorithm: digestByOid(alg.oid), hashedMessage },
    serialHex,
    genTime,
    accuracyMs,
    ordering,
    nonceHex,
    tsa,
  };
}

function smallUnsigned(n: Asn1): number {
  const c = n.content;
  if (n.constructed || c.length === 0 || c.length > 4) throw new Asn1Error('bad accuracy field', n.start);
  let v = 0;
  for (const b of c) v = v * 256 + b;
  return v;
}

export interface ParsedToken {
  signedData: SignedData;
  tstInfo: TstInfo;
}

/** Parse a TimeStampToken (ContentInfo). Throws Asn1Error when it is not a SignedData over a TSTInfo. */
export function parseTimestampToken(der: Buffer): ParsedToken {
  const signedData = parseSignedDataContentInfo(der, false);
  if (signedData.eContentType !== OID.tstInfo) throw new Asn1Error(`timestamp token content type ${signedData.eContentType} is not TSTInfo`);
  if (!signedData.eContent) throw new Asn1Error('timestamp token without TSTInfo');
  return { signedData, tstInfo: parseTstInfo(signedData.eContent) };
}

/**
 * Verify a parsed token. `imprintOf(nodeHash)` returns the hash of what the token must cover, or null when that
 * hash was not computed. Problems are prefixed TIMESTAMP_ (they do not break the signature they accompany).
 */
export function verifyTimestampToken(
  token: ParsedToken,
  imprintOf: (nodeHash: string) => Buffer | null,
  extraCerts: readonly Certificate[],
): TimestampFacts & { signatureAlgorithm: string | null; weak: boolean } {
  const { signedData: sd, tstInfo } = token;
  const problems: CmsProblem[] = [];
  const mi = tstInfo.messageImprint;
  let imprintMatches = false;
  if (!mi.hashAlgorithm?.node) {
    problems.push({ code: 'TIMESTAMP_UNSUPPORTED_ALGORITHM', detail: `imprint hash ${mi.hashAlgorithm?.display ?? mi.hashAlgorithmOid}` });
  } else {
    const expected = imprintOf(mi.hashAlgorithm.node);
    if (!expected) problems.push({ code: 'TIMESTAMP_DIGEST_NOT_PROVIDED', detail: `no ${mi.hashAlgorithm.display} digest computed` });
    else if (expected.equals(mi.hashedMessage)) imprintMatches = true;
    else problems.push({ code: 'TIMESTAMP_IMPRINT_MISMATCH', detail: 'the token imprint does not match what it must cover' });
  }
  const si = sd.signerInfos[0];
  let signatureValid = false;
  let tsaCertificate: Certificate | null = null;
  let signatureAlgorithm: string | null = null;
  let weak = mi.hashAlgorithm?.weak ?? false;
  if (!si) problems.push({ code: 'TIMESTAMP_MALFORMED', detail: 'token has no SignerInfo' });
  else {
    if (sd.signerInfos.length > 1) problems.push({ code: 'TIMESTAMP_MULTIPLE_SIGNERS', detail: `${sd.signerInfos.length} SignerInfos` });
    const eContent = sd.eContent!;
    const check = checkSigner({
      sd,
      si,
      contentDigest: (h) => hashBytes(h, eContent),
      content: eContent,
      extraCerts,
    });
    for (const p of check.problems) problems.push({ code: p.code.startsWith('TIMESTAMP_') ? p.code : `TIMESTAMP_${p.code}`, detail: p.detail });
    tsaCertificate = check.signerCertificate;
    signatureAlgorithm = check.sigAlg?.name ?? null;
    weak = weak || (check.digest?.weak ?? false) || (check.sigAlg?.weak ?? false);
    // A token whose ESS reference names another certificate is not the TSA's statement about this signer.
    signatureValid = check.signatureValid && check.digestMatches && check.signingCertificateAttribute !== 'mismatch' && check.problems.length === 0;
  }
  return {
    genTime: tstInfo.genTime,
    imprintAlgorithm: mi.hashAlgorithm?.display ?? null,
    imprintMatches,
    signatureValid,
    tsaCertificate,
    certificates: sd.certificates,
    problems,
    signatureAlgorithm,
    weak,
  };
}
