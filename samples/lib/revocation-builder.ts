/**
 * CRLs (RFC 5280 §5) and OCSP responses (RFC 6960) by samples/lib's own DER writer. The test data comes from pkijs
 * (revocation-pkijs.ts); this encoder is kept only as the second opinion the tests compare it with, byte for byte.
 */
import { createHash } from 'node:crypto';
import { bits, enumerated, explicit, genTime, implicit, int, nul, octets, oid, seq, time } from './der';
import { signData, signatureAlgId } from './pki-alg';
import { certFields, keyIdOfSpki } from './pki-x509';
import type { TestIdentity } from './test-pki';

function seconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), Buffer.from([0x01, 0x01, 0xff]), octets(value)) : seq(oid(id), octets(value));
}

function authorityKeyId(issuer: TestIdentity): Buffer {
  const f = certFields(issuer.cert);
  return extension('2.5.29.35', false, seq(implicit(0, octets(f.subjectKeyId ?? keyIdOfSpki(f.spki)))));
}

/**
 * CRL v2 signed by `issuer` with sha256. reason is a CRLReason code (1 keyCompromise, 4 superseded, …).
 * crlNumber defaults to thisUpdate in seconds, so later CRLs get larger numbers.
 */
export function makeCrl(
  issuer: TestIdentity,
  revoked: { serial: bigint; date: Date; reason?: number }[],
  o: { thisUpdate: Date; nextUpdate: Date; crlNumber?: bigint },
): Buffer {
  const f = certFields(issuer.cert);
  const sigAlg = signatureAlgId(issuer.key, 'sha256');
  const entries = revoked.map((r) => {
    const entryExts = r.reason === undefined ? [] : [seq(extension('2.5.29.21', false, enumerated(r.reason)))];
    return seq(int(r.serial), time(seconds(r.date)), ...entryExts);
  });
  const crlNumber = o.crlNumber ?? BigInt(Math.floor(o.thisUpdate.getTime() / 1000));
  const tbs = seq(
    int(1),
    sigAlg,
    f.subjectName,
    time(seconds(o.thisUpdate)),
    time(seconds(o.nextUpdate)),
    // revokedCertificates must be absent, not empty, when nothing is revoked.
    ...(entries.length > 0 ? [seq(...entries)] : []),
    explicit(0, seq(authorityKeyId(issuer), extension('2.5.29.20', false, int(crlNumber)))),
  );
  return seq(tbs, sigAlg, bits(signData(issuer.key, 'sha256', tbs)));
}

/**
 * OCSPResponse (successful, id-pkix-ocsp-basic) about `cert`, issued by `issuer`. The responder
 * defaults to the issuing CA itself; a delegated responder (EKU ocspSigning) is named by key
 * and its certificate is included in `certs`.
 */
export function makeOcspResponse(
  issuer: TestIdentity,
  o: { cert: Buffer; status: 'good' | 'revoked'; revokedAt?: Date; revocationReason?: number; producedAt: Date; thisUpdate?: Date; nextUpdate?: Date; responder?: TestIdentity },
): Buffer {
  const issuerFields = certFields(issuer.cert);
  const target = certFields(o.cert);
  const sha1 = (b: Buffer): Buffer => createHash('sha1').update(b).digest();
  const certId = seq(seq(oid('1.3.14.3.2.26'), nul()), octets(sha1(target.issuerName)), octets(sha1(issuerFields.publicKeyBits)), int(target.serial));

  let certStatus: Buffer;
  if (o.status === 'good') {
    certStatus = Buffer.from([0x80, 0x00]);
  } else {
    const revokedAt = seconds(o.revokedAt ?? o.producedAt);
    const reason = o.revocationReason === undefined ? [] : [explicit(0, enumerated(o.revocationReason))];
    certStatus = implicit(1, seq(genTime(revokedAt), ...reason));
  }
  const thisUpdate = seconds(o.thisUpdate ?? o.producedAt);
  const nextUpdate = seconds(o.nextUpdate ?? new Date(thisUpdate.getTime() + 7 * 86400_000));
  const single = seq(certId, certStatus, genTime(thisUpdate), explicit(0, genTime(nextUpdate)));

  const responder = o.responder ?? issuer;
  const responderKeyHash = sha1(certFields(responder.cert).publicKeyBits);
  const responseData = seq(explicit(2, octets(responderKeyHash)), genTime(seconds(o.producedAt)), seq(single));
  const sigAlg = signatureAlgId(responder.key, 'sha256');
  const basicParts = [responseData, sigAlg, bits(signData(responder.key, 'sha256', responseData))];
  if (o.responder) basicParts.push(explicit(0, seq(o.responder.cert)));
  const basic = seq(...basicParts);
  return seq(enumerated(0), explicit(0, seq(oid('1.3.6.1.5.5.7.48.1.1'), octets(basic))));
}
