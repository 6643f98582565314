import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * ../shared beside the repository root: the real-world corpus, the Vietnamese CA certificates and the report
 * schema. Found from this file's place in the repository, never from a fixed absolute path, so a clone anywhere
 * finds it. Outside CI a missing ../shared skips the tests that need it, saying so; under CI (`CI=true`, where it is
 * always provided) a missing one is a failure, so that those checks can never pass by skipping unseen.
 */

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');

export function sharedPath(...parts: string[]): string {
  return path.join(SHARED_DIR, ...parts);
}

export const underCi = (): boolean => process.env.CI === 'true' || process.env.CI === '1';

/**
 * Whether `../shared/<parts>` exists. When it does not: under CI this throws (the suite that asked fails); else it
 * warns that `what` is skipped and returns false.
 */
export function sharedAvailable(what: string, ...parts: string[]): boolean {
  const p = sharedPath(...parts);
  if (fs.existsSync(p)) return true;
  const rel = path.relative(REPO_ROOT, p);
  if (underCi()) throw new Error(`${rel} is missing under CI: ${what} cannot run, and CI must not pass by skipping it`);
  console.warn(`SKIPPED: ${what} — ${rel} is absent`);
  return false;
}
