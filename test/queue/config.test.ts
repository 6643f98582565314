import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, DEFAULT_LIMITS, JOBS_PER_THREAD, loadConfig, parseSize } from '../../server/shared/config';
import { defaultCertsDir } from '../../server/shared/paths';

test('defaults', () => {
  const cfg = loadConfig({});
  expect(cfg).toEqual({
    port: 8080,
    host: '127.0.0.1',
    dataDir: path.resolve('data'),
    certsDir: defaultCertsDir(),
    revocation: 'offline',
    revocationRefreshHours: 24,
    redisUrl: null,
    databaseUrl: null,
    exportDir: null,
    adminToken: null,
    concurrency: os.availableParallelism(),
    jobsInFlight: os.availableParallelism() * JOBS_PER_THREAD,
    queuePrefix: 'kiemky',
    exportIntervalSeconds: 30,
    sessionIdleMinutes: 30,
    trustProxy: null,
    unitsFile: null,
    limits: DEFAULT_LIMITS,
  });
  // A district's month in one ZIP (10,000 documents, ~1.5 GB) fits the default file and request limits.
  expect(DEFAULT_LIMITS).toEqual({
    maxFileBytes: 4 * 1024 ** 3,
    maxRequestBytes: 8 * 1024 ** 3,
    maxFiles: 10_000,
    maxZipEntries: 100_000,
    maxZipBytes: 20 * 1024 ** 3,
    maxZipRatio: 100,
    // A province's month of register rows, about 250 bytes each.
    maxRegisterBytes: 50 * 1024 ** 2,
    maxRegisterRows: 200_000,
  });
  expect(JOBS_PER_THREAD).toBeGreaterThan(1);
});

test('jobs in flight: threads × JOBS_PER_THREAD unless set, never fewer than the threads', () => {
  expect(loadConfig({ KIEMKY_CONCURRENCY: '3' })).toMatchObject({ concurrency: 3, jobsInFlight: 3 * JOBS_PER_THREAD });
  // The --concurrency flag moves the default with it.
  expect(loadConfig({ KIEMKY_CONCURRENCY: '3' }, { concurrency: 1 })).toMatchObject({ concurrency: 1, jobsInFlight: JOBS_PER_THREAD });
  expect(loadConfig({ KIEMKY_CONCURRENCY: '2', KIEMKY_JOBS_IN_FLIGHT: '5' })).toMatchObject({ concurrency: 2, jobsInFlight: 5 });
  expect(loadConfig({ KIEMKY_CONCURRENCY: '2' }, { jobsInFlight: 2 })).toMatchObject({ jobsInFlight: 2 });
  expect(() => loadConfig({ KIEMKY_CONCURRENCY: '4', KIEMKY_JOBS_IN_FLIGHT: '3' })).toThrow(/at least the concurrency \(4\)/);
  expect(() => loadConfig({ KIEMKY_JOBS_IN_FLIGHT: 'many' })).toThrow(ConfigError);
  expect(() => loadConfig({ KIEMKY_JOBS_IN_FLIGHT: '0' })).toThrow(ConfigError);
});

test('size limits as operators write them reach the config', () => {
  expect(loadConfig({ KIEMKY_MAX_FILE_BYTES: '6GB', KIEMKY_MAX_REQUEST_BYTES: '7g' }).limits).toMatchObject({ maxFileBytes: 6 * 1024 ** 3, maxRequestBytes: 7 * 1024 ** 3 });
});

test('HOST and --host choose the interface; the default keeps the server on this machine', () => {
  expect(loadConfig({}).host).toBe('127.0.0.1');
  expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  expect(loadConfig({ HOST: '0.0.0.0' }, { host: '::1' }).host).toBe('::1');
  expect(loadConfig({ HOST: 'kiemky.internal' }).host).toBe('kiemky.internal');
  expect(() => loadConfig({ HOST: 'http://0.0.0.0:8080' })).toThrow(ConfigError);
  // Forwarded headers are believed only from the proxies named.
  expect(loadConfig({ KIEMKY_TRUST_PROXY: '1' }).trustProxy).toBe(1);
  expect(() => loadConfig({ KIEMKY_TRUST_PROXY: 'everyone' })).toThrow(ConfigError);
});

test('register and ZIP-ratio limits from the environment', () => {
  expect(loadConfig({ KIEMKY_MAX_REGISTER_BYTES: '10MB', KIEMKY_MAX_REGISTER_ROWS: '5000', KIEMKY_MAX_ZIP_RATIO: '20' }).limits).toMatchObject({
    maxRegisterBytes: 10 << 20,
    maxRegisterRows: 5000,
    maxZipRatio: 20,
  });
  expect(() => loadConfig({ KIEMKY_MAX_REGISTER_ROWS: 'many' })).toThrow(ConfigError);
  expect(() => loadConfig({ KIEMKY_MAX_ZIP_RATIO: '0' })).toThrow(ConfigError);
});

test('environment, then flags over it; empty variables are unset', () => {
  const env = {
    PORT: '9000',
    DATA_DIR: '/srv/kiemky',
    REDIS_URL: 'redis://redis:6379/2',
    DATABASE_URL: 'postgresql://u@db/kiemky',
    EXPORT_DIR: '',
    KIEMKY_ADMIN_TOKEN: 's3cret',
    KIEMKY_CONCURRENCY: '4',
    KIEMKY_QUEUE_PREFIX: 'kk-test',
    KIEMKY_EXPORT_INTERVAL: '10',
    KIEMKY_SESSION_IDLE_MINUTES: '15',
    KIEMKY_TRUST_PROXY: 'loopback, 10.0.0.0/8',
    KIEMKY_MAX_FILE_BYTES: '100MB',
    KIEMKY_MAX_ZIP_BYTES: '1g',
    KIEMKY_MAX_FILES: '50',
  };
  const cfg = loadConfig(env, { port: 0, redisUrl: null });
  expect(cfg).toMatchObject({
    port: 0,
    dataDir: '/srv/kiemky',
    redisUrl: null,
    databaseUrl: 'postgresql://u@db/kiemky',
    exportDir: null,
    adminToken: 's3cret',
    concurrency: 4,
    queuePrefix: 'kk-test',
    exportIntervalSeconds: 10,
    sessionIdleMinutes: 15,
    trustProxy: 'loopback,10.0.0.0/8',
  });
  expect(cfg.limits).toMatchObject({ maxFileBytes: 100 << 20, maxZipBytes: 1 << 30, maxFiles: 50, maxZipEntries: 100_000 });
  expect(loadConfig(env).redisUrl).toBe('redis://redis:6379/2');
});

test('bad values fail at start', () => {
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
  expect(() => loadConfig({ PORT: '70000' })).toThrow(ConfigError);
  expect(() => loadConfig({ KIEMKY_CONCURRENCY: '0' })).toThrow(ConfigError);
  expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(ConfigError);
  expect(() => loadConfig({ DATABASE_URL: 'mysql://x/y' })).toThrow(ConfigError);
  expect(() => loadConfig({ KIEMKY_MAX_FILE_BYTES: 'lots' })).toThrow(ConfigError);
  expect(() => loadConfig({ KIEMKY_QUEUE_PREFIX: 'a b' })).toThrow(ConfigError);
  expect(parseSize('512MB')).toBe(512 << 20);
  expect(parseSize('1.5k')).toBe(1536);
  expect(parseSize('0')).toBeNull();
});

test('KIEMKY_REVOCATION: offline by default, online when asked, anything else refused', () => {
  expect(loadConfig({}).revocation).toBe('offline');
  expect(loadConfig({ KIEMKY_REVOCATION: 'online' }).revocation).toBe('online');
  expect(() => loadConfig({ KIEMKY_REVOCATION: 'ldap' })).toThrow(ConfigError);
});
