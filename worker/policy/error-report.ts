import type { DocumentReport } from '../report';
import { NO_CHECKS } from '../report';
import { finding, type FindingCode } from './messages';

/**
 * The report of a document that could not be read: verdict error, all checks false, one finding with the code.
 * A file of its own so that the CLI's main thread, which only ever writes error reports, does not load the policy
 * (and through it the PKI and CMS layers) just to start: that load sat on the path before the first worker thread.
 */
export function errorReport(file: string, sha256: string, size: number, code: FindingCode, detail = ''): DocumentReport {
  const f = finding(code, { detail });
  return {
    file,
    sha256,
    size,
    unit: null,
    verdict: 'error',
    error: { code, message: f.message, messageEn: f.messageEn, ...(f.detail ? { detail: f.detail } : {}) },
    checks: { ...NO_CHECKS },
    signatures: [],
    findings: [f],
  };
}
