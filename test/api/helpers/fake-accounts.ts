import type { UnitRegistry } from '../../../worker/registry';
import { unitRegistryVersion } from '../../../worker/registry-parse';
import type { StoredUnitRegistry } from '../../../server/shared/types';
import { usernameKey } from '../../../server/shared/accounts';
import type {
  AccountStore,
  FailureCount,
  NewSession,
  NewUser,
  PasswordHash,
  SessionRecord,
  TakenExport,
  TokenRecord,
  UserPatch,
  UserRecord,
} from '../../../server/shared/types';

/**
 * The accounts half of the fake Store, in memory, kept to what SqlAccounts does (the store suite holds both to the
 * same behaviour where it matters: sessions end with a disabled account or a new password).
 */
export class FakeAccounts implements AccountStore {
  readonly tokens = new Map<string, TokenRecord>();
  readonly users = new Map<string, { user: UserRecord; password: PasswordHash }>();
  readonly sessions = new Map<string, { key: string; csrfToken: string; createdAt: string; lastSeenAt: string; expiresAt: string }>();
  readonly failures: { key: string; at: Date }[] = [];
  readonly exportsTaken: TakenExport[] = [];
  unitRegistryStored: StoredUnitRegistry | null = null;

  async unitRegistry(): Promise<StoredUnitRegistry | null> {
    return this.unitRegistryStored;
  }

  async unitRegistryVersion(): Promise<string | null> {
    return this.unitRegistryStored?.version ?? null;
  }

  async putUnitRegistry(registry: UnitRegistry, source: string, at: Date): Promise<StoredUnitRegistry> {
    const version = unitRegistryVersion(registry);
    if (this.unitRegistryStored?.version !== version) this.unitRegistryStored = { registry, version, source, updatedAt: at.toISOString() };
    return this.unitRegistryStored;
  }

  async createUser(user: NewUser, at: Date): Promise<UserRecord | null> {
    const key = usernameKey(user.username);
    if (this.users.has(key)) return null;
    const record: UserRecord = { username: user.username.normalize('NFC'), role: user.role, units: user.units, disabled: false, createdAt: at.toISOString(), lastLoginAt: null };
    this.users.set(key, { user: record, password: user.password });
    return { ...record };
  }
  async userCredentials(username: string): Promise<{ user: UserRecord; password: PasswordHash } | null> {
    const found = this.users.get(usernameKey(username));
    return found ? { user: { ...found.user }, password: found.password } : null;
  }
  async listUsers(): Promise<UserRecord[]> {
    return [...this.users.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => ({ ...v.user }));
  }
  async updateUser(username: string, patch: UserPatch): Promise<UserRecord | null> {
    const key = usernameKey(username);
    const found = this.users.get(key);
    if (!found) return null;
    if (patch.role !== undefined) found.user.role = patch.role;
    if (patch.units !== undefined) found.user.units = patch.units;
    if (patch.disabled !== undefined) found.user.disabled = patch.disabled;
    if (patch.password !== undefined) found.password = patch.password;
    if (patch.disabled === true || patch.password !== undefined) {
      for (const [hash, s] of this.sessions) if (s.key === key) this.sessions.delete(hash);
    }
    return { ...found.user };
  }
  async recordLogin(username: string, at: Date): Promise<void> {
    const found = this.users.get(usernameKey(username));
    if (found) found.user.lastLoginAt = at.toISOString();
  }
  async createSession(session: NewSession, prune: { idleBefore: Date; now: Date }): Promise<void> {
    for (const [hash, s] of this.sessions) {
      if (Date.parse(s.lastSeenAt) < prune.idleBefore.getTime() || Date.parse(s.expiresAt) <= prune.now.getTime()) this.sessions.delete(hash);
    }
    const created = session.createdAt.toISOString();
    this.sessions.set(session.hash, { key: usernameKey(session.username), csrfToken: session.csrfToken, createdAt: created, lastSeenAt: created, expiresAt: session.expiresAt.toISOString() });
  }
  async findSession(hash: string): Promise<SessionRecord | null> {
    const s = this.sessions.get(hash);
    const found = s ? this.users.get(s.key) : undefined;
    if (!s || !found) return null;
    return { user: { ...found.user }, csrfToken: s.csrfToken, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt };
  }
  async touchSession(hash: string, at: Date): Promise<void> {
    const s = this.sessions.get(hash);
    if (s && Date.parse(s.lastSeenAt) < at.getTime()) s.lastSeenAt = at.toISOString();
  }
  async deleteSession(hash: string): Promise<void> {
    this.sessions.delete(hash);
  }
  async listTokens(): Promise<TokenRecord[]> {
    return [...this.tokens.values()];
  }
  async deleteToken(id: string): Promise<boolean> {
    for (const [hash, t] of this.tokens) {
      if (t.id === id) {
        this.tokens.delete(hash);
        return true;
      }
    }
    return false;
  }
  async recordLoginFailure(keys: string[], at: Date, forgetBefore: Date): Promise<void> {
    for (let i = this.failures.length - 1; i >= 0; i--) if (this.failures[i].at < forgetBefore) this.failures.splice(i, 1);
    for (const key of keys) this.failures.push({ key, at });
  }
  async loginFailures(keys: string[], since: Date): Promise<FailureCount[]> {
    return keys.map((key) => {
      const mine = this.failures.filter((f) => f.key === key && f.at >= since);
      const last = mine.reduce<Date | null>((m, f) => (m === null || f.at > m ? f.at : m), null);
      return { key, count: mine.length, last: last ? last.toISOString() : null };
    });
  }
  async clearLoginFailures(key: string): Promise<void> {
    for (let i = this.failures.length - 1; i >= 0; i--) if (this.failures[i].key === key) this.failures.splice(i, 1);
  }
  async takenExports(limit: number): Promise<TakenExport[]> {
    return this.exportsTaken.slice(0, limit);
  }
}
