import type { Checks, DocumentReport, Finding, SignatureReport } from '../../worker/report';

/**
 * A province's month of document reports without verifying anything: 60 units, a fifth of the documents failing for
 * the reasons inspections find (one layer missing, a commercial CA, a change after signing), every one with a
 * register entry. Deterministic for a given index, so two runs write the same reports.
 */

const UNITS = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? `Ủy ban nhân dân xã Số ${i + 1}` : i % 3 === 1 ? `Phòng Tài nguyên và Môi trường ${i + 1}` : `Trường Trung học cơ sở Nguyễn Bỉnh Khiêm ${i + 1}`));
const ALL: Checks = { signed: true, twoLayer: true, governmentCa: true, intact: true, certificatesValid: true, strongAlgorithms: true };

function signature(index: number, kind: 'personal' | 'organization', cn: string, provider: string | null): SignatureReport {
  return {
    index,
    field: `Sig${index}`,
    type: 'signature',
    subFilter: 'adbe.pkcs7.detached',
    revision: index,
    signingTime: '2026-11-17T02:47:00Z',
    signer: { commonName: cn, subject: `CN=${cn}`, kind, organization: null, serialNumber: '5402a1', fingerprintSha256: 'ab'.repeat(32), notBefore: '2024-01-01T00:00:00Z', notAfter: '2029-01-01T00:00:00Z', issuer: 'CN=CA phục vụ các cơ quan Nhà nước G2' },
    ca: provider ? { category: 'public', provider, root: `${provider} Root` } : { category: 'government', provider: null, root: 'Cơ quan chứng thực số chuyên dùng Chính phủ G2' },
    integrity: 'valid',
    certificate: 'valid',
    coversWholeFile: index === 2,
    changesAfter: 'none',
    digestAlgorithm: 'SHA-256',
    signatureAlgorithm: 'RSA',
    weakAlgorithm: false,
  };
}

function error(code: string, message: string, messageEn: string, at: number | null): Finding {
  return { code, severity: 'error', message, messageEn, signature: at };
}

export function syntheticReport(i: number): DocumentReport {
  const unit = UNITS[i % UNITS.length]!;
  const file = `${String(i).padStart(6, '0')}-cong-van.pdf`;
  const base: DocumentReport = {
    file,
    sha256: i.toString(16).padStart(64, '0'),
    size: 150_000 + (i % 997),
    unit,
    register: { number: `${(i % 900) + 1}/UBND-VP`, date: `2026-11-${String((i % 28) + 1).padStart(2, '0')}`, summary: 'V/v triển khai kế hoạch chuyển đổi số năm 2026', signer: 'Nguyễn Văn An' },
    verdict: 'compliant',
    checks: { ...ALL },
    signatures: [signature(1, 'personal', 'Nguyễn Văn An', null), signature(2, 'organization', unit, null)],
    findings: [],
  };
  switch (i % 10) {
    case 3:
      return { ...base, verdict: 'noncompliant', checks: { ...ALL, twoLayer: false }, signatures: [base.signatures[0]!], findings: [error('NO_ORGANIZATION_SIGNATURE', 'Thiếu chữ ký số của cơ quan, tổ chức.', 'No organization signature.', null)] };
    case 7: {
      const provider = i % 20 === 7 ? 'VNPT-CA' : 'Viettel-CA';
      return {
        ...base,
        verdict: 'noncompliant',
        checks: { ...ALL, governmentCa: false },
        signatures: [signature(1, 'personal', 'Nguyễn Văn An', provider), base.signatures[1]!],
        findings: [error('NOT_GOVERNMENT_CA', `Chữ ký số #1 dùng chứng thư số của CA công cộng (${provider}).`, `Signature #1 uses a public CA certificate (${provider}).`, 1)],
      };
    }
    case 9:
      if (i % 50 !== 9) return base;
      return { ...base, verdict: 'noncompliant', checks: { ...ALL, intact: false }, findings: [error('MODIFIED_AFTER_SIGNING', 'Văn bản bị sửa đổi sau khi ký.', 'Changed after signing.', 2)] };
    default:
      return base;
  }
}
