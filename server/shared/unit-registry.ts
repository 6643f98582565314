import * as fs from 'node:fs';
import { parseUnitRegistry as parse, UnitRegistryError as RegistryError } from '../../worker/registry-parse';
import type { UnitRegistry as Registry } from '../../worker/registry';

/**
 * The unit registry's one parser and version hash (worker/registry-parse.ts), for the rooms that speak of the
 * registry without importing the verification core: the API, the queues, the service.
 */
export { parseUnitRegistry, UnitRegistryError, unitRegistryVersion } from '../../worker/registry-parse';
export type { RegisteredSigner, RegisteredUnit, UnitRegistry } from '../../worker/registry';

/** Reads a registry file (UNITS_FILE); every failure is a UnitRegistryError naming the file. */
export function readUnitRegistryFile(file: string): Registry {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new RegistryError(`${file}: cannot be read (${why})`, `${file}: không đọc được tệp (${why})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new RegistryError(`${file}: not JSON (${(e as Error).message})`, `${file}: không phải JSON (${(e as Error).message})`);
  }
  try {
    return parse(data);
  } catch (e) {
    if (e instanceof RegistryError) throw new RegistryError(`${file}: ${e.message}`, `${file}: ${e.vi}`);
    throw e;
  }
}
