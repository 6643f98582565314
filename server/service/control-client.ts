import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { controlFilePath, type ControlInfo } from './control';

/**
 * The command's side of the control channel (control.ts): finds a live `kiemky serve` for a DATA_DIR and asks it.
 */

/** What serve refused (a name taken, a password too short …), in the API's words. */
export class CommandRefused extends Error {
  constructor(
    readonly code: string,
    readonly messageVi: string,
    readonly messageEn: string,
  ) {
    super(messageEn);
    this.name = 'CommandRefused';
  }
}

/**
 * The control file, when it can be trusted: on POSIX, owned by this user and readable by nobody else — a file
 * someone else could have written might send the new password to their port.
 */
function readControlFile(dataDir: string): ControlInfo | null {
  const file = controlFilePath(dataDir);
  let text: string;
  try {
    if (process.platform !== 'win32') {
      const st = fs.statSync(file);
      if (!st.isFile() || (typeof process.getuid === 'function' && st.uid !== process.getuid()) || (st.mode & 0o077) !== 0) return null;
    }
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const info = JSON.parse(text) as Partial<ControlInfo>;
    if (typeof info.port === 'number' && typeof info.secret === 'string' && typeof info.pid === 'number') return info as ControlInfo;
  } catch {
    // A torn or foreign file: as if there were none.
  }
  return null;
}

/** Whether the control file is there but not trusted (so the command can say why it did not use it). */
export function untrustedControlFile(dataDir: string): boolean {
  return fs.existsSync(controlFilePath(dataDir)) && readControlFile(dataDir) === null;
}

/**
 * The loopback port of the live serve of `dataDir`, or null when there is none (no file, or nobody on its port: a
 * serve that was killed). A port that neither answers nor refuses is taken as live: the caller then stays off the
 * database rather than open it beside a serve that holds it.
 */
export function liveServePort(dataDir: string): Promise<number | null> {
  const info = readControlFile(dataDir);
  if (!info) return Promise.resolve(null);
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: info.port });
    const done = (port: number | null): void => {
      socket.destroy();
      resolve(port);
    };
    socket.once('connect', () => done(info.port));
    socket.once('error', () => done(null));
    socket.setTimeout(5000, () => done(info.port));
  });
}

export interface ServeAnswer<T> {
  port: number;
  result: T;
}

/**
 * POSTs `body` to the live serve of `dataDir`: its answer, or null when there is no live serve (no file, or nobody
 * on its port — a serve that was killed). Throws CommandRefused for what serve refused.
 */
export async function askServe<T>(dataDir: string, route: '/users' | '/tokens' | '/rejudge', body: unknown): Promise<ServeAnswer<T> | null> {
  const info = readControlFile(dataDir);
  if (!info) return null;
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  const answer = await new Promise<{ status: number; text: string } | null>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: info.port,
        path: route,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length, Authorization: `Bearer ${info.secret}` },
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`kiemky serve (127.0.0.1:${info.port}) did not answer`)));
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNREFUSED' ? resolve(null) : reject(err)));
    req.end(payload);
  });
  if (answer === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.text);
  } catch {
    throw new Error(`kiemky serve (127.0.0.1:${info.port}) answered ${answer.status} with something that is not JSON`);
  }
  if (answer.status === 201) return { port: info.port, result: parsed as T };
  const e = (parsed as { error?: { code?: string; message?: string; messageEn?: string } }).error;
  throw new CommandRefused(e?.code ?? String(answer.status), e?.message ?? answer.text, e?.messageEn ?? answer.text);
}

/**
 * GETs `pathAndQuery` (a report: the control channel serves GET /reports… as the API does) from the live serve of
 * `dataDir` and writes its body to `out`: the port it came from, or null when there is no live serve. Throws
 * CommandRefused for what serve refused, before anything is written to `out`.
 */
export async function fetchFromServe(dataDir: string, pathAndQuery: string, out: Writable): Promise<number | null> {
  const info = readControlFile(dataDir);
  if (!info) return null;
  const res = await new Promise<http.IncomingMessage | null>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: info.port, path: pathAndQuery, method: 'GET', headers: { Authorization: `Bearer ${info.secret}` }, timeout: 600_000 }, resolve);
    req.on('timeout', () => req.destroy(new Error(`kiemky serve (127.0.0.1:${info.port}) did not answer`)));
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNREFUSED' ? resolve(null) : reject(err)));
    req.end();
  });
  if (res === null) return null;
  if (res.statusCode === 200) {
    await pipeline(res, out);
    return info.port;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let e: { code?: string; message?: string; messageEn?: string } | undefined;
  try {
    e = (JSON.parse(text) as { error?: typeof e }).error;
  } catch {
    // Not the API's error shape: its text is the message.
  }
  throw new CommandRefused(e?.code ?? String(res.statusCode), e?.message ?? text, e?.messageEn ?? text);
}
