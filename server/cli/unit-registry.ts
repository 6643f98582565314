import * as fs from 'node:fs';
import { normalizeFingerprint } from '../../worker/text/fold';
import type { UnitRegistry } from '../../worker/verify';

/**
 * The unit registry (`--units FILE`): JSON `{ "units": [{ "name", "agencyCertificates": [sha256…], "aliases"? }] }`
 * pinning each unit's organization certificates. Checked here so a typo stops the run before any work is done.
 */
export function readUnitRegistry(path: string): UnitRegistry {
  const data: unknown = JSON.parse(fs.readFileSync(path, 'utf8'));
  const units = (data as { units?: unknown }).units;
  if (!Array.isArray(units)) throw new Error('"units" must be an array');
  return {
    units: units.map((u: unknown, i) => {
      const unit = u as { name?: unknown; agencyCertificates?: unknown; aliases?: unknown };
      const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
      if (typeof unit.name !== 'string' || !strings(unit.agencyCertificates)) {
        throw new Error(`units[${i}] needs "name" and "agencyCertificates" (SHA-256 fingerprints)`);
      }
      if (unit.aliases !== undefined && !strings(unit.aliases)) throw new Error(`units[${i}].aliases must be strings`);
      return {
        name: unit.name,
        agencyCertificates: unit.agencyCertificates.map(normalizeFingerprint),
        ...(unit.aliases ? { aliases: unit.aliases } : {}),
      };
    }),
  };
}
