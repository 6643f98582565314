import { SqlStore } from '../../server/store/sql-store';
import type { SqlClient } from '../../server/store/sql';
import type { PasswordHash } from '../../server/shared/types';

/**
 * The accounts half of the Store (users, sessions, failed sign-ins, token and export listings), one suite for both
 * engines: each test file opens its engine and hands the client here.
 */

export interface OpenedClient {
  client: SqlClient;
  cleanup(): Promise<void>;
}

const PW: PasswordHash = { salt: 'c2FsdA==', hash: 'aGFzaA==', params: { N: 1024, r: 8, p: 1, keyLength: 32 } };
const t = (iso: string): Date => new Date(iso);

export function defineAccountSuite(label: string, open: () => Promise<OpenedClient>): void {
  describe(`accounts on ${label}`, () => {
    let opened: OpenedClient;
    let store: SqlStore;

    beforeAll(async () => {
      opened = await open();
      store = new SqlStore(opened.client);
      await store.migrate();
    });
    afterAll(async () => {
      await store.close();
      await opened.cleanup();
    });
    beforeEach(async () => {
      await opened.client.query('TRUNCATE users, sessions, login_failures, tokens, exports CASCADE');
    });

    test('user names are one account however they are cased or composed; the name is kept as written', async () => {
      const created = await store.createUser({ username: 'Nguyễn.Lan', role: 'clerk', units: ['Phòng Nội vụ'], password: PW }, t('2026-05-01T01:00:00Z'));
      expect(created).toEqual({ username: 'Nguyễn.Lan', role: 'clerk', units: ['Phòng Nội vụ'], disabled: false, createdAt: '2026-05-01T01:00:00.000Z', lastLoginAt: null });
      // Upper case, and the same letters decomposed (NFD), are the same name: taken.
      expect(await store.createUser({ username: 'NGUYỄN.LAN'.normalize('NFD'), role: 'admin', units: [], password: PW }, new Date())).toBeNull();
      const found = await store.userCredentials('nguyễn.lan'.normalize('NFD'));
      expect(found?.user.username).toBe('Nguyễn.Lan');
      expect(found?.password).toEqual(PW);
      expect(await store.userCredentials('someone-else')).toBeNull();
      await store.recordLogin('nguyễn.lan', t('2026-05-02T00:00:00Z'));
      expect((await store.listUsers()).map((u) => [u.username, u.lastLoginAt])).toEqual([['Nguyễn.Lan', '2026-05-02T00:00:00.000Z']]);
    });

    test('disabling an account or setting its password ends its sessions; a role change does not', async () => {
      await store.createUser({ username: 'a', role: 'inspector', units: [], password: PW }, new Date());
      await store.createUser({ username: 'b', role: 'leader', units: [], password: PW }, new Date());
      const now = new Date();
      const prune = { idleBefore: new Date(now.getTime() - 60_000), now };
      const expiresAt = new Date(now.getTime() + 3_600_000);
      for (const [hash, username] of [['h1', 'a'], ['h2', 'a'], ['h3', 'b']]) {
        await store.createSession({ hash, username, csrfToken: `csrf-${hash}`, createdAt: now, expiresAt }, prune);
      }
      expect((await store.findSession('h1'))?.user).toMatchObject({ username: 'a', role: 'inspector' });
      expect((await store.findSession('h1'))?.csrfToken).toBe('csrf-h1');
      expect(await store.updateUser('A', { role: 'clerk', units: ['X'] })).toMatchObject({ role: 'clerk', units: ['X'] });
      expect((await store.findSession('h2'))?.user).toMatchObject({ role: 'clerk', units: ['X'] });
      await store.updateUser('a', { disabled: true });
      expect(await store.findSession('h1')).toBeNull();
      expect(await store.findSession('h2')).toBeNull();
      expect(await store.findSession('h3')).not.toBeNull();
      const other: PasswordHash = { ...PW, hash: 'b3RoZXI=' };
      expect(await store.updateUser('b', { password: other })).toMatchObject({ username: 'b' });
      expect(await store.findSession('h3')).toBeNull();
      expect((await store.userCredentials('b'))?.password).toEqual(other);
      expect(await store.updateUser('nobody', { disabled: true })).toBeNull();
    });

    test('sessions: touched only forward, deleted, and the ended ones forgotten when another is made', async () => {
      await store.createUser({ username: 'u', role: 'admin', units: [], password: PW }, new Date());
      const start = t('2026-05-01T00:00:00Z');
      const farPrune = { idleBefore: t('2000-01-01T00:00:00Z'), now: start };
      await store.createSession({ hash: 'old', username: 'u', csrfToken: 'c', createdAt: start, expiresAt: t('2026-05-01T12:00:00Z') }, farPrune);
      await store.createSession({ hash: 'new', username: 'u', csrfToken: 'c', createdAt: start, expiresAt: t('2026-05-01T12:00:00Z') }, farPrune);
      await store.touchSession('new', t('2026-05-01T00:20:00Z'));
      await store.touchSession('new', t('2026-05-01T00:10:00Z'));
      expect((await store.findSession('new'))?.lastSeenAt).toBe('2026-05-01T00:20:00.000Z');
      // A sign-in at 00:45 with a 30-minute idle limit forgets 'old' (last seen 00:00), keeps 'new' (00:20).
      await store.createSession(
        { hash: 'third', username: 'u', csrfToken: 'c', createdAt: t('2026-05-01T00:45:00Z'), expiresAt: t('2026-05-01T12:45:00Z') },
        { idleBefore: t('2026-05-01T00:15:00Z'), now: t('2026-05-01T00:45:00Z') },
      );
      expect(await store.findSession('old')).toBeNull();
      expect(await store.findSession('new')).not.toBeNull();
      await store.deleteSession('new');
      expect(await store.findSession('new')).toBeNull();
      expect(await store.findSession('third')).toMatchObject({ createdAt: '2026-05-01T00:45:00.000Z', expiresAt: '2026-05-01T12:45:00.000Z' });
    });

    test('failed sign-ins are counted per key within the window, forgotten when old, cleared per key', async () => {
      const keys = ['user:lan', 'addr:10.0.0.1'];
      for (let i = 0; i < 3; i++) await store.recordLoginFailure(keys, t(`2026-05-01T00:0${i}:00Z`), t('2026-04-30T00:00:00Z'));
      await store.recordLoginFailure(['addr:10.0.0.1'], t('2026-05-01T00:05:00Z'), t('2026-04-30T00:00:00Z'));
      expect(await store.loginFailures([...keys, 'user:none'], t('2026-05-01T00:01:00Z'))).toEqual([
        { key: 'user:lan', count: 2, last: '2026-05-01T00:02:00.000Z' },
        { key: 'addr:10.0.0.1', count: 3, last: '2026-05-01T00:05:00.000Z' },
        { key: 'user:none', count: 0, last: null },
      ]);
      await store.clearLoginFailures('user:lan');
      expect((await store.loginFailures(keys, t('2026-01-01T00:00:00Z'))).map((f) => f.count)).toEqual([0, 4]);
      // The next record forgets what is older than its window.
      await store.recordLoginFailure(['user:x'], t('2026-05-01T01:00:00Z'), t('2026-05-01T00:03:00Z'));
      const { rows } = await opened.client.query<{ n: number }>('SELECT count(*)::int AS n FROM login_failures');
      expect(rows[0].n).toBe(2);
    });

    test('tokens are listed and deleted by id; taken exports listed newest first', async () => {
      await store.createToken('hash-1', { id: 't1', role: 'clerk', units: ['A'], label: 'văn thư' });
      await store.createToken('hash-2', { id: 't2', role: 'leader', units: [], label: null });
      expect((await store.listTokens()).map((x) => [x.id, x.role, x.units, x.label])).toEqual([
        ['t1', 'clerk', ['A'], 'văn thư'],
        ['t2', 'leader', [], null],
      ]);
      expect(await store.deleteToken('t1')).toBe(true);
      expect(await store.deleteToken('t1')).toBe(false);
      expect(await store.findToken('hash-1')).toBeNull();
      expect(await store.findToken('hash-2')).not.toBeNull();
      await opened.client.query(`INSERT INTO exports VALUES ('x-1', 'f', 'b1', '2026-05-01T00:00:00Z'), ('x-2', 'f', 'b2', '2026-05-02T00:00:00Z')`);
      expect(await store.takenExports(10)).toEqual([
        { name: 'x-2', batchId: 'b2', takenAt: '2026-05-02T00:00:00.000Z' },
        { name: 'x-1', batchId: 'b1', takenAt: '2026-05-01T00:00:00.000Z' },
      ]);
      expect(await store.takenExports(1)).toHaveLength(1);
    });
  });
}
