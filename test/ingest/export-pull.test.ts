import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileBlobStore } from '../../server/store/blobs';
import { ExportPuller } from '../../server/ingest/export-pull';
import { buildZip } from '../server/helpers/zip-writer';
import { FakeQueue, FakeStore, tempDir, testConfig } from '../api/helpers/fakes';

/**
 * The E-office export pull: an export (folder or ZIP) is taken once it has stood still for two scans and has no
 * `.part`/`.lock` marker; claimExport makes it one batch even with two servers scanning the same folder.
 */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const REGISTER = '\ufeffTên tệp,Số ký hiệu,Ngày ban hành,Đơn vị ban hành\r\na.pdf,1/UBND,02/11/2026,Văn phòng\r\nthieu.pdf,2/UBND,03/11/2026,Văn phòng\r\n';

function setup(store = new FakeStore()): { puller: ExportPuller; store: FakeStore; queue: FakeQueue; exportDir: string; dataDir: string } {
  const root = tempDir('kiemky-export-');
  dirs.push(root);
  const exportDir = path.join(root, 'export');
  fs.mkdirSync(exportDir);
  const dataDir = path.join(root, 'data');
  const cfg = testConfig(dataDir, { exportDir });
  const queue = new FakeQueue();
  return { puller: new ExportPuller({ cfg, store, blobs: new FileBlobStore(dataDir), queue, log: () => undefined }), store, queue, exportDir, dataDir };
}

function writeFolder(dir: string): void {
  fs.mkdirSync(path.join(dir, 'phu-luc'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'a.pdf'), '%PDF-1.7 a');
  fs.writeFileSync(path.join(dir, 'phu-luc', 'b.pdf'), '%PDF-1.7 b');
  fs.writeFileSync(path.join(dir, 'so-dang-ky.csv'), REGISTER);
}

test('a folder export is taken on the second scan that sees it unchanged, once, with its register', async () => {
  const { puller, store, queue, exportDir } = setup();
  writeFolder(path.join(exportDir, 'thang-11'));
  expect(await puller.scanOnce()).toEqual([]);
  const taken = await puller.scanOnce();
  expect(taken).toHaveLength(1);
  expect(await puller.scanOnce()).toEqual([]);
  expect(await puller.scanOnce()).toEqual([]);
  const batch = store.batches.get(taken[0])!;
  expect(batch.source).toBe('export:thang-11');
  expect(batch.items.map((i) => i.file).sort()).toEqual(['thang-11/a.pdf', 'thang-11/phu-luc/b.pdf']);
  expect(batch.hasRegister).toBe(true);
  expect(batch.items.find((i) => i.file === 'thang-11/a.pdf')?.register).toMatchObject({ number: '1/UBND', unit: 'Văn phòng' });
  expect(batch.findings.map((f) => f.code)).toEqual(['REGISTER_ROW_WITHOUT_PDF']);
  expect(queue.jobs).toHaveLength(2);
  // The export is read, never moved.
  expect(fs.readdirSync(path.join(exportDir, 'thang-11')).sort()).toEqual(['a.pdf', 'phu-luc', 'so-dang-ky.csv']);
});

test('a half-written export is not taken early: still growing, a .part file, a .lock', async () => {
  const { puller, store, exportDir } = setup();
  const dir = path.join(exportDir, 'thang-12');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'a.pdf'), '%PDF-1.7 a');
  await puller.scanOnce();
  fs.appendFileSync(path.join(dir, 'a.pdf'), ' more bytes');
  expect(await puller.scanOnce()).toEqual([]); // grew since the last scan
  fs.writeFileSync(path.join(dir, 'b.pdf.part'), 'half');
  expect(await puller.scanOnce()).toEqual([]);
  expect(await puller.scanOnce()).toEqual([]); // unchanged, but a .part is there
  fs.renameSync(path.join(dir, 'b.pdf.part'), path.join(dir, 'b.pdf'));
  fs.writeFileSync(path.join(exportDir, '.lock'), '');
  expect(await puller.scanOnce()).toEqual([]);
  expect(await puller.scanOnce()).toEqual([]); // the exporter's lock on the whole folder
  fs.rmSync(path.join(exportDir, '.lock'));
  expect(store.batches.size).toBe(0);
  const first = await puller.scanOnce();
  const taken = first.length ? first : await puller.scanOnce();
  expect(taken).toHaveLength(1);
  expect(store.batches.get(taken[0])!.items.map((i) => i.file).sort()).toEqual(['thang-12/a.pdf', 'thang-12/b.pdf']);
});

test('a ZIP export with its register inside; a ZIP still being copied (.part beside it) waits', async () => {
  const { puller, store, exportDir } = setup();
  const zip = buildZip([
    { name: 'thang-11/a.pdf', data: '%PDF-1.7 a' },
    { name: 'thang-11/so-dang-ky.csv', data: REGISTER },
    { name: '../evil.pdf', data: '%PDF evil' },
  ]);
  fs.writeFileSync(path.join(exportDir, 'thang-11.zip'), zip);
  fs.writeFileSync(path.join(exportDir, 'thang-11.zip.part'), '');
  await puller.scanOnce();
  expect(await puller.scanOnce()).toEqual([]);
  fs.rmSync(path.join(exportDir, 'thang-11.zip.part'));
  const taken = await puller.scanOnce();
  expect(taken).toHaveLength(1);
  const batch = store.batches.get(taken[0])!;
  expect(batch.items.map((i) => i.file)).toEqual(['thang-11.zip/thang-11/a.pdf']);
  expect(batch.items[0].register?.number).toBe('1/UBND');
  expect(batch.findings.map((f) => f.code).sort()).toEqual(['REGISTER_ROW_WITHOUT_PDF', 'ZIP_UNSAFE_PATH']);
  expect(await puller.scanOnce()).toEqual([]);
});

test('two servers scanning one EXPORT_DIR make one batch (claimExport)', async () => {
  const shared = new FakeStore();
  const one = setup(shared);
  writeFolder(path.join(one.exportDir, 'thang-11'));
  const other = new ExportPuller({ cfg: testConfig(one.dataDir, { exportDir: one.exportDir }), store: shared, blobs: new FileBlobStore(one.dataDir), queue: new FakeQueue(), log: () => undefined });
  await Promise.all([one.puller.scanOnce(), other.scanOnce()]);
  const [a, b] = await Promise.all([one.puller.scanOnce(), other.scanOnce()]);
  expect(a.length + b.length).toBe(1);
  expect(shared.batches.size).toBe(1);
});

test('an empty export folder is not taken until a PDF is in it', async () => {
  const { puller, store, exportDir } = setup();
  fs.mkdirSync(path.join(exportDir, 'trong'));
  await puller.scanOnce();
  await puller.scanOnce();
  expect(store.batches.size).toBe(0);
});
