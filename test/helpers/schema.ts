import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** ../shared/report.schema.json, when ../shared exists beside the checkout (CI has it). */
export const SHARED_DIR = path.resolve(__dirname, '../../../shared');
export const SCHEMA_PATH = path.join(SHARED_DIR, 'report.schema.json');
export const hasShared = fs.existsSync(SHARED_DIR);

let validator: ((data: unknown) => boolean) & { errors?: unknown } | null = null;

/** Validates a BatchReport against the shared schema; returns the errors, or null when the schema is absent. */
export function schemaErrors(batch: unknown): unknown[] | null {
  if (!fs.existsSync(SCHEMA_PATH)) return null;
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')));
  }
  return validator(batch) ? [] : ((validator.errors as unknown[]) ?? ['invalid']);
}
