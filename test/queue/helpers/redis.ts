import * as crypto from 'node:crypto';
import * as net from 'node:net';

export const SHARED_REDIS_URL = process.env.KIEMKY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/5';

/** True when something answers PING at host:port (checked with a raw socket: no driver needed to decide to skip). */
export function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const sock = net.connect({ host: u.hostname, port: Number(u.port || 6379) });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export function uniquePrefix(tag: string): string {
  return `kiemky-test-${tag}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
}

/** BullMQ needs the ioredis driver (an optional peer of bullmq 6): a missing one is a real failure, said plainly. */
export function requireIoredis(): void {
  try {
    require.resolve('ioredis');
  } catch {
    throw new Error('ioredis is not installed: BullMQ 6 loads it for its Redis connections; add "ioredis" to package.json dependencies');
  }
}

/** Keys matching a pattern, by a raw KEYS on the url's db (for the cleanup check, with no driver in between). */
export function redisKeys(url: string, pattern: string): Promise<string[]> {
  const u = new URL(url);
  const db = u.pathname.replace('/', '') || '0';
  const cmd = (args: string[]): string => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: u.hostname, port: Number(u.port || 6379) });
    let buf = '';
    sock.on('error', reject);
    sock.on('connect', () => sock.write(cmd(['SELECT', db]) + cmd(['KEYS', pattern])));
    sock.on('data', (d) => {
      buf += d.toString();
      // +OK for SELECT, then *n and n bulk strings.
      const m = /^\+OK\r\n\*(\d+)\r\n/.exec(buf);
      if (!m) return;
      const lines = buf.slice(m[0].length).split('\r\n');
      const keys = lines.filter((_, i) => i % 2 === 1);
      if (keys.length < Number(m[1])) return;
      sock.destroy();
      resolve(keys.slice(0, Number(m[1])));
    });
  });
}
