/**
 * The one seam between the store's queries and a database engine. PostgreSQL (pg.Pool) and embedded PGlite both
 * implement it, so `SqlStore` is written once and runs the same SQL on both.
 */

/** A value a query parameter may take. Objects and arrays are passed as JSON text and cast in SQL (`$1::jsonb`):
 * pg and PGlite serialize JS arrays differently, JSON text reads the same on both. */
export type SqlParam = string | number | boolean | null;

export interface SqlResult<T> {
  rows: T[];
}

export interface SqlQueryable {
  /** One statement with `$n` parameters. */
  query<T>(text: string, params?: readonly SqlParam[]): Promise<SqlResult<T>>;
}

export interface SqlClient extends SqlQueryable {
  /** Every query and transaction runs alone (PGlite's one connection): races between two transactions, which
   * the store otherwise guards against with a second pass, cannot happen. */
  readonly serialized: boolean;
  /** Runs `fn` in one transaction (BEGIN … COMMIT, ROLLBACK when it throws); `fn` must use the client it is given. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A schema name safe to splice into SQL (identifiers cannot be bound as parameters). */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${JSON.stringify(schema)}`);
  return schema;
}
