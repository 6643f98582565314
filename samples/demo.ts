import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * `npm run demo`: the sample month checked as a clerk would check it. `kiemky check` exits 1 when some document is
 * not compliant, which the sample month has on purpose; only 2 and above (a usage or run failure) fail the demo.
 * A node script rather than shell syntax in package.json, so that it runs the same from cmd.exe and PowerShell.
 */
function main(): number {
  const root = path.resolve(__dirname, '..', '..');
  const out = path.join(root, 'samples', 'out');
  const month = path.join(out, 'thang-11');
  const run = spawnSync(
    process.execPath,
    [path.join(root, 'bin', 'kiemky.js'), 'check', month, '--register', path.join(month, 'so-dang-ky.csv'), '--certs', path.join(out, 'trust')],
    { stdio: 'inherit' },
  );
  if (run.error) throw run.error;
  return run.status !== null && run.status <= 1 ? 0 : (run.status ?? 2);
}

process.exitCode = main();
