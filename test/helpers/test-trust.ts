import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadTestPki, writeTrustStore, type TestPki } from '../../samples/lib/test-pki';
import { loadTrustStore } from '../../worker/pki/trust-store';
import type { TrustStore } from '../../worker/pki/types';

/**
 * The test PKI and a trust store of its TEST roots (never the real certs/), written to a temporary folder that is
 * removed after the suite: what every scenario test verifies against.
 */
export function testTrust(): { pki: TestPki; trust: TrustStore; dir: string } {
  const pki = loadTestPki();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-trust-'));
  writeTrustStore(dir, pki);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return { pki, trust: loadTrustStore(dir), dir };
}
