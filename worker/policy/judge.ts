import type { DocumentFacts, SignatureFacts } from '../facts';
import type { Certificate } from '../pki/certificate';
import type { CertValidation, TrustStore } from '../pki/types';
import { validateCertificate } from '../pki/validate';
import { classifySigner } from '../pki/signer-kind';
import type { Checks, DocumentReport, Finding, SignatureReport, SignerKind, TimestampReport } from '../report';
import type { UnitRegistry } from '../registry';
import { judgeChanges } from './changes';
import { integrityHolds } from '../integrity/holds';
import { appearanceFindings } from './appearance';
import { finding, findingForProblem, type FindingCode } from './messages';
import { errorReport } from './error-report';

/**
 * The policy: turns a document's facts into the report of BRIEF.md — per-signature judgements, the six checks,
 * the verdict and the findings. Pure: the same facts and trust store always give the same report.
 */

export interface JudgeOptions {
  registry?: UnitRegistry;
  now?: Date;
}

interface Judged {
  facts: SignatureFacts;
  report: SignatureReport;
  integrity: boolean;
  validation: CertValidation | null;
  kind: SignerKind;
  unitFromRegistry: string | null;
}

export function judgeDocument(facts: DocumentFacts, trustStore: TrustStore, options: JudgeOptions = {}): DocumentReport {
  if (facts.error || !facts.structure) {
    return errorReport(facts.file, facts.sha256, facts.size, (facts.error?.code ?? 'INTERNAL') as FindingCode, facts.error?.detail ?? '');
  }
  const structure = facts.structure;
  const findings: Finding[] = [];
  const now = options.now ?? new Date();

  const changes = judgeChanges(structure, {
    explain: (rev) => facts.revisions[rev] ?? { kind: 'unexplained', detail: 'not analysed' },
  });

  const judged: Judged[] = facts.signatures.map((s, i) => judgeSignature(facts, s, changes.changesAfter[i] ?? 'disallowed', trustStore, options.registry, now, findings));

  // ── document-level structure findings ──
  if (structure.encryption) findings.push(finding('ENCRYPTED', { decrypted: structure.encryption.decrypted ? 1 : null }));
  if (structure.xrefRepaired) findings.push(finding('XREF_REPAIRED'));
  if (structure.usageRightsSignatures > 0) findings.push(finding('USAGE_RIGHTS_IGNORED', { count: structure.usageRightsSignatures }));
  findings.push(...changes.findings);
  if (structure.trailingBytes > 0) findings.push(finding('TRAILING_BYTES', { bytes: structure.trailingBytes }));
  findings.push(...appearanceFindings(judged.map((j) => ({ index: j.facts.index, kind: j.kind, integrity: j.integrity, revision: j.facts.pdf.revision, timestamp: j.facts.isDocumentTimestamp, widgets: j.facts.pdf.widgets }))));

  // ── the six checks ──
  const approvals = judged.filter((j) => !j.facts.isDocumentTimestamp);
  const valid = approvals.filter((j) => j.integrity);
  const signed = valid.length > 0;
  const personal = valid.filter((j) => j.kind === 'personal');
  const organization = valid.filter((j) => j.kind === 'organization');
  const twoLayer = personal.some((p) => organization.some((o) => rev(o) > rev(p)));
  const governmentCa = approvals.length > 0 && approvals.every((j) => j.report.ca.category === 'government');
  const intact =
    judged.length > 0 &&
    judged.every((j) => j.integrity) &&
    judged.every((j) => j.report.changesAfter !== 'disallowed') &&
    changes.intact &&
    structure.trailingBytes === 0;
  const certificatesValid = judged.length > 0 && judged.every((j) => j.report.certificate === 'valid');
  const strongAlgorithms = judged.every((j) => !j.report.weakAlgorithm);
  const checks: Checks = { signed, twoLayer, governmentCa, intact, certificatesValid, strongAlgorithms };

  if (!signed) findings.unshift(finding('NOT_SIGNED'));
  else if (!twoLayer) {
    if (personal.length === 0) findings.unshift(finding('NO_PERSONAL_SIGNATURE'));
    else if (organization.length === 0) findings.unshift(finding('NO_ORGANIZATION_SIGNATURE'));
    else findings.unshift(finding('WRONG_SIGNING_ORDER'));
  }

  const verdict = Object.values(checks).every(Boolean) ? 'compliant' : 'noncompliant';
  return {
    file: facts.file,
    sha256: facts.sha256,
    size: facts.size,
    unit: unitOf(judged),
    verdict,
    checks,
    signatures: judged.map((j) => j.report),
    findings,
  };
}

const rev = (j: Judged): number => j.facts.pdf.revision ?? -1;

/** Unit of a document without a register: the organization signer's name, else the personal signer's O. */
function unitOf(judged: Judged[]): string | null {
  const approvals = judged.filter((j) => !j.facts.isDocumentTimestamp);
  const prefer = (list: Judged[]): Judged[] => {
    const v = list.filter((j) => j.integrity);
    return v.length > 0 ? v : list;
  };
  const orgs = prefer(approvals.filter((j) => j.kind === 'organization'));
  const lastOrg = orgs[orgs.length - 1];
  if (lastOrg) return lastOrg.unitFromRegistry ?? lastOrg.report.signer?.commonName ?? null;
  const persons = prefer(approvals.filter((j) => j.kind === 'personal'));
  const firstPerson = persons[0];
  if (firstPerson) return firstPerson.report.signer?.organization ?? null;
  return null;
}

function iso(d: Date | null | undefined): string | null {
  return d && !Number.isNaN(d.getTime()) ? d.toISOString() : null;
}

// A signer's certificate is the same object for every document it signed in a batch (parsed once by its DER).
const datesOf = new WeakMap<Certificate, { notBefore: string | null; notAfter: string | null }>();

function certificateDates(cert: Certificate): { notBefore: string | null; notAfter: string | null } {
  let d = datesOf.get(cert);
  if (d === undefined) {
    d = { notBefore: iso(cert.notBefore), notAfter: iso(cert.notAfter) };
    datesOf.set(cert, d);
  }
  return d;
}

function normalizeFp(fp: string): string {
  return fp.replace(/[^0-9a-f]/gi, '').toLowerCase();
}

function normalizeName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
}

function judgeSignature(
  doc: DocumentFacts,
  s: SignatureFacts,
  changesAfter: 'none' | 'allowed' | 'disallowed',
  trustStore: TrustStore,
  registry: UnitRegistry | undefined,
  now: Date,
  findings: Finding[],
): Judged {
  const n = s.index;
  const cms = s.cms;
  const integrity = integrityHolds(s);

  // Integrity problems, byte range first: a forged range explains everything after it.
  for (const p of s.byteRange.problems) findings.push(findingForProblem(p.code, p.detail, n, 'BYTERANGE_MALFORMED', p.detailVi));
  if (s.cmsError) findings.push(findingForProblem(s.cmsError.code, s.cmsError.detail, n, 'CMS_MALFORMED'));
  if (cms) {
    for (const p of cms.problems) {
      // Timestamp problems are reported once, with the timestamp, below.
      if (p.code.startsWith('TIMESTAMP_')) continue;
      findings.push(findingForProblem(p.code, p.detail, n, 'CMS_MALFORMED'));
    }
  }
  if (s.pdf.modifiedAfterSigning) findings.push(finding('SIGNATURE_DICTIONARY_MODIFIED', {}, n));
  if (s.pdf.fieldNames.length > 1) findings.push(finding('SIGNATURE_SHARED_BY_FIELDS', { fields: s.pdf.fieldNames.join(', ') }, n));
  if (s.pdf.certification) {
    const perm = s.pdf.references.find((r) => r.transformMethod === 'DocMDP')?.permission ?? 2;
    findings.push(finding('CERTIFICATION_SIGNATURE', { permission: perm }, n));
  }

  const pool: Certificate[] = [...(cms?.certificates ?? []), ...doc.dss.certificates, ...(cms?.timestamp?.certificates ?? [])];
  const crls = [...(cms?.crls ?? []), ...doc.dss.crls];
  const ocsps = [...(cms?.ocsps ?? []), ...doc.dss.ocsps];

  // ── the trusted signing time ──
  let timestamp: TimestampReport | null = null;
  let time: Date | null = null;
  let timeSource: SignatureReport['signingTimeSource'] = 'none';
  const tst = cms?.timestamp ?? null;
  if (tst) {
    let tsaOk = false;
    if (tst.tsaCertificate) {
      const v = validateCertificate(tst.tsaCertificate, { pool, trustStore, time: tst.genTime, crls, ocsps, purpose: 'timestamping' });
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
      timeSource = 'timestamp';
    }
  }
  if (!time && cms?.claimedSigningTime) {
    time = cms.claimedSigningTime;
    timeSource = 'signingTime';
  }
  if (!time && s.pdf.mDate) {
    time = s.pdf.mDate;
    timeSource = 'M';
    if (cms) findings.push(finding('SIGNING_TIME_FROM_M', {}, n));
  }
  if (!time && cms?.signerCertificate) findings.push(finding('SIGNING_TIME_UNKNOWN', {}, n));
  const validationTime = time ?? now;

  // ── certificate, chain and category ──
  const signerCert = cms?.signerCertificate ?? null;
  let validation: CertValidation | null = null;
  if (signerCert) {
    validation = validateCertificate(signerCert, {
      pool,
      trustStore,
      time: validationTime,
      crls,
      ocsps,
      purpose: s.isDocumentTimestamp ? 'timestamping' : 'signing',
    });
  }
  const certificate = validation?.status ?? 'invalid';
  const category = validation?.category ?? 'untrusted';

  // ── who signed ──
  let kind: SignerKind = 'unknown';
  let organization: string | null = null;
  let title: string | null = null;
  let unitFromRegistry: string | null = null;
  if (signerCert) {
    const c = classifySigner(signerCert);
    kind = s.isDocumentTimestamp ? 'unknown' : c.kind;
    organization = c.organization;
    title = c.title;
    if (registry && !s.isDocumentTimestamp) {
      const fp = signerCert.fingerprintSha256.toLowerCase();
      const pinned = registry.units.find((u) => u.agencyCertificates.some((a) => normalizeFp(a) === fp));
      if (pinned) {
        kind = 'organization';
        unitFromRegistry = pinned.name;
      } else if (kind === 'organization') {
        const cn = normalizeName(c.commonName ?? '');
        const claimed = registry.units.find((u) => [u.name, ...(u.aliases ?? [])].some((x) => normalizeName(x) === cn));
        if (claimed && claimed.agencyCertificates.length > 0) findings.push(finding('AGENCY_CERT_NOT_PINNED', { unit: claimed.name }, n));
      }
    }
  }

  if (validation && !s.isDocumentTimestamp) pushCertFindings(validation, n, iso(validationTime), findings);
  else if (validation && s.isDocumentTimestamp && validation.status !== 'valid') pushCertFindings(validation, n, iso(validationTime), findings);

  const weak = cms?.weakAlgorithm ?? false;
  if (weak) findings.push(finding('WEAK_ALGORITHM', { algorithm: [cms?.digestAlgorithm, cms?.signatureAlgorithm].filter(Boolean).join(', ') }, n));
  if (integrity && !s.byteRange.coversWholeFile && changesAfter !== 'disallowed') findings.push(finding('NOT_WHOLE_FILE', {}, n));

  const report: SignatureReport = {
    index: n,
    field: s.pdf.fieldNames[0] ?? null,
    fields: s.pdf.fieldNames,
    type: s.isDocumentTimestamp ? 'document-timestamp' : 'signature',
    subFilter: s.pdf.subFilter,
    revision: s.pdf.revision,
    byteRange: s.pdf.byteRange,
    signingTime: iso(time),
    signingTimeSource: timeSource,
    timestamp,
    signer: signerCert
      ? {
          commonName: signerCert.subject.get('CN'),
          subject: signerCert.subject.toString(),
          kind,
          organization,
          title,
          serialNumber: signerCert.serialNumberHex,
          fingerprintSha256: signerCert.fingerprintSha256,
          notBefore: certificateDates(signerCert).notBefore,
          notAfter: certificateDates(signerCert).notAfter,
          issuer: signerCert.issuer.toString(),
        }
      : null,
    ca: { category, provider: validation?.provider ?? null, root: validation?.root ?? null },
    integrity: integrity ? 'valid' : 'invalid',
    certificate,
    coversWholeFile: s.byteRange.coversWholeFile,
    changesAfter,
    digestAlgorithm: cms?.digestAlgorithm ?? null,
    signatureAlgorithm: cms?.signatureAlgorithm ?? null,
    weakAlgorithm: weak,
    name: s.pdf.name,
    reason: s.pdf.reason,
    location: s.pdf.location,
    claimedTime: iso(cms?.claimedSigningTime ?? s.pdf.mDate),
    certification: s.pdf.certification,
  };
  return { facts: s, report, integrity, validation, kind, unitFromRegistry };
}

/** The pki layer's problems in Vietnamese, naming the certificate concerned; English stays its own detail. */
function vietnameseDetail(v: CertValidation): string {
  const nameOf = (fp: string | undefined): string => {
    const c = v.chain.find((x) => x.fingerprintSha256 === fp);
    return c ? `'${c.subject.get('CN') ?? c.subject.toString()}'` : 'chứng thư số';
  };
  const day = (d: Date | undefined): string => (d ? d.toISOString().slice(0, 10) : '');
  return v.problems
    .map((p) => {
      const c = v.chain.find((x) => x.fingerprintSha256 === p.certificate);
      switch (p.code) {
        case 'CHAIN_NOT_FOUND':
          return /another key/.test(p.detail)
            ? `chuỗi chứng thực dừng tại ${nameOf(p.certificate)}: mang tên một CA gốc được tin cậy nhưng khác khóa — CA giả danh`
            : `chuỗi chứng thực dừng tại ${nameOf(p.certificate)}, không phải CA gốc được tin cậy`;
        case 'CERT_EXPIRED':
        case 'CA_EXPIRED':
          return `${nameOf(p.certificate)} hết hạn ngày ${day(c?.notAfter)}`;
        case 'CERT_NOT_YET_VALID':
        case 'CA_NOT_YET_VALID':
          return `${nameOf(p.certificate)} chỉ có hiệu lực từ ngày ${day(c?.notBefore)}`;
        case 'BASIC_CONSTRAINTS':
          return `${nameOf(p.certificate)} không được phép cấp chứng thư số (không phải CA theo basicConstraints)`;
        case 'KEY_USAGE':
          return `mục đích sử dụng khóa (keyUsage) của ${nameOf(p.certificate)} không cho phép việc này`;
        case 'EXTENDED_KEY_USAGE':
          return `${nameOf(p.certificate)} không có mục đích cấp dấu thời gian (timeStamping)`;
        case 'UNKNOWN_CRITICAL_EXTENSION':
          return `${nameOf(p.certificate)} có phần mở rộng bắt buộc (critical) không được hỗ trợ`;
        case 'CERT_REVOKED':
        case 'CA_REVOKED':
          return `${nameOf(p.certificate)} đã bị thu hồi`;
        case 'REVOKED_AFTER_TIME':
          return `${nameOf(p.certificate)} bị thu hồi sau thời điểm ký`;
        default:
          return p.detail;
      }
    })
    .filter(Boolean)
    .join('; ');
}

function pushCertFindings(v: CertValidation, n: number, time: string | null, findings: Finding[]): void {
  const detail = v.problems.map((p) => p.detail).filter(Boolean).join('; ');
  const detailVi = vietnameseDetail(v);
  switch (v.status) {
    case 'untrusted':
      findings.push(finding('CA_UNTRUSTED', { detail, detailVi }, n));
      break;
    case 'expired':
      findings.push(finding('CERT_EXPIRED', { time, detail, detailVi }, n));
      break;
    case 'not_yet_valid':
      findings.push(finding('CERT_NOT_YET_VALID', { time, detail, detailVi }, n));
      break;
    case 'revoked':
      findings.push(finding('CERT_REVOKED', { revokedAt: iso(v.revocation.revokedAt) }, n));
      break;
    case 'invalid':
      findings.push(finding('CERT_INVALID', { detail, detailVi }, n));
      break;
    case 'valid':
      break;
  }
  if (v.category === 'public') findings.push(finding('NOT_GOVERNMENT_CA', { provider: v.provider }, n));
  if (v.status === 'valid' && !v.revocation.checked) findings.push(finding('REVOCATION_NOT_CHECKED', {}, n));
}
