import * as fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import * as path from 'node:path';
import { REPO_ROOT, SHARED_DIR } from './shared';

export { SHARED_DIR };

/** docs/report.schema.json: the report contract every report is validated against (kept equal to ../shared's or newer). */
export const SCHEMA_PATH = path.join(REPO_ROOT, 'docs', 'report.schema.json');

let validator: (((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null }) | null = null;

/**
 * Validates a report (BatchReport) against the report contract: the errors, empty when valid. The schema is part of
 * the repository, so this never skips.
 */
export function schemaErrors(report: unknown): string[] {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as object);
  }
  if (validator(report)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
