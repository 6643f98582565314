import * as fs from 'node:fs';
import { parseUnitRegistry } from '../../worker/registry-parse';
import type { UnitRegistry } from '../../worker/verify';

/**
 * The unit registry (`--units FILE`): JSON `{ "version": 2, "units": [{ "name", "agencyCertificates": [sha256…],
 * "aliases"?, "parent"?, "signers"? }] }` (worker/registry.ts). Checked here so a typo stops the run before any
 * work is done.
 */
export function readUnitRegistry(path: string): UnitRegistry {
  return parseUnitRegistry(JSON.parse(fs.readFileSync(path, 'utf8')) as unknown);
}
