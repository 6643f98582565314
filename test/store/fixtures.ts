import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SCENARIOS } from '../../samples/scenarios';
import { loadTestPki, writeTrustStore } from '../../samples/lib/test-pki';
import { loadTrustStore } from '../../worker/pki/trust-store';
import type { DocumentReport } from '../../worker/report';
import { BufferSource } from '../../worker/source';
import { verifyDocument } from '../../worker/verify';

/**
 * Real reports for the store tests: a few scenarios of samples/scenarios.ts built with the test PKI and verified
 * exactly as the CLI verifies them, once per test file.
 */

export const NAMES = [
  'compliant-two-layer-unit-0',
  'compliant-two-layer-unit-1',
  'compliant-document-timestamp',
  'leader-only',
  'agency-only',
  'public-ca-two-layer-vnpt',
  'mixed-gov-leader-viettel-agency',
  'broken-not-pdf',
] as const;
export type Name = (typeof NAMES)[number];

let cached: Promise<Record<Name, DocumentReport>> | null = null;

export function scenarioReports(): Promise<Record<Name, DocumentReport>> {
  cached ??= (async () => {
    const pki = loadTestPki();
    const trustDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-store-trust-'));
    try {
      writeTrustStore(trustDir, pki);
      const trust = loadTrustStore(trustDir);
      const out: Partial<Record<Name, DocumentReport>> = {};
      for (const name of NAMES) {
        const scenario = SCENARIOS.find((s) => s.name === name);
        if (!scenario) throw new Error(`no scenario ${name}`);
        out[name] = await verifyDocument(new BufferSource(scenario.build(pki)), trust, { fileName: `${name}.pdf` });
      }
      return out as Record<Name, DocumentReport>;
    } finally {
      fs.rmSync(trustDir, { recursive: true, force: true });
    }
  })();
  return cached;
}
