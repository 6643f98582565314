import * as crypto from 'node:crypto';
import * as os from 'node:os';

/**
 * Who wrote a temporary file in DATA_DIR, which serve and workers on several machines may share: the host, the
 * process id and a random nonce drawn once per process, in the file's name. A process starting up can then tell
 * what a dead process left (on its own host: the pid is gone, or it is its own pid under another nonce — a
 * container restarted) from what a live one is still writing, without locks, which network folders do not keep.
 */

export interface Owner {
  host: string;
  pid: number;
  nonce: string;
}

/** Host names as a file name may hold them; '_' separates the parts of a tag. */
function safeHost(name: string): string {
  return name.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64) || 'host';
}

export const THIS_PROCESS: Readonly<Owner> = Object.freeze({ host: safeHost(os.hostname()), pid: process.pid, nonce: crypto.randomBytes(6).toString('hex') });

/** "host_pid_nonce". */
export function ownerTag(owner: Owner = THIS_PROCESS): string {
  return `${owner.host}_${owner.pid}_${owner.nonce}`;
}

const TAG = /^([A-Za-z0-9.-]+)_(\d+)_([0-9a-f]{12})/;

/** The owner a name begins with (after `prefix`), or null for a name written otherwise (an older version's). */
export function ownerOf(name: string, prefix: string): Owner | null {
  if (!name.startsWith(prefix)) return null;
  const m = TAG.exec(name.slice(prefix.length));
  return m ? { host: m[1], pid: Number(m[2]), nonce: m[3] } : null;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What can be said of an owner from here: this process; dead (on this host, its pid is gone or is now this
 * process's under another nonce); or unknown (alive here, or on another host): then only its files' age can tell.
 */
export function ownerState(owner: Owner, alive: (pid: number) => boolean = processExists): 'ours' | 'dead' | 'unknown' {
  const me = THIS_PROCESS;
  if (owner.host === me.host && owner.pid === me.pid) return owner.nonce === me.nonce ? 'ours' : 'dead';
  if (owner.host === me.host && !alive(owner.pid)) return 'dead';
  return 'unknown';
}
