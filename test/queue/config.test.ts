import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, DEFAULT_LIMITS, loadConfig, parseSize } from '../../server/service/config';
import { defaultCertsDir } from '../../server/paths';

test('defaults', () => {
  const cfg = loadConfig({});
  expect(cfg).toEqual({
    port: 8080,
    dataDir: path.resolve('data'),
    certsDir: defaultCertsDir(),
    redisUrl: null,
    databaseUrl: null,
    exportDir: null,
    adminToken: null,
    concurrency: os.availableParallelism(),
    queuePrefix: 'kiemky',
    exportIntervalSeconds: 30,
    limits: DEFAULT_LIMITS,
  });
  expect(DEFAULT_LIMITS).toEqual({ maxFileBytes: 512 << 20, maxRequestBytes: 2 * 1024 ** 3, maxFiles: 10_000, maxZipEntries: 100_000, maxZipBytes: 20 * 1024 ** 3 });
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
