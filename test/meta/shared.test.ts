import * as path from 'node:path';
import { REPO_ROOT, SHARED_DIR, sharedAvailable } from '../helpers/shared';

/** Tests that read ../shared find it from the repository root, and under CI its absence fails instead of skipping. */

const saved = process.env.CI;
afterEach(() => {
  if (saved === undefined) delete process.env.CI;
  else process.env.CI = saved;
});

test('../shared is looked for beside the repository root, wherever the clone is', () => {
  expect(REPO_ROOT).toBe(path.resolve(__dirname, '..', '..'));
  expect(SHARED_DIR).toBe(path.join(path.dirname(REPO_ROOT), 'shared'));
});

test('a missing shared file skips outside CI, saying so', () => {
  delete process.env.CI;
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    expect(sharedAvailable('a check', 'no-such-folder', 'x.tsv')).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('SKIPPED: a check'));
  } finally {
    warn.mockRestore();
  }
});

test('under CI a missing shared file is a failure, not a skip', () => {
  process.env.CI = 'true';
  expect(() => sharedAvailable('a check', 'no-such-folder', 'x.tsv')).toThrow(/missing under CI/);
});
