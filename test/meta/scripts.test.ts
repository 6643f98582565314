import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/shared';

/**
 * Most agency desktops run Windows, where npm runs scripts with cmd.exe: a script that leans on a POSIX shell (an
 * exit status in `$?`, `test`, `;` between commands, `VAR=value cmd`, `rm -rf`, single quotes) fails there. Only `&&`
 * between commands, node and npm's own binaries are portable; anything more belongs in a node script.
 */

const POSIX_ONLY: [RegExp, string][] = [
  [/;/, '";" between commands (cmd.exe does not split on it)'],
  [/\$\??\w*/, 'a shell variable or exit status ($VAR, $?)'],
  [/(^|&&\s*)test\s/, 'the test builtin'],
  [/(^|&&\s*)[A-Z_][A-Z0-9_]*=\S*\s/, 'an environment prefix (VAR=value cmd)'],
  [/(^|&&\s*)(rm|cp|mv|mkdir|cat|export|true|false)\s/, 'a Unix command'],
  [/'/, 'single quotes (cmd.exe keeps them as part of the argument)'],
  [/\|\||\|(?!\|)/, 'a pipe or ||'],
];

test('every npm script runs the same under cmd.exe and a POSIX shell', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const breaches: string[] = [];
  for (const [name, script] of Object.entries(pkg.scripts)) {
    for (const [pattern, what] of POSIX_ONLY) if (pattern.test(script)) breaches.push(`${name}: ${what} in "${script}"`);
  }
  expect(breaches).toEqual([]);
});

test('the check catches the shell syntax it is meant to', () => {
  const caught = (script: string): boolean => POSIX_ONLY.some(([p]) => p.test(script));
  expect(caught('npm run samples && node bin/kiemky.js check x; test $? -le 1')).toBe(true);
  expect(caught('NODE_ENV=production node dist/x.js')).toBe(true);
  expect(caught('npm run build && rm -rf dist')).toBe(true);
  expect(caught('npm run build && node --max-old-space-size=6000 dist/bench/run.js')).toBe(false);
});
