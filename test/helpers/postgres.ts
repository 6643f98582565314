import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { Client } from 'pg';

/**
 * The PostgreSQL the tests run on (the server of this machine unless KIEMKY_TEST_DATABASE_URL says otherwise), each
 * test file in a schema of its own, created and dropped.
 */

export const TEST_DATABASE_URL = process.env.KIEMKY_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** jest wants to know at collection time whether to skip: a short synchronous probe in a child process. */
export function postgresReachable(url: string = TEST_DATABASE_URL): boolean {
  const probe =
    "const { Client } = require('pg');" +
    'const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });' +
    'c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1));';
  try {
    execFileSync(process.execPath, ['-e', probe, url], { cwd: path.resolve(__dirname, '../..'), timeout: 10_000, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A schema name no other run uses. */
export function freshSchema(): string {
  return `kiemky_test_${crypto.randomBytes(6).toString('hex')}`;
}

export async function dropSchema(schema: string, url: string = TEST_DATABASE_URL): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}

/** The URL without its credentials, for a message saying the tests were skipped. */
export function shownUrl(url: string = TEST_DATABASE_URL): string {
  return url.replace(/\/\/[^@]*@/, '//…@');
}
