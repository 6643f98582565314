import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collectInputs } from '../../server/ingest/collect';
import { InputError, type InputPlan } from '../../server/ingest/types';
import { ZIP_LIMITS } from '../../server/ingest/zip';
import { buildZip } from './helpers/zip-writer';
import * as crypto from 'node:crypto';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-inputs-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const pdf = (name: string): string => `%PDF-1.7 ${name}`;

function archive(): string {
  const inner = buildZip([
    { name: 'c.pdf', data: pdf('c') },
    { name: 'deeper.zip', data: buildZip([{ name: 'd.pdf', data: pdf('d') }]) },
  ]);
  const outer = buildZip([
    { name: 'a.pdf', data: pdf('a') },
    { name: 'sub/', data: '' },
    { name: 'sub/B.PDF', data: pdf('b') },
    { name: 'notes.txt', data: 'not a pdf' },
    { name: '../evil.pdf', data: pdf('evil') },
    { name: '/abs.pdf', data: pdf('abs') },
    { name: 'inner.zip', data: inner },
  ]);
  const file = path.join(dir, 'thang-11.zip');
  fs.writeFileSync(file, outer);
  return file;
}

async function loadAll(plan: InputPlan): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const item of plan.items) {
    const loaded = await item.load();
    const job = loaded.job;
    out[item.name] = 'data' in job ? job.data.toString() : fs.readFileSync(job.path, 'utf8');
    if ('data' in job) expect(job.sha256).toBe(crypto.createHash('sha256').update(job.data).digest('hex'));
    loaded.dispose();
  }
  return out;
}

describe('ZIP input', () => {
  test('PDFs at any depth, one nested archive level, unsafe paths reported not extracted', async () => {
    const file = archive();
    const plan = await collectInputs([file]);
    try {
      const contents = await loadAll(plan);
      expect(contents).toEqual({
        [`${file}/a.pdf`]: pdf('a'),
        [`${file}/sub/B.PDF`]: pdf('b'),
        [`${file}/inner.zip/c.pdf`]: pdf('c'),
      });
      const codes = plan.findings.map((f) => f.code).sort();
      expect(codes).toEqual(['ZIP_NESTED_TOO_DEEP', 'ZIP_UNSAFE_PATH', 'ZIP_UNSAFE_PATH']);
      const unsafe = plan.findings.filter((f) => f.code === 'ZIP_UNSAFE_PATH');
      expect(unsafe.map((f) => f.message).join(' ')).toContain('../evil.pdf');
      expect(unsafe.every((f) => f.severity === 'warning' && f.signature === null && f.messageEn)).toBe(true);
    } finally {
      await plan.close();
    }
    expect(fs.existsSync(path.join(dir, 'evil.pdf'))).toBe(false);
    expect(fs.existsSync(path.join(path.dirname(dir), 'evil.pdf'))).toBe(false);
  });

  test('entry count and size limits stop the listing with an error finding', async () => {
    const file = archive();
    const few = await collectInputs([file], { ...ZIP_LIMITS, maxEntries: 2 });
    await few.close();
    expect(few.items.map((i) => path.basename(i.name))).toEqual(['a.pdf']);
    expect(few.findings.map((f) => [f.code, f.severity])).toContainEqual(['ZIP_TOO_MANY_ENTRIES', 'error']);

    const small = await collectInputs([file], { ...ZIP_LIMITS, maxTotalBytes: 15 });
    await small.close();
    expect(small.items).toHaveLength(1);
    expect(small.findings.map((f) => f.code)).toContain('ZIP_TOO_LARGE');
  });

  test('large entries go through a temporary file that is removed afterwards', async () => {
    const plan = await collectInputs([archive()], { ...ZIP_LIMITS, maxInMemoryBytes: 4 });
    try {
      const loaded = await plan.items[0].load();
      expect('path' in loaded.job).toBe(true);
      const tmp = 'path' in loaded.job ? loaded.job.path : '';
      expect(fs.readFileSync(tmp, 'utf8')).toBe(pdf('a'));
      loaded.dispose();
      expect(fs.existsSync(tmp)).toBe(false);
    } finally {
      await plan.close();
    }
  });

  test('an unreadable archive is a batch error finding', async () => {
    const bad = path.join(dir, 'bad.zip');
    fs.writeFileSync(bad, 'this is not a zip');
    const plan = await collectInputs([bad]);
    await plan.close();
    expect(plan.items).toEqual([]);
    expect(plan.findings).toMatchObject([{ code: 'ZIP_UNREADABLE', severity: 'error' }]);
  });
});

describe('folders and files', () => {
  test('folders walked for *.pdf in any case; explicit non-PDF files kept', async () => {
    const root = path.join(dir, 'export');
    fs.mkdirSync(path.join(root, 'phong-tu-phap'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a.pdf'), pdf('a'));
    fs.writeFileSync(path.join(root, 'phong-tu-phap', 'B.PDF'), pdf('b'));
    fs.writeFileSync(path.join(root, 'index.html'), 'x');
    const explicit = path.join(dir, 'to-trinh.docx');
    fs.writeFileSync(explicit, 'docx');
    const plan = await collectInputs([root, explicit]);
    await plan.close();
    expect(plan.items.map((i) => i.name).sort()).toEqual([path.join(root, 'a.pdf'), path.join(root, 'phong-tu-phap', 'B.PDF'), explicit].sort());
  });

  test('a missing input is an input error', async () => {
    await expect(collectInputs([path.join(dir, 'nope.pdf')])).rejects.toBeInstanceOf(InputError);
  });
});
