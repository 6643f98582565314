import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CalendarError, loadCalendar } from './calendar';
import { readUnitRegistryFile, UnitRegistryError } from './unit-registry';
import { defaultCertsDir } from './paths';
import { DEFAULT_REGISTER_LIMITS as REGISTER_DEFAULTS } from './register-limits';
import type { ServiceConfig, UploadLimits } from './types';

/** The register limits, which `kiemky check --register` honours too. */
export type RegisterLimitSettings = Pick<UploadLimits, 'maxRegisterBytes' | 'maxRegisterRows'>;

/**
 * The service's configuration, from the environment (twelve-factor: the same image runs as `serve` or `worker`
 * on any machine) with command-line flags taking precedence. Bad values fail at start, not at the first upload.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** What `kiemky serve|worker` flags may set; each wins over its environment variable. */
export interface ConfigFlags {
  port?: number;
  host?: string;
  dataDir?: string;
  certsDir?: string;
  redisUrl?: string | null;
  databaseUrl?: string | null;
  exportDir?: string | null;
  concurrency?: number;
  jobsInFlight?: number;
  queuePrefix?: string;
  /** `kiemky rejudge --revocation online`. */
  revocation?: 'online' | 'offline';
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Default jobs in flight per verification thread (see ServiceConfig.jobsInFlight): enough for the reports waiting
 * in a save group (SqlStore gathers for 200 ms) and those waiting for a thread, so a thread never waits for a job.
 */
export const JOBS_PER_THREAD = 32;

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** See register-limits.ts. */
export const DEFAULT_REGISTER_LIMITS: Readonly<RegisterLimitSettings> = Object.freeze({
  maxRegisterBytes: REGISTER_DEFAULTS.maxBytes,
  maxRegisterRows: REGISTER_DEFAULTS.maxRows,
});

/**
 * A district's month is about 10,000 PDFs of ~150 KB: one ZIP of ~1.5 GB. The defaults take it in one upload with
 * room to spare (a month of larger scans, a register and attachments beside the ZIP), while still refusing what
 * would fill a small server's disk: every upload is written to DATA_DIR/tmp and then to the blobs.
 */
export const DEFAULT_LIMITS: Readonly<UploadLimits> = Object.freeze({
  maxFileBytes: 4 * GB,
  maxRequestBytes: 8 * GB,
  maxFiles: 10_000,
  maxZipEntries: 100_000,
  maxZipBytes: 20 * GB,
  maxZipRatio: 100,
  ...DEFAULT_REGISTER_LIMITS,
});

/** An empty variable counts as unset: compose files often write `REDIS_URL=` to turn a service off. */
function str(env: Env, name: string): string | null {
  const v = env[name]?.trim();
  return v ? v : null;
}

function positiveInt(env: Env, name: string, fallback: number, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const raw = str(env, name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: MB, mb: MB, g: GB, gb: GB, t: 1024 * GB, tb: 1024 * GB };

/** Sizes as operators write them: 536870912, 512MB, 2g (binary units). */
export function parseSize(raw: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim());
  if (!m) return null;
  const unit = UNITS[m[2].toLowerCase()];
  if (unit === undefined) return null;
  const n = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

function size(env: Env, name: string, fallback: number): number {
  const raw = str(env, name);
  if (raw === null) return fallback;
  const n = parseSize(raw);
  if (n === null) throw new ConfigError(`${name} must be a size such as 512MB or 2GB, got "${raw}"`);
  return n;
}

/** The register limits from the environment: the service's and `kiemky check --register`'s are the same. */
export function loadRegisterLimitSettings(env: Env = process.env): RegisterLimitSettings {
  checkCalendar(env);
  return {
    maxRegisterBytes: size(env, 'KIEMKY_MAX_REGISTER_BYTES', DEFAULT_REGISTER_LIMITS.maxRegisterBytes),
    maxRegisterRows: positiveInt(env, 'KIEMKY_MAX_REGISTER_ROWS', DEFAULT_REGISTER_LIMITS.maxRegisterRows),
  };
}

/**
 * KIEMKY_CALENDAR_FILE extends the shipped working calendar (register dates are judged against it); a file that
 * cannot be read or parsed must stop the start, not turn every register row late.
 */
export function checkCalendar(env: Env = process.env): void {
  try {
    loadCalendar(str(env, 'KIEMKY_CALENDAR_FILE'));
  } catch (err) {
    if (err instanceof CalendarError) throw new ConfigError(`KIEMKY_CALENDAR_FILE: ${err.message}`);
    throw err;
  }
}

/** An IP address or a host name to listen on; anything else (a URL, a port) is a mistake to say at start. */
function checkHost(value: string): string {
  if (net.isIP(value) !== 0 || /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$/.test(value)) return value;
  throw new ConfigError(`HOST must be an IP address or a host name, got "${value}"`);
}

function checkUrl(name: string, value: string | null, schemes: string[]): string | null {
  if (value === null) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${value}"`);
  }
  if (!schemes.includes(url.protocol)) throw new ConfigError(`${name} must start with ${schemes.map((s) => `${s}//`).join(' or ')}`);
  return value;
}

/** KIEMKY_TRUST_PROXY: hops (a number) or a comma-separated list of addresses, subnets and Express's names for them. */
function trustProxy(value: string | null): number | string | null {
  if (value === null) return null;
  if (/^\d+$/.test(value)) return Number(value);
  const parts = value.split(',').map((p) => p.trim());
  if (parts.every((p) => /^(loopback|linklocal|uniquelocal)$/.test(p) || /^[0-9A-Fa-f.:]+(\/\d{1,3})?$/.test(p))) return parts.join(',');
  throw new ConfigError(`KIEMKY_TRUST_PROXY must be a number of proxies or addresses such as loopback, 10.0.0.1 or 10.0.0.0/8, got "${value}"`);
}

/** Reads the configuration; `flags` override the environment. Throws ConfigError on a value that cannot work. */
export function loadConfig(env: Env = process.env, flags: ConfigFlags = {}): ServiceConfig {
  const port = flags.port ?? positiveInt(env, 'PORT', 8080, { min: 0, max: 65535 });
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`port must be 0..65535, got ${port}`);
  const concurrency = flags.concurrency ?? positiveInt(env, 'KIEMKY_CONCURRENCY', os.availableParallelism(), { max: 1024 });
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError(`concurrency must be at least 1, got ${concurrency}`);
  // Jobs in flight beyond the threads cost a path and a promise each; the default keeps every thread fed while
  // reports are written, and a few hundred at most lets a worker that stops hand back little stalled work.
  const jobsInFlight = flags.jobsInFlight ?? positiveInt(env, 'KIEMKY_JOBS_IN_FLIGHT', concurrency * JOBS_PER_THREAD, { max: 65_536 });
  if (!Number.isInteger(jobsInFlight) || jobsInFlight < concurrency) {
    throw new ConfigError(`KIEMKY_JOBS_IN_FLIGHT must be at least the concurrency (${concurrency}), got ${jobsInFlight}`);
  }
  const queuePrefix = flags.queuePrefix ?? str(env, 'KIEMKY_QUEUE_PREFIX') ?? 'kiemky';
  // BullMQ joins prefix, queue name and id with ':'; a prefix with spaces or braces would confuse Redis Cluster tags.
  if (!/^[A-Za-z0-9_.:-]+$/.test(queuePrefix)) throw new ConfigError(`KIEMKY_QUEUE_PREFIX may hold letters, digits and _ . : - only, got "${queuePrefix}"`);

  const pick = (flag: string | null | undefined, name: string): string | null => (flag !== undefined ? flag || null : str(env, name));
  const exportDir = pick(flags.exportDir, 'EXPORT_DIR');

  const unitsFile = str(env, 'UNITS_FILE');
  if (unitsFile !== null) {
    // Read now only to refuse a bad file at start; serve stores it (server/service/serve.ts).
    try {
      readUnitRegistryFile(path.resolve(unitsFile));
    } catch (err) {
      if (err instanceof UnitRegistryError) throw new ConfigError(`UNITS_FILE: ${err.message}`);
      throw err;
    }
  }

  return {
    port,
    unitsFile: unitsFile === null ? null : path.resolve(unitsFile),
    host: checkHost(flags.host ?? str(env, 'HOST') ?? '127.0.0.1'),
    // Absolute, so a worker that changes directory (or a child process) still finds the same blobs.
    dataDir: path.resolve(flags.dataDir ?? str(env, 'DATA_DIR') ?? './data'),
    certsDir: path.resolve(flags.certsDir ?? str(env, 'CERTS_DIR') ?? defaultCertsDir()),
    revocation: flags.revocation ?? revocationMode(str(env, 'KIEMKY_REVOCATION')),
    revocationRefreshHours: positiveInt(env, 'KIEMKY_REVOCATION_REFRESH_HOURS', 24, { min: 0, max: 576 }),
    redisUrl: checkUrl('REDIS_URL', pick(flags.redisUrl, 'REDIS_URL'), ['redis:', 'rediss:']),
    databaseUrl: checkUrl('DATABASE_URL', pick(flags.databaseUrl, 'DATABASE_URL'), ['postgres:', 'postgresql:']),
    exportDir: exportDir === null ? null : path.resolve(exportDir),
    adminToken: str(env, 'KIEMKY_ADMIN_TOKEN'),
    concurrency,
    jobsInFlight,
    queuePrefix,
    exportIntervalSeconds: positiveInt(env, 'KIEMKY_EXPORT_INTERVAL', 30, { max: 86_400 }),
    // Never beyond the absolute 12 hours a session lasts (server/api/sessions.ts).
    sessionIdleMinutes: positiveInt(env, 'KIEMKY_SESSION_IDLE_MINUTES', 30, { max: 720 }),
    trustProxy: trustProxy(str(env, 'KIEMKY_TRUST_PROXY')),
    limits: {
      maxFileBytes: size(env, 'KIEMKY_MAX_FILE_BYTES', DEFAULT_LIMITS.maxFileBytes),
      maxRequestBytes: size(env, 'KIEMKY_MAX_REQUEST_BYTES', DEFAULT_LIMITS.maxRequestBytes),
      maxFiles: positiveInt(env, 'KIEMKY_MAX_FILES', DEFAULT_LIMITS.maxFiles),
      maxZipEntries: positiveInt(env, 'KIEMKY_MAX_ZIP_ENTRIES', DEFAULT_LIMITS.maxZipEntries),
      maxZipBytes: size(env, 'KIEMKY_MAX_ZIP_BYTES', DEFAULT_LIMITS.maxZipBytes),
      maxZipRatio: positiveInt(env, 'KIEMKY_MAX_ZIP_RATIO', DEFAULT_LIMITS.maxZipRatio),
      ...loadRegisterLimitSettings(env),
    },
  };
}

function revocationMode(value: string | null): 'online' | 'offline' {
  if (value === null || value === 'offline') return 'offline';
  if (value === 'online') return 'online';
  throw new ConfigError(`KIEMKY_REVOCATION must be online or offline, got ${value}`);
}
