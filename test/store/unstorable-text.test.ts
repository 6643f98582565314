import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type { Store } from '../../server/shared/types';
import { openStore } from '../../server/store/open';
import { pgJson } from '../../server/store/pg-json';
import { errorReport } from '../../worker/policy/error-report';
import type { DocumentReport } from '../../worker/report';
import { newBatch } from '../queue/helpers/batch';

/**
 * Text PostgreSQL refuses (NUL, a lone UTF-16 surrogate: SQLSTATE 22P05) comes from the PDF into a report — a
 * signature's /Reason, a field name, a certificate name. Such a report was refused on every retry and its batch
 * never finished; it is stored with U+FFFD in their place, on both engines.
 */

const url = process.env.KIEMKY_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

function hostileReport(sha256: string): DocumentReport {
  const report = errorReport('nul\u0000.pdf', sha256, 10, 'MALFORMED_PDF', 'lý do\u0000 \ud800 cuối');
  return { ...report, findings: [...report.findings, { ...report.findings[0]!, message: 'a\u0000b \udc00 c\ud83d\ude00' }] };
}

async function roundTrip(store: Store): Promise<void> {
  const sha256 = crypto.randomBytes(32).toString('hex');
  await store.createBatch(newBatch('b1', [{ sha256, size: 10, file: 'a.pdf' }]));
  await store.saveDocumentReport(sha256, hostileReport(sha256));
  expect(await store.getBatch('b1')).toMatchObject({ status: 'done', done: 1, errors: 1 });
  const stored = await store.getDocument(sha256);
  expect(stored?.file).toBe('nul\ufffd.pdf');
  expect(stored?.error?.detail).toContain('lý do\ufffd \ufffd cuối');
  // A valid surrogate pair (an emoji) is text like any other, and kept.
  expect(stored?.findings[1]?.message).toBe('a\ufffdb \ufffd c\ud83d\ude00');
}

test('pgJson replaces only what PostgreSQL refuses, and only where it is a character, not an escaped backslash', () => {
  const back = (v: string): string => (JSON.parse(pgJson({ v })) as { v: string }).v;
  expect(back('a\u0000b')).toBe('a\ufffdb');
  expect(back('\ud800x\udfff')).toBe('\ufffdx\ufffd');
  expect(back('\\u0000 is text')).toBe('\\u0000 is text');
  expect(back('\\\u0000')).toBe('\\\ufffd');
  expect(back('tab\tand \u001f stay')).toBe('tab\tand \u001f stay');
  expect(back('Nguyễn 😀')).toBe('Nguyễn 😀');
});

test('PGlite stores a report holding NUL and lone surrogates', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-unstorable-'));
  const store = await openStore({ databaseUrl: null, dataDir });
  try {
    await roundTrip(store);
  } finally {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('PostgreSQL stores a report holding NUL and lone surrogates', async () => {
  const probe = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await probe.connect();
  } catch {
    console.warn('SKIPPED: PostgreSQL unreachable (set KIEMKY_TEST_DATABASE_URL)');
    return;
  }
  const schema = `kiemky_test_${crypto.randomBytes(6).toString('hex')}`;
  try {
    const store = await openStore({ databaseUrl: url, dataDir: '/nonexistent', schema });
    try {
      await roundTrip(store);
    } finally {
      await store.close();
    }
  } finally {
    await probe.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await probe.end();
  }
});
