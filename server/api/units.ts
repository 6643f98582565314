import { parseUnitRegistry, UnitRegistryError, unitRegistryVersion } from '../shared/unit-registry';
import type { Store, StoredUnitRegistry } from '../shared/types';
import { ApiError } from './errors';

/**
 * The unit registry through the API: read as stored (an empty one, with its version, when none was set), replaced
 * whole after the same validation the CLI's --units file gets. Verifiers follow the stored version (pool/follow-units.ts).
 */

export async function currentUnits(store: Store): Promise<StoredUnitRegistry> {
  const stored = await store.unitRegistry();
  if (stored) return stored;
  const empty = { version: 2, units: [] };
  return { registry: empty, version: unitRegistryVersion(empty), source: 'none', updatedAt: new Date(0).toISOString() };
}

export async function putUnits(store: Store, body: unknown, source: string, at: Date): Promise<StoredUnitRegistry> {
  let registry;
  try {
    registry = parseUnitRegistry(body);
  } catch (err) {
    if (err instanceof UnitRegistryError) throw new ApiError('UNITS_INVALID', { detail: err.message, detailVi: err.vi });
    throw err;
  }
  return store.putUnitRegistry(registry, source, at);
}
