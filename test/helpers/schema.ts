import * as fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { SHARED_DIR, sharedAvailable, sharedPath } from './shared';

export { SHARED_DIR };

/** ../shared/report.schema.json: the report contract every report is validated against. */
export const SCHEMA_PATH = sharedPath('report.schema.json');

let validator: (((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null }) | null = null;

/**
 * Validates a report (BatchReport) against the shared schema: the errors (empty when valid), or null when the
 * schema is absent outside CI (under CI its absence fails the calling test).
 */
export function schemaErrors(report: unknown): string[] | null {
  if (!fs.existsSync(SCHEMA_PATH) && !sharedAvailable('report schema validation', 'report.schema.json')) return null;
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as object);
  }
  if (validator(report)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
