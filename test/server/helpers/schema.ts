import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import * as fs from 'node:fs';

/** Validates a batch report against the shared report contract; null (with a note) when the schema is absent. */
export const SCHEMA_FILE = '/work/shared/report.schema.json';

export function schemaErrors(report: unknown): string[] | null {
  if (!fs.existsSync(SCHEMA_FILE)) {
    console.warn(`${SCHEMA_FILE} not found: schema validation skipped`);
    return null;
  }
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as object);
  if (validate(report)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
