import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCENARIOS } from '../../samples/scenarios';
import { testTrust } from '../helpers/test-trust';
import { SHARED_DIR, sharedAvailable } from '../helpers/shared';
import { BufferSource } from '../../worker/source';
import { collectFacts } from '../../worker/facts';
import { judgeDocument } from '../../worker/policy/judge';
import { fromFactsRecord, toFactsRecord, FACTS_VERSION, type FactsRecord } from '../../worker/facts-record';
import type { TrustStore } from '../../worker/pki/types';

/**
 * The promise re-judging rests on: facts stored as JSON and read back are judged exactly as the facts collected
 * from the PDF. A field the record loses, or an object it rebuilds differently, shows up here as a changed report.
 */

const { pki, trust } = testTrust();
const NOW = new Date('2026-04-01T00:00:00Z');

function throughJson(bytes: Buffer, name: string, store: TrustStore): void {
  const facts = collectFacts(new BufferSource(bytes), { fileName: name });
  const record = JSON.parse(JSON.stringify(toFactsRecord(facts))) as FactsRecord;
  const again = fromFactsRecord(record);
  expect(judgeDocument(again, store, { now: NOW })).toEqual(judgeDocument(facts, store, { now: NOW }));
}

describe.each(SCENARIOS.map((s) => [s.name, s] as const))('scenario %s', (name, scenario) => {
  test('judged from its stored facts as from the PDF', () => throughJson(scenario.build(pki), `${name}.pdf`, trust));
});

describe('the shared corpus', () => {
  const dir = path.join(SHARED_DIR, 'corpus');
  const present = sharedAvailable('facts record round trip on the shared corpus', 'corpus');
  const files = present ? fs.readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.pdf')).sort() : [];
  (files.length > 0 ? test.each(files) : test.skip.each(['none']))('%s', (file) => {
    throughJson(fs.readFileSync(path.join(dir, file)), file, trust);
  });
});

test('a record of another version is refused, not misread', () => {
  const facts = collectFacts(new BufferSource(SCENARIOS[0]!.build(pki)), { fileName: 'a.pdf' });
  const record = { ...toFactsRecord(facts), version: FACTS_VERSION + 1 };
  expect(() => fromFactsRecord(record)).toThrow(/version/);
});

test('certificates are stored once, by fingerprint, and the signature bytes are not stored', () => {
  const facts = collectFacts(new BufferSource(SCENARIOS[0]!.build(pki)), { fileName: 'a.pdf' });
  const record = toFactsRecord(facts);
  const text = JSON.stringify(record.facts);
  for (const fp of Object.keys(record.certificates)) expect(text).toContain(`{"$cert":"${fp}"}`);
  expect(Object.keys(record.certificates).length).toBeGreaterThan(0);
  const back = fromFactsRecord(record);
  expect(back.signatures.every((s) => s.pdf.contents === null)).toBe(true);
  expect(back.structure!.signatures.every((s) => s.contents === null && s.cert === null)).toBe(true);
});
