import * as crypto from 'node:crypto';
import type { Checks, DocumentReport, SignatureReport, Verdict } from '../../../worker/report';
import type { ByteSource } from '../../../worker/source';
import type { VerifyOptions } from '../../../worker/verify';

/** Report builders and a fake verifier: the CLI is tested without the verification core. */

export const ALL_CHECKS: Checks = { signed: true, twoLayer: true, governmentCa: true, intact: true, certificatesValid: true, strongAlgorithms: true };

export function signature(overrides: Partial<SignatureReport> & { kind?: 'personal' | 'organization'; cn?: string } = {}): SignatureReport {
  const { kind = 'personal', cn = 'Nguyễn Văn A', ...rest } = overrides;
  return {
    index: 1,
    field: 'Sig1',
    type: 'signature',
    subFilter: 'adbe.pkcs7.detached',
    revision: 1,
    signingTime: '2024-11-05T02:00:00Z',
    signer: {
      commonName: cn,
      subject: `CN=${cn}`,
      kind,
      organization: null,
      serialNumber: '01',
      fingerprintSha256: 'ab'.repeat(32),
      notBefore: '2020-01-01T00:00:00Z',
      notAfter: '2030-01-01T00:00:00Z',
      issuer: 'CN=CA phục vụ các cơ quan Nhà nước',
    },
    ca: { category: 'government', provider: null, root: 'RootCA chuyên dùng Chính phủ G2' },
    integrity: 'valid',
    certificate: 'valid',
    coversWholeFile: true,
    changesAfter: 'none',
    digestAlgorithm: 'SHA-256',
    signatureAlgorithm: 'RSA',
    weakAlgorithm: false,
    ...rest,
  };
}

export function report(file: string, overrides: Partial<DocumentReport> = {}): DocumentReport {
  return {
    file,
    sha256: crypto.createHash('sha256').update(file).digest('hex'),
    size: 100,
    unit: 'UBND xã A',
    verdict: 'compliant',
    checks: { ...ALL_CHECKS },
    signatures: [signature(), signature({ index: 2, kind: 'organization', cn: 'UBND xã A', revision: 2 })],
    findings: [],
    ...overrides,
  };
}

/** Verdict chosen by the file's content: "compliant", "noncompliant"; anything else is not a PDF. */
export const fakeVerify = async (source: ByteSource, options: VerifyOptions): Promise<DocumentReport> => {
  const bytes = source.read(0, source.size);
  const text = bytes.toString('latin1');
  const verdict: Verdict = text.startsWith('%PDF') ? (text.includes('noncompliant') ? 'noncompliant' : 'compliant') : 'error';
  const base = report(options.fileName, {
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    verdict,
  });
  if (verdict === 'noncompliant') {
    return {
      ...base,
      checks: { ...ALL_CHECKS, twoLayer: false },
      signatures: [signature()],
      findings: [{ code: 'NO_ORGANIZATION_SIGNATURE', severity: 'error', message: 'Thiếu chữ ký số của cơ quan', messageEn: 'No organization signature', signature: null }],
    };
  }
  if (verdict === 'error') {
    return {
      ...base,
      unit: null,
      error: { code: 'NOT_PDF', message: 'Tệp không phải là tài liệu PDF.' },
      checks: { signed: false, twoLayer: false, governmentCa: false, intact: false, certificatesValid: false, strongAlgorithms: false },
      signatures: [],
      findings: [{ code: 'NOT_PDF', severity: 'error', message: 'Tệp không phải là tài liệu PDF.', signature: null }],
    };
  }
  return base;
};

/** Collects what the CLI writes. */
export class Capture {
  chunks: (string | Uint8Array)[] = [];
  constructor(readonly isTTY = false) {}
  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(chunk);
    return true;
  }
  get text(): string {
    return this.chunks.map((c) => (typeof c === 'string' ? c : Buffer.from(c).toString('utf8'))).join('');
  }
}
