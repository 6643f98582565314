import * as fs from 'node:fs';
import { SCHEMA_PATH } from '../helpers/schema';
import { sharedAvailable, sharedPath } from '../helpers/shared';

/**
 * The report contract lives in the repository (docs/report.schema.json): tests validate every report against it and
 * the API serves it. It must stay equal to ../shared/report.schema.json, the contract as the product owner wrote it,
 * until the owner's copy changes — then this test says which one moved.
 */
test('docs/report.schema.json is the shared report contract', () => {
  const ours = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as unknown;
  expect(ours).toMatchObject({ $schema: expect.stringContaining('json-schema.org'), title: expect.any(String) });
  if (!sharedAvailable('comparison of the report schema with ../shared', 'report.schema.json')) return;
  const theirs = JSON.parse(fs.readFileSync(sharedPath('report.schema.json'), 'utf8')) as unknown;
  expect(ours).toEqual(theirs);
});
