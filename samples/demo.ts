import * as path from 'node:path';
import { run } from '../server/cli/main';

/**
 * `npm run demo`: `kiemky check` on the sample month with its register and the sample trust store. The check exits
 * 1 there on purpose (the month has non-compliant documents); the demo fails only on a usage error or worse (2+).
 * A node script rather than shell syntax in package.json, so that it runs the same on Windows.
 */

async function main(): Promise<void> {
  const out = path.resolve(__dirname, '..', '..', 'samples', 'out');
  const month = path.join(out, 'thang-11');
  const code = await run(['check', month, '--register', path.join(month, 'so-dang-ky.csv'), '--certs', path.join(out, 'trust')], { stdout: process.stdout, stderr: process.stderr });
  process.exitCode = code <= 1 ? 0 : code;
}

void main();
