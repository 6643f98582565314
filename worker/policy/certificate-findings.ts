import { problemKey, type RevocationProblem } from '../pki/fetched-revocation';
import type { CertValidation } from '../pki/types';
import type { Finding } from '../report';
import { vietnamDateTime, vietnamDay } from '../text/local-time';
import { finding } from './messages';

/**
 * What a certificate validation means for the clerk: one finding for its status (untrusted, expired, revoked …)
 * naming the certificate concerned in Vietnamese, one when the CA is public rather than the government's, and a
 * note when no revocation data could be consulted.
 */

/** The pki layer's problems in Vietnamese, naming the certificate concerned; English stays its own detail. */
function vietnameseDetail(v: CertValidation): string {
  const nameOf = (fp: string | undefined): string => {
    const c = v.chain.find((x) => x.fingerprintSha256 === fp);
    return c ? `'${c.subject.get('CN') ?? c.subject.toString()}'` : 'chứng thư số';
  };
  const day = (d: Date | undefined): string => (d ? (vietnamDay(d) ?? '') : '');
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

/** `time`: the instant the certificate was judged at (ISO 8601); the messages say it in Vietnam's time. */
export function certificateFindings(v: CertValidation, n: number, validationTime: string | null): Finding[] {
  const findings: Finding[] = [];
  const time = vietnamDateTime(validationTime);
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
      findings.push(finding('CERT_REVOKED', { revokedAt: v.revocation.revokedAt ? vietnamDateTime(v.revocation.revokedAt) : null }, n));
      break;
    case 'invalid':
      findings.push(finding('CERT_INVALID', { detail, detailVi }, n));
      break;
    case 'valid':
      break;
  }
  if (v.category === 'public') findings.push(finding('NOT_GOVERNMENT_CA', { provider: v.provider }, n));
  if (v.status === 'valid' && !v.revocation.checked) findings.push(finding('REVOCATION_NOT_CHECKED', {}, n));
  return findings;
}

/**
 * Online revocation sources that gave nothing usable for a certificate on this signature's chain whose status no
 * other data gave either (the document's, the trust store's crl/, another certificate's source): said once per
 * source, so the reader knows the verdict rests on what was at hand.
 */
export function revocationSourceFindings(v: CertValidation, problems: readonly RevocationProblem[], n: number): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const p of problems) {
    const c = v.chain.find((x) => x.fingerprintSha256 === p.certificate);
    if (!c || v.revocationChecked.includes(p.certificate)) continue;
    const key = problemKey(p);
    if (seen.has(key)) continue;
    seen.add(key);
    const subject = `'${c.subject.get('CN') ?? c.subject.toString()}'`;
    out.push(finding(p.code, { subject, url: p.url, detail: p.reason }, n));
  }
  return out;
}
