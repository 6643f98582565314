import { usernameKey } from '../shared/accounts';
import type {
  AccountStore,
  FailureCount,
  NewSession,
  NewUser,
  PasswordHash,
  Role,
  ScryptParams,
  SessionRecord,
  TakenExport,
  TokenRecord,
  UserPatch,
  UserRecord,
} from '../shared/types';
import type { SqlClient, SqlParam, SqlQueryable } from './sql';

/**
 * The accounts half of the Store (AccountStore), over the same SqlClient as the rest: users, sessions, the failed
 * sign-ins the throttle counts, and the listings of tokens and taken exports the admin pages read. SqlStore
 * extends it. The rules (expiry, throttling, who may do what) are the API's; this file only keeps and finds.
 */

interface UserRow {
  username: string;
  role: Role;
  units: string[];
  disabled: boolean;
  created_at: unknown;
  last_login_at: unknown;
}

const USER_COLUMNS = 'username, role, units, disabled, created_at, last_login_at';

function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

function userRecord(row: UserRow): UserRecord {
  return {
    username: row.username,
    role: row.role,
    units: row.units,
    disabled: row.disabled,
    createdAt: iso(row.created_at),
    lastLoginAt: row.last_login_at === null || row.last_login_at === undefined ? null : iso(row.last_login_at),
  };
}

export class SqlAccounts implements AccountStore {
  constructor(protected readonly db: SqlClient) {}

  async createUser(user: NewUser, at: Date): Promise<UserRecord | null> {
    const { rows } = await this.db.query<UserRow>(
      `INSERT INTO users (username_key, username, role, units, password_salt, password_hash, password_params, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7::jsonb, $8::timestamptz)
       ON CONFLICT (username_key) DO NOTHING
       RETURNING ${USER_COLUMNS}`,
      [
        usernameKey(user.username),
        user.username.normalize('NFC'),
        user.role,
        JSON.stringify(user.units),
        user.password.salt,
        user.password.hash,
        JSON.stringify(user.password.params),
        at.toISOString(),
      ],
    );
    return rows[0] ? userRecord(rows[0]) : null;
  }

  async userCredentials(username: string): Promise<{ user: UserRecord; password: PasswordHash } | null> {
    const { rows } = await this.db.query<UserRow & { password_salt: string; password_hash: string; password_params: ScryptParams }>(
      `SELECT ${USER_COLUMNS}, password_salt, password_hash, password_params FROM users WHERE username_key = $1`,
      [usernameKey(username)],
    );
    const row = rows[0];
    if (!row) return null;
    return { user: userRecord(row), password: { salt: row.password_salt, hash: row.password_hash, params: row.password_params } };
  }

  async listUsers(): Promise<UserRecord[]> {
    const { rows } = await this.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username_key`);
    return rows.map(userRecord);
  }

  async updateUser(username: string, patch: UserPatch): Promise<UserRecord | null> {
    const key = usernameKey(username);
    const sets: string[] = [];
    const params: SqlParam[] = [key];
    const set = (column: string, value: SqlParam, cast = ''): void => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    if (patch.role !== undefined) set('role', patch.role);
    if (patch.units !== undefined) set('units', JSON.stringify(patch.units), '::jsonb');
    if (patch.disabled !== undefined) set('disabled', patch.disabled);
    if (patch.password !== undefined) {
      set('password_salt', patch.password.salt);
      set('password_hash', patch.password.hash);
      set('password_params', JSON.stringify(patch.password.params), '::jsonb');
    }
    // Sessions end with the account or with the password they were opened with; a role or unit change needs no
    // such step, since every request reads the user's current role and units through its session.
    const endSessions = patch.disabled === true || patch.password !== undefined;
    return this.db.transaction(async (tx: SqlQueryable) => {
      const { rows } = sets.length
        ? await tx.query<UserRow>(`UPDATE users SET ${sets.join(', ')} WHERE username_key = $1 RETURNING ${USER_COLUMNS}`, params)
        : await tx.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE username_key = $1`, [key]);
      if (!rows[0]) return null;
      if (endSessions) await tx.query('DELETE FROM sessions WHERE username_key = $1', [key]);
      return userRecord(rows[0]);
    });
  }

  async recordLogin(username: string, at: Date): Promise<void> {
    await this.db.query('UPDATE users SET last_login_at = $2::timestamptz WHERE username_key = $1', [usernameKey(username), at.toISOString()]);
  }

  async createSession(session: NewSession, prune: { idleBefore: Date; now: Date }): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE last_seen_at < $1::timestamptz OR expires_at <= $2::timestamptz', [
      prune.idleBefore.toISOString(),
      prune.now.toISOString(),
    ]);
    const created = session.createdAt.toISOString();
    await this.db.query(
      `INSERT INTO sessions (hash, username_key, csrf_token, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz, $5::timestamptz)`,
      [session.hash, usernameKey(session.username), session.csrfToken, created, session.expiresAt.toISOString()],
    );
  }

  async findSession(hash: string): Promise<SessionRecord | null> {
    const { rows } = await this.db.query<UserRow & { csrf_token: string; s_created: unknown; last_seen_at: unknown; expires_at: unknown }>(
      `SELECT u.username, u.role, u.units, u.disabled, u.created_at, u.last_login_at,
              s.csrf_token, s.created_at AS s_created, s.last_seen_at, s.expires_at
       FROM sessions s JOIN users u ON u.username_key = s.username_key
       WHERE s.hash = $1`,
      [hash],
    );
    const row = rows[0];
    if (!row) return null;
    return { user: userRecord(row), csrfToken: row.csrf_token, createdAt: iso(row.s_created), lastSeenAt: iso(row.last_seen_at), expiresAt: iso(row.expires_at) };
  }

  async touchSession(hash: string, at: Date): Promise<void> {
    await this.db.query('UPDATE sessions SET last_seen_at = $2::timestamptz WHERE hash = $1 AND last_seen_at < $2::timestamptz', [hash, at.toISOString()]);
  }

  async deleteSession(hash: string): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE hash = $1', [hash]);
  }

  async listTokens(): Promise<TokenRecord[]> {
    const { rows } = await this.db.query<{ id: string; role: Role; units: string[]; label: string | null; created_at: unknown }>(
      'SELECT id, role, units, label, created_at FROM tokens ORDER BY created_at, id',
    );
    return rows.map((r) => ({ id: r.id, role: r.role, units: r.units, label: r.label, createdAt: iso(r.created_at) }));
  }

  async deleteToken(id: string): Promise<boolean> {
    const { rows } = await this.db.query<{ id: string }>('DELETE FROM tokens WHERE id = $1 RETURNING id', [id]);
    return rows.length === 1;
  }

  async recordLoginFailure(keys: string[], at: Date, forgetBefore: Date): Promise<void> {
    await this.db.query('DELETE FROM login_failures WHERE at < $1::timestamptz', [forgetBefore.toISOString()]);
    for (const key of keys) await this.db.query('INSERT INTO login_failures (key, at) VALUES ($1, $2::timestamptz)', [key, at.toISOString()]);
  }

  async loginFailures(keys: string[], since: Date): Promise<FailureCount[]> {
    const { rows } = await this.db.query<{ key: string; count: number; last: unknown }>(
      `SELECT key, count(*)::int AS count, max(at) AS last FROM login_failures
       WHERE key IN (SELECT jsonb_array_elements_text($1::jsonb)) AND at >= $2::timestamptz
       GROUP BY key`,
      [JSON.stringify(keys), since.toISOString()],
    );
    const found = new Map(rows.map((r) => [r.key, r]));
    return keys.map((key) => {
      const r = found.get(key);
      return r ? { key, count: r.count, last: iso(r.last) } : { key, count: 0, last: null };
    });
  }

  async clearLoginFailures(key: string): Promise<void> {
    await this.db.query('DELETE FROM login_failures WHERE key = $1', [key]);
  }

  async takenExports(limit: number): Promise<TakenExport[]> {
    const { rows } = await this.db.query<{ name: string; batch_id: string; claimed_at: unknown }>(
      'SELECT name, batch_id, claimed_at FROM exports ORDER BY claimed_at DESC, name LIMIT $1',
      [limit],
    );
    return rows.map((r) => ({ name: r.name, batchId: r.batch_id, takenAt: iso(r.claimed_at) }));
  }
}
