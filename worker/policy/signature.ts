import type { DocumentFacts, SignatureFacts } from '../facts';
import { integrityHolds } from '../integrity/holds';
import type { Certificate } from '../pki/certificate';
import type { CertValidation, TrustStore } from '../pki/types';
import { validateCertificate } from '../pki/validate';
import type { UnitRegistry } from '../registry';
import type { ChangesAfter, Finding, SignatureReport, SignerKind } from '../report';
import type { FetchedEvidence } from '../pki/fetched-revocation';
import { certificateFindings, revocationSourceFindings } from './certificate-findings';
import { certificateDates, iso } from './dates';
import { finding, findingForProblem } from './messages';
import { trustedSigningTime } from './signing-time';
import { classifySignatureSigner } from './signer';

/**
 * One signature judged from its facts: integrity, the trusted signing time, the certificate's validation at that
 * time against the trust store, who signed, and the findings that say so — in that order, since a broken byte range
 * explains everything after it.
 */

export interface SignatureJudgement {
  facts: SignatureFacts;
  report: SignatureReport;
  integrity: boolean;
  validation: CertValidation | null;
  kind: SignerKind;
  unitFromRegistry: string | null;
  findings: Finding[];
}

export interface SignatureJudgeInput {
  doc: DocumentFacts;
  sig: SignatureFacts;
  changesAfter: ChangesAfter;
  trustStore: TrustStore;
  registry: UnitRegistry | undefined;
  /** Used when the signature carries no time at all. */
  now: Date;
  fetched?: FetchedEvidence;
}

/** Integrity problems, byte range first, then what the signature dictionary itself shows. */
function integrityFindings(s: SignatureFacts): Finding[] {
  const n = s.index;
  const out: Finding[] = [];
  for (const p of s.byteRange.problems) out.push(findingForProblem(p.code, p.detail, n, 'BYTERANGE_MALFORMED'));
  if (s.cmsError) out.push(findingForProblem(s.cmsError.code, s.cmsError.detail, n, 'CMS_MALFORMED'));
  for (const p of s.cms?.problems ?? []) {
    // Timestamp problems are reported once, with the timestamp.
    if (!p.code.startsWith('TIMESTAMP_')) out.push(findingForProblem(p.code, p.detail, n, 'CMS_MALFORMED'));
  }
  if (s.pdf.modifiedAfterSigning) out.push(finding('SIGNATURE_DICTIONARY_MODIFIED', {}, n));
  if (s.pdf.fieldNames.length > 1) out.push(finding('SIGNATURE_SHARED_BY_FIELDS', { fields: s.pdf.fieldNames.join(', ') }, n));
  if (s.pdf.certification) {
    const perm = s.pdf.references.find((r) => r.transformMethod === 'DocMDP')?.permission ?? 2;
    out.push(finding('CERTIFICATION_SIGNATURE', { permission: perm }, n));
  }
  return out;
}

export function judgeSignature(input: SignatureJudgeInput): SignatureJudgement {
  const { doc, sig: s, trustStore } = input;
  const n = s.index;
  const cms = s.cms;
  const integrity = integrityHolds(s);
  const findings = integrityFindings(s);

  // Evidence for chains and revocation: what the CMS, the DSS and a timestamp token carry; untrusted by itself.
  const pool: Certificate[] = [...(cms?.certificates ?? []), ...doc.dss.certificates, ...(cms?.timestamp?.certificates ?? [])];
  const revocation = {
    crls: [...s.revocation.crls, ...doc.dss.revocation.crls, ...(input.fetched?.revocation.crls ?? [])],
    ocsps: [...s.revocation.ocsps, ...doc.dss.revocation.ocsps, ...(input.fetched?.revocation.ocsps ?? [])],
  };

  const when = trustedSigningTime(s, { pool, revocation, trustStore });
  findings.push(...when.findings);
  const validationTime = when.time ?? input.now;

  const signerCert = cms?.signerCertificate ?? null;
  const validation = signerCert
    ? validateCertificate(signerCert, {
        pool,
        trustStore,
        time: validationTime,
        crls: revocation.crls,
        ocsps: revocation.ocsps,
        purpose: s.isDocumentTimestamp ? 'timestamping' : 'signing',
      })
    : null;

  const who = signerCert ? classifySignatureSigner(signerCert, n, s.isDocumentTimestamp, input.registry) : null;
  if (who) findings.push(...who.findings);

  // A document timestamp's certificate is only worth a word when it does not hold.
  if (validation && (!s.isDocumentTimestamp || validation.status !== 'valid')) findings.push(...certificateFindings(validation, n, iso(validationTime)));
  if (validation && input.fetched) findings.push(...revocationSourceFindings(validation, input.fetched.problems, n));

  const weak = cms?.weakAlgorithm ?? false;
  if (weak) findings.push(finding('WEAK_ALGORITHM', { algorithm: [cms?.digestAlgorithm, cms?.signatureAlgorithm].filter(Boolean).join(', ') }, n));
  if (integrity && !s.byteRange.coversWholeFile && input.changesAfter !== 'disallowed') findings.push(finding('NOT_WHOLE_FILE', {}, n));

  const kind = who?.kind ?? 'unknown';
  const report: SignatureReport = {
    index: n,
    field: s.pdf.fieldNames[0] ?? null,
    fields: s.pdf.fieldNames,
    type: s.isDocumentTimestamp ? 'document-timestamp' : 'signature',
    subFilter: s.pdf.subFilter,
    revision: s.pdf.revision,
    byteRange: s.pdf.byteRange,
    signingTime: iso(when.time),
    signingTimeSource: when.source,
    timestamp: when.timestamp,
    signer: signerCert
      ? {
          commonName: signerCert.subject.get('CN'),
          subject: signerCert.subject.toString(),
          kind,
          organization: who?.organization ?? null,
          title: who?.title ?? null,
          serialNumber: signerCert.serialNumberHex,
          fingerprintSha256: signerCert.fingerprintSha256,
          notBefore: certificateDates(signerCert).notBefore,
          notAfter: certificateDates(signerCert).notAfter,
          issuer: signerCert.issuer.toString(),
        }
      : null,
    ca: { category: validation?.category ?? 'untrusted', provider: validation?.provider ?? null, root: validation?.root ?? null },
    integrity: integrity ? 'valid' : 'invalid',
    certificate: validation?.status ?? 'invalid',
    coversWholeFile: s.byteRange.coversWholeFile,
    changesAfter: input.changesAfter,
    digestAlgorithm: cms?.digestAlgorithm ?? null,
    signatureAlgorithm: cms?.signatureAlgorithm ?? null,
    weakAlgorithm: weak,
    name: s.pdf.name,
    reason: s.pdf.reason,
    location: s.pdf.location,
    claimedTime: iso(cms?.claimedSigningTime ?? s.pdf.mDate),
    certification: s.pdf.certification,
  };
  return { facts: s, report, integrity, validation, kind, unitFromRegistry: who?.unitFromRegistry ?? null, findings };
}
