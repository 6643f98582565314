import type { SignatureFacts } from '../facts';
import type { Certificate } from '../pki/certificate';
import type { RevocationData } from '../pki/revocation';
import type { TrustStore } from '../pki/types';
import { validateCertificate } from '../pki/validate';
import type { Finding, SignatureReport, TimestampReport } from '../report';
import { finding } from './messages';

/**
 * The time a signature's certificate is judged at: a verified RFC 3161 timestamp's genTime (its TSA trusted at that
 * time), else the signer's claimed signingTime, else the signature dictionary's /M, in that order. A timestamp
 * that does not hold is reported and not used; a document timestamp's own genTime is its time whatever its TSA.
 */
export interface SigningTime {
  time: Date | null;
  source: SignatureReport['signingTimeSource'];
  timestamp: TimestampReport | null;
  findings: Finding[];
}

export interface EvidenceForTime {
  pool: Certificate[];
  revocation: RevocationData;
  trustStore: TrustStore;
}

export function trustedSigningTime(s: SignatureFacts, evidence: EvidenceForTime): SigningTime {
  const n = s.index;
  const cms = s.cms;
  const findings: Finding[] = [];
  let timestamp: TimestampReport | null = null;
  let time: Date | null = null;
  let source: SignatureReport['signingTimeSource'] = 'none';
  const tst = cms?.timestamp ?? null;
  if (tst) {
    let tsaOk = false;
    if (tst.tsaCertificate) {
      const v = validateCertificate(tst.tsaCertificate, {
        pool: evidence.pool,
        trustStore: evidence.trustStore,
        time: tst.genTime,
        crls: evidence.revocation.crls,
        ocsps: evidence.revocation.ocsps,
        purpose: 'timestamping',
      });
      tsaOk = v.status === 'valid';
      if (!tsaOk && !s.isDocumentTimestamp) findings.push(finding('TIMESTAMP_INVALID', { detail: `TSA: ${v.status}` }, n));
    }
    if (!tst.imprintMatches || !tst.signatureValid) {
      const why = [...tst.problems.map((p) => p.detail || p.code), !tst.imprintMatches ? 'imprint' : '', !tst.signatureValid ? 'signature' : '']
        .filter(Boolean)
        .join('; ');
      findings.push(finding('TIMESTAMP_INVALID', { detail: why }, n));
    }
    const valid = tst.imprintMatches && tst.signatureValid && tsaOk;
    timestamp = { genTime: tst.genTime.toISOString(), valid, tsa: tst.tsaCertificate?.subject.get('CN') ?? null, digestAlgorithm: tst.imprintAlgorithm };
    if (valid || s.isDocumentTimestamp) {
      time = tst.genTime;
      source = 'timestamp';
    }
  }
  if (!time && cms?.claimedSigningTime) {
    time = cms.claimedSigningTime;
    source = 'signingTime';
  }
  if (!time && s.pdf.mDate) {
    time = s.pdf.mDate;
    source = 'M';
    if (cms) findings.push(finding('SIGNING_TIME_FROM_M', {}, n));
  }
  if (!time && cms?.signerCertificate) findings.push(finding('SIGNING_TIME_UNKNOWN', {}, n));
  return { time, source, timestamp, findings };
}
