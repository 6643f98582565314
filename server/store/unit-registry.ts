import { unitRegistryVersion } from '../../worker/registry-parse';
import type { UnitRegistry } from '../../worker/registry';
import type { StoredUnitRegistry, UnitRegistryStore } from '../shared/types';
import { pgJson } from './pg-json';
import type { SqlClient } from './sql';

/**
 * The unit registry in the store (migration 008): the current one is the newest row. Its version is cached for a
 * few seconds, because verifiers ask for it before every document; a change made through this object is seen at
 * once, one made by another process (another server, the admin's CLI) within CACHE_MS.
 */

const CACHE_MS = 3000;

interface Row {
  version: string;
  registry: UnitRegistry;
  source: string;
  created_at: unknown;
}

const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();

export class SqlUnitRegistry implements UnitRegistryStore {
  private cached: { version: string | null; at: number } | null = null;

  constructor(private readonly db: SqlClient) {}

  async unitRegistry(): Promise<StoredUnitRegistry | null> {
    const { rows } = await this.db.query<Row>('SELECT version, registry, source, created_at FROM unit_registries ORDER BY seq DESC LIMIT 1');
    const r = rows[0];
    return r ? { registry: r.registry, version: r.version, source: r.source, updatedAt: iso(r.created_at) } : null;
  }

  async unitRegistryVersion(): Promise<string | null> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.version;
    const { rows } = await this.db.query<{ version: string }>('SELECT version FROM unit_registries ORDER BY seq DESC LIMIT 1');
    this.cached = { version: rows[0]?.version ?? null, at: Date.now() };
    return this.cached.version;
  }

  async putUnitRegistry(registry: UnitRegistry, source: string, at: Date): Promise<StoredUnitRegistry> {
    const version = unitRegistryVersion(registry);
    const current = await this.unitRegistry();
    if (current?.version === version) return current;
    await this.db.query('INSERT INTO unit_registries (version, registry, source, created_at) VALUES ($1, $2::jsonb, $3, $4::timestamptz)', [
      version,
      pgJson(registry),
      source,
      at.toISOString(),
    ]);
    this.cached = null;
    // Read back, so the answer is what a later GET gives (the engine's own rendering of the time included).
    return (await this.unitRegistry()) ?? { registry, version, source, updatedAt: at.toISOString() };
  }
}
