import * as crypto from 'node:crypto';
import type { PasswordHash, ScryptParams } from '../shared/types';

/**
 * Passwords kept as scrypt (node:crypto, no native add-on to build on an agency's Windows desktop). N = 2^15,
 * r = 8 takes about 32 MB and 50–100 ms per hash here: slow enough that a stolen table is costly to guess, fast
 * enough for a sign-in. The parameters are stored with each hash, so raising them later needs no migration: a
 * sign-in with older parameters is re-hashed with the current ones (`needsRehash`).
 */

export const SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 15, r: 8, p: 1, keyLength: 32 });

export const MIN_PASSWORD_LENGTH = 10;
/** A longer "password" is a request to make the server hash megabytes, not a password. */
export const MAX_PASSWORD_LENGTH = 1024;

/** A password as hashed: NFC, so the same password typed through another input method is the same bytes. */
function passwordBytes(password: string): Buffer {
  return Buffer.from(password.normalize('NFC'), 'utf8');
}

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem: scrypt needs 128·N·r bytes; Node's default cap (32 MB) is just under that for N = 2^15.
    crypto.scrypt(passwordBytes(password), salt, params.keyLength, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r * params.p }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<PasswordHash> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, params);
  return { salt: salt.toString('base64'), hash: key.toString('base64'), params: { ...params } };
}

/** Compares in constant time; a stored hash that cannot be read is a mismatch, not an error. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  if (expected.length !== stored.params.keyLength || expected.length === 0) return false;
  const key = await scrypt(password, Buffer.from(stored.salt, 'base64'), stored.params);
  return crypto.timingSafeEqual(key, expected);
}

export function needsRehash(stored: PasswordHash, params: ScryptParams = SCRYPT_PARAMS): boolean {
  return stored.params.N < params.N || stored.params.r < params.r || stored.params.p < params.p || stored.params.keyLength < params.keyLength;
}

let dummy: Promise<PasswordHash> | null = null;
/**
 * A hash of a random password with the current parameters: a sign-in for a name that does not exist is checked
 * against it, so that it takes as long as one for a name that does, and the answer time does not tell which.
 */
export function dummyHash(): Promise<PasswordHash> {
  dummy ??= hashPassword(crypto.randomBytes(24).toString('base64'));
  return dummy;
}

/** Why a new password is refused, or null. Counted in characters as a person counts them (NFC code points). */
export function passwordProblem(password: string): 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | null {
  const length = [...password.normalize('NFC')].length;
  if (length < MIN_PASSWORD_LENGTH) return 'PASSWORD_TOO_SHORT';
  if (length > MAX_PASSWORD_LENGTH) return 'PASSWORD_TOO_LONG';
  return null;
}
