import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { countBothValid, runPdfsig } from '../../bench/pdfsig';
import { makeBenchCorpus } from '../../samples/month';

/**
 * The bench's yardstick must count only what pdfsig really called valid: a harness that miscounted would let the
 * bench report a ratio over files pdfsig rejected, or fail for no reason.
 */

const block = (file: string, verdicts: string[]): string =>
  `Digital Signature Info of: ${file}\n` +
  verdicts.map((v, i) => `Signature #${i + 1}:\n  - Signer Certificate Common Name: X\n  - ${v}\n`).join('');

describe('countBothValid', () => {
  it('counts a file only when both of its signatures are valid', () => {
    const output =
      block('a.pdf', ['Signature Validation: Signature is Valid.', 'Signature Validation: Signature is Valid.']) +
      block('b.pdf', ['Signature Validation: Digest Mismatch.', 'Signature Validation: Signature is Valid.']) +
      block('c.pdf', ['Signature Validation: Signature is Valid.']);
    expect(countBothValid(output, 3)).toBe(1);
  });

  it('does not count two files whose outputs ran together as one valid file each', () => {
    // Interleaved output would put one file's lines in another's block: neither block then has exactly two.
    const merged = `${block('a.pdf', ['Signature is Valid.', 'Signature is Valid.', 'Signature is Valid.'])}${block('b.pdf', ['Signature is Valid.'])}`;
    expect(countBothValid(merged, 2)).toBe(0);
  });

  it('counts no text before the first header, and never more files than it was given', () => {
    const twice = ['Signature is Valid.', 'Signature is Valid.'];
    const output = `Signature is Valid.\nSignature is Valid.\n${block('a.pdf', twice)}${block('b.pdf', twice)}`;
    expect(countBothValid(output, 3)).toBe(2);
    expect(countBothValid(output, 1)).toBe(1);
  });
});

const hasPdfsig = spawnSync('pdfsig', ['-v']).error === undefined;
if (!hasPdfsig) console.warn('runPdfsig test skipped: pdfsig (poppler-utils) is not installed');

(hasPdfsig ? describe : describe.skip)('runPdfsig (real pdfsig through xargs)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-pdfsig-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('counts the intact two-layer documents and not the one altered inside its signed bytes', async () => {
    const files = makeBenchCorpus(dir, 5, 3);
    const bytes = fs.readFileSync(files[2]!);
    // A byte of the original content, well inside both signatures' first range.
    const at = bytes.indexOf('stream\n') + 20;
    bytes[at] = bytes[at]! ^ 0x01;
    fs.writeFileSync(files[2]!, bytes);
    const run = await runPdfsig(files, 2, process.env);
    expect(run.docs).toBe(5);
    expect(run.bothValid).toBe(4);
  });
});
