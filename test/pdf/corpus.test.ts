import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentError } from '../../worker/errors';
import { openFileSource } from '../../worker/source';
import { analyzePdf } from '../../worker/pdf';
import { sharedAvailable, sharedPath } from '../helpers/shared';

const CORPUS = sharedPath('corpus');
const FEATURES = path.join(CORPUS, 'features.tsv');
const available = sharedAvailable('PDF-layer tests on the shared corpus', 'corpus', 'features.tsv');

/**
 * Rows of features.tsv that are not document signatures in the sense of the PDF layer, with the reason. Every
 * other difference between features.tsv and what we read fails the test.
 */
const EXPLAINED: Record<string, string> = {
  'dss__malformed-pades.pdf': 'no %PDF- header (the file starts with junk): NOT_PDF by definition',
  'dss__pades-signed-filled-form.pdf': 'the first row is a /Perms /UR3 usage-rights signature',
  'dss__pades-spoofing-replaced-reason.pdf': 'one dictionary (object 42) written twice; counted once',
  'itext__lockedSignatureFieldModified.pdf': 'one dictionary (object 16) written twice; counted once',
  'itext__siwa.pdf': 'signature wrapping: a second, unreferenced copy of object 10 with another range; only the xref one counts',
  'itext__signatureInTextTypeField.pdf': 'the signature sits in a /FT /Tx field: not a signature field',
  'itext__thirdPartyMacProtectedAndSignedDocument.pdf': 'the first row is the trailer /AuthCode MAC, not a signature',
  'pdfjs__160F-2019.pdf': '/Perms /UR3 usage-rights signature',
  'pdfjs__issue6127.pdf': '/Perms /UR3 usage-rights signature',
  'pdfjs__prefilled_f1040.pdf': '/Perms /UR3 usage-rights signature',
  'pyhanko__one-byterange.pdf': 'the /ByteRange has two numbers; features.tsv leaves it empty, we report it as written',
};

function expectedRanges(): Map<string, string[]> {
  const lines = fs.readFileSync(FEATURES, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0].split('\t');
  const fileCol = header.indexOf('file');
  const brCol = header.indexOf('byterange');
  const out = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const cols = line.split('\t');
    const list = out.get(cols[fileCol]) ?? [];
    list.push(cols[brCol] ?? '');
    out.set(cols[fileCol], list);
  }
  return out;
}

(available ? describe : describe.skip)(`corpus at ${CORPUS}`, () => {
  it('every file parses or is refused with a DocumentError, and byte ranges match features.tsv', () => {
    const expected = expectedRanges();
    const files = fs.readdirSync(CORPUS).filter((f) => f.toLowerCase().endsWith('.pdf')).sort();
    const mismatches: string[] = [];
    const refused: string[] = [];
    const started = process.hrtime.bigint();
    for (const file of files) {
      const source = openFileSource(path.join(CORPUS, file));
      let got: string[] = [];
      try {
        const { structure } = analyzePdf(source);
        got = structure.signatures.map((s) => (s.byteRange === null ? '' : s.byteRange.join(' ')));
      } catch (e) {
        if (!(e instanceof DocumentError)) throw new Error(`${file}: ${(e as Error).stack}`);
        refused.push(`${file}: ${e.code}`);
      } finally {
        source.close?.();
      }
      const want = [...(expected.get(file) ?? [])].sort();
      const have = [...got].sort();
      if (JSON.stringify(want) !== JSON.stringify(have) && EXPLAINED[file] === undefined) {
        mismatches.push(`${file}: features.tsv ${JSON.stringify(want)} vs ${JSON.stringify(have)}`);
      }
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // eslint-disable-next-line no-console
    console.log(`corpus: ${files.length} files in ${ms.toFixed(0)} ms (${(files.length / (ms / 1000)).toFixed(0)} files/s); refused: ${refused.join(', ') || 'none'}`);
    expect(mismatches).toEqual([]);
  });
});

if (!available) {
  test.skip(`corpus test skipped: ${FEATURES} does not exist on this machine`, () => undefined);
}
