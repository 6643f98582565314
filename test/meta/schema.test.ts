import * as fs from 'node:fs';
import { SCHEMA_PATH } from '../helpers/schema';
import { sharedAvailable, sharedPath } from '../helpers/shared';

/**
 * The report contract lives in the repository (docs/report.schema.json): tests validate every report against it and
 * the API serves it. It must stay compatible with ../shared/report.schema.json, the contract as the product owner
 * wrote it: everything the owner's says, ours says the same, and ours may only add optional properties (a reader
 * of the owner's contract still reads every report). When the owner's copy changes, this test says which one moved.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Where `ours` departs from `theirs` other than by an added optional property; empty when compatible. */
function departures(theirs: Json, ours: Json, at: string, parentKey: string | null): string[] {
  if (Array.isArray(theirs) || theirs === null || typeof theirs !== 'object') {
    return JSON.stringify(theirs) === JSON.stringify(ours) ? [] : [`${at}: ${JSON.stringify(ours)} instead of ${JSON.stringify(theirs)}`];
  }
  if (ours === null || typeof ours !== 'object' || Array.isArray(ours)) return [`${at}: not an object`];
  const out: string[] = [];
  for (const key of Object.keys(theirs)) {
    if (!(key in ours)) out.push(`${at}/${key}: missing`);
    else out.push(...departures(theirs[key]!, ours[key]!, `${at}/${key}`, key));
  }
  for (const key of Object.keys(ours)) {
    if (key in theirs) continue;
    // A new property is fine (never in `required`, which must stay equal); any other new keyword narrows or changes.
    if (parentKey !== 'properties' && key !== 'description') out.push(`${at}/${key}: added`);
  }
  return out;
}

test('docs/report.schema.json extends the shared report contract with optional properties only', () => {
  const ours = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as Json;
  expect(ours).toMatchObject({ $schema: expect.stringContaining('json-schema.org'), title: expect.any(String) });
  if (!sharedAvailable('comparison of the report schema with ../shared', 'report.schema.json')) return;
  const theirs = JSON.parse(fs.readFileSync(sharedPath('report.schema.json'), 'utf8')) as Json;
  expect(departures(theirs, ours, '', null)).toEqual([]);
});

test('the compatibility check refuses a new required property, a changed type and additionalProperties: false', () => {
  const theirs: Json = { type: 'object', required: ['a'], properties: { a: { type: 'string' } } };
  expect(departures(theirs, { type: 'object', required: ['a'], properties: { a: { type: 'string' }, b: { type: 'string' } } }, '', null)).toEqual([]);
  expect(departures(theirs, { type: 'object', required: ['a', 'b'], properties: { a: { type: 'string' }, b: { type: 'string' } } }, '', null)).not.toEqual([]);
  expect(departures(theirs, { type: 'object', required: ['a'], properties: { a: { type: 'integer' } } }, '', null)).not.toEqual([]);
  expect(departures(theirs, { type: 'object', required: ['a'], additionalProperties: false, properties: { a: { type: 'string' } } }, '', null)).not.toEqual([]);
});
