import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SqlClient, SqlQueryable } from './sql';

/**
 * One set of migrations for both engines: `migrations/NNN_name.sql`, applied in name order, each once, recorded in
 * `schema_migrations`. The whole run is one transaction under an advisory lock, so two processes starting at once
 * (API and worker) neither apply a file twice nor see half a schema.
 */

export interface Migration {
  version: string;
  sql: string;
}

/** The .sql files sit next to this module in the source tree; a build (tsc) does not copy them to dist/. */
export function migrationsDir(): string {
  const candidates = [
    path.join(__dirname, 'migrations'),
    path.resolve(__dirname, '..', '..', '..', 'server', 'store', 'migrations'),
  ];
  const found = candidates.find((dir) => fs.existsSync(dir));
  if (!found) throw new Error(`store migrations not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function readMigrations(dir: string = migrationsDir()): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((name) => /^\d+_[\w-]+\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: name.replace(/\.sql$/, ''), sql: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

/** Any constant: it names "kiemky migrates" among the advisory locks of the database. */
const MIGRATION_LOCK = 4_270_341_001;

/**
 * Work a migration needs done by the program rather than by SQL (keys made by TypeScript functions), run in the
 * migration's transaction right after its file, so the schema is never recorded as migrated without it.
 */
export type MigrationHooks = Record<string, (tx: SqlQueryable) => Promise<void>>;

export async function migrate(client: SqlClient, migrations: Migration[] = readMigrations(), hooks: MigrationHooks = {}): Promise<string[]> {
  return client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL)');
    const done = new Set((await tx.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await hooks[m.version]?.(tx);
      await tx.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())', [m.version]);
      applied.push(m.version);
    }
    return applied;
  });
}

/**
 * The statements of a migration file. A transaction client runs one statement per query (PGlite's extended
 * protocol), so the script is split at semicolons that end a line; `--` comments are dropped. Migrations keep to
 * that form (no dollar-quoted function bodies).
 */
export function splitStatements(sql: string): string[] {
  const lines = sql.split(/\r?\n/).map((line) => line.replace(/--.*$/, ''));
  return lines
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
