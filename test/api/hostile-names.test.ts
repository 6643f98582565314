import * as fs from 'node:fs';
import request from 'supertest';
import { createApp } from '../../server/api/app';
import { FileBlobStore } from '../../server/store/blobs';
import { parseCsv } from '../../server/register/csv';
import { FakeQueue, FakeStore, tempDir, testConfig } from './helpers/fakes';

/**
 * Text from uploads is shown, never obeyed, through the API: files uploaded under names that would be formulas, with a
 * register whose cells are too, come out of `?format=csv` as text — each such cell begins with an apostrophe — and
 * Vietnamese names as they were.
 */

const ADMIN = 'Bearer kk_admin-from-env';
const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const pdf = (text: string): Buffer => Buffer.from(`%PDF-1.7\n% ${text}\n%%EOF\n`);

test('?format=csv: file names and register cells that would start a formula are neutralized', async () => {
  const store = new FakeStore();
  const app = createApp({ cfg: testConfig(dir), store, blobs: new FileBlobStore(dir), queue: new FakeQueue(), log: () => undefined });
  // A tab or CR in an uploaded file name is refused (400 BAD_FILE_NAME, test/api/hostile-multipart.test.ts); names from
  // a folder or a ZIP can hold one, and the CLI's tests show those neutralized too.
  const names = ['=HYPERLINK("http:evil.example";"bấm").pdf', '@SUM(A1).pdf', '-1+2.pdf', '+1.pdf', 'Công văn số 12.pdf'];
  const register =
    '\ufeffTên tệp,Số ký hiệu,Ngày ban hành,Trích yếu,Người ký,Đơn vị ban hành\r\n' +
    'Công văn số 12.pdf,12/UBND-VP,02/11/2026,V/v ký số,Nguyễn Văn A,@SUM(A1)\r\n' +
    '+1.pdf,13/UBND-VP,02/11/2026,V/v khác,Nguyễn Văn B,"=1+1"\r\n' +
    '-1+2.pdf,14/UBND-VP,02/11/2026,V/v khác,Nguyễn Văn C,-2+3\r\n';
  let upload = request(app).post('/api/batches').set('Authorization', ADMIN);
  names.forEach((name, i) => (upload = upload.attach('files', pdf(`${i}`), name)));
  const res = await upload.attach('register', Buffer.from(register, 'utf8'), 'so-dang-ky.csv');
  expect(res.status).toBe(202);
  const id = res.body.id as string;
  const batch = store.batches.get(id);
  expect(batch?.items.map((i) => i.file).sort()).toEqual([...names].sort());
  for (const item of batch?.items ?? []) store.setReport(item.sha256, 'Phòng Tư pháp', item.file);

  const csv = await request(app).get(`/api/batches/${id}/report?format=csv`).set('Authorization', ADMIN);
  expect(csv.status).toBe(200);
  expect(csv.text.replace(/\r\n/g, '')).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  const rows = parseCsv(csv.text.replace(/^\ufeff/, ''), ';').filter((r) => r.length > 1).slice(1);
  for (const cell of rows.flat()) expect(cell).not.toMatch(/^\s*[=+\-@\t\r]/);
  const units = Object.fromEntries(rows.map((r) => [r[0], r[1]]));
  expect(units).toEqual({
    [`'=HYPERLINK("http:evil.example";"bấm").pdf`]: 'Phòng Tư pháp',
    "'@SUM(A1).pdf": 'Phòng Tư pháp',
    "'-1+2.pdf": "'-2+3",
    "'+1.pdf": "'=1+1",
    'Công văn số 12.pdf': "'@SUM(A1)",
  });
});
