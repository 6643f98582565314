import * as fs from 'node:fs';
import request from 'supertest';
import type express from 'express';
import { createApp } from '../../server/api/app';
import { openApiDocument } from '../../server/api/openapi';
import { parseArgs } from '../../server/cli/args';
import { run } from '../../server/cli/main';
import { defineFormat, type ReportFormat } from '../../server/report/format';
import { apiFormats, DEFAULT_API_FORMAT, DEFAULT_CLI_FORMAT, formatNames, REPORT_FORMATS } from '../../server/report/formats';
import { FileBlobStore } from '../../server/store/blobs';
import { FakeQueue, FakeStore, tempDir, testConfig } from '../api/helpers/fakes';
import { Capture } from './helpers/reports';

/**
 * The report formats are one list (report/formats.ts): `kiemky check --format` and its help, the API's `?format=`
 * and the OpenAPI description all read it. Shown twice: each of them lists exactly the registry's formats, and a
 * format added to the registry alone (here, at run time) is at once accepted by the CLI, served by the API with its
 * own content type and download name, and described in the OpenAPI document.
 */

const dir = tempDir('kiemky-formats-');
const store = new FakeStore();
const ADMIN = 'Bearer kk_admin-from-env';
const sha = 'c'.repeat(64);
let app: express.Application;

/** A format no file of the program knows: one line of text a document. */
const LINES = defineFormat({
  name: 'lines',
  help: { vi: 'mỗi văn bản một dòng tên tệp', en: 'one line a document, its file name' },
  contentType: 'text/plain; charset=utf-8',
  extension: 'txt',
  toTerminal: true,
  incremental: true,
  api: true,
  download: true,
  writer: { kind: 'text', open: () => ({ document: (doc) => [`${doc.file}\n`], end: (summary) => [`${summary.totals.documents}\n`] }) },
});

/** The registry as the program holds it, with `format` added for the length of `body`. */
async function withFormat(format: ReportFormat, body: () => Promise<void>): Promise<void> {
  const list = REPORT_FORMATS as unknown as ReportFormat[];
  list.push(format);
  try {
    await body();
  } finally {
    list.splice(list.indexOf(format), 1);
  }
}

beforeAll(() => {
  app = createApp({ cfg: testConfig(dir), store, blobs: new FileBlobStore(dir), queue: new FakeQueue(), log: () => undefined });
  store.setReport(sha, 'Văn phòng');
  store.batches.set('done-1', { id: 'done-1', source: 'upload', hasRegister: false, createdBy: null, findings: [], items: [{ file: 'a.pdf', sha256: sha, size: 1, register: null }] });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const get = (url: string): request.Test => request(app).get(url).set('Authorization', ADMIN);

function openApiFormats(): { names: unknown; fallback: unknown; media: string[] } {
  const doc = openApiDocument('0') as { paths: Record<string, { get: { parameters: { name: string; schema: { enum: unknown; default: unknown } }[]; responses: Record<string, { content: Record<string, unknown> }> } }> };
  const route = doc.paths['/api/batches/{id}/report']!.get;
  const param = route.parameters.find((p) => p.name === 'format')!;
  return { names: param.schema.enum, fallback: param.schema.default, media: Object.keys(route.responses['200']!.content) };
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A format's line under `--format` in the help: its name, then its help text. */
const helpLine = (f: ReportFormat, lang: 'vi' | 'en'): RegExp => new RegExp(`\\n +${f.name} +${escaped(f.help[lang])}\\n`);

async function helpText(lang: 'vi' | 'en'): Promise<string> {
  const stdout = new Capture();
  await run(['--help', '--lang', lang], { stdout, stderr: new Capture() });
  return stdout.text;
}

test('the CLI accepts exactly the registry’s formats, defaults to its default, and its help describes each', async () => {
  for (const name of formatNames()) expect(parseArgs(['check', 'a.pdf', '--format', name])).toMatchObject({ format: name });
  expect(parseArgs(['check', 'a.pdf'])).toMatchObject({ format: DEFAULT_CLI_FORMAT });
  const stderr = new Capture();
  expect(await run(['check', 'a.pdf', '--format', 'odt'], { stdout: new Capture(), stderr })).toBe(2);
  expect(stderr.text).toContain(`(chấp nhận: ${formatNames().join(', ')})`);
  const help = { vi: await helpText('vi'), en: await helpText('en') };
  for (const f of REPORT_FORMATS) for (const lang of ['vi', 'en'] as const) expect(help[lang]).toMatch(helpLine(f, lang));
});

test('the API serves exactly the registry’s API formats, each with its content type, and names them when refusing', async () => {
  expect(apiFormats().map((f) => f.name)).toEqual(REPORT_FORMATS.filter((f) => f.api).map((f) => f.name));
  for (const f of apiFormats()) {
    const res = await get(`/api/batches/done-1/report?format=${f.name}`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect({ format: f.name, status: res.status, type: res.headers['content-type'] }).toEqual({ format: f.name, status: 200, type: f.contentType });
    expect(res.headers['content-disposition']).toBe(f.download ? `attachment; filename=kiemky-done-1.${f.extension}` : undefined);
  }
  expect((await get('/api/batches/done-1/report')).headers['content-type']).toBe(apiFormats().find((f) => f.name === DEFAULT_API_FORMAT)!.contentType);
  const refused = await get('/api/batches/done-1/report?format=table');
  expect(refused.status).toBe(400);
  expect(refused.body.error.messageEn).toBe(`Invalid format: "table" (allowed: ${apiFormats().map((f) => f.name).join(', ')}).`);
});

test('the OpenAPI description lists the registry’s API formats: the parameter’s enum and default, one body each', () => {
  expect(openApiFormats()).toEqual({
    names: apiFormats().map((f) => f.name),
    fallback: DEFAULT_API_FORMAT,
    media: apiFormats().map((f) => f.contentType.split(';')[0]),
  });
});

test('a format added to the registry alone is accepted by the CLI, served by the API and described by the OpenAPI', async () => {
  await withFormat(LINES, async () => {
    expect(parseArgs(['check', 'a.pdf', '--format', 'lines'])).toMatchObject({ format: 'lines' });
    expect(await helpText('en')).toMatch(helpLine(LINES, 'en'));
    const res = await get('/api/batches/done-1/report?format=lines');
    expect({ status: res.status, type: res.headers['content-type'], file: res.headers['content-disposition'], text: res.text }).toEqual({
      status: 200,
      type: 'text/plain; charset=utf-8',
      file: 'attachment; filename=kiemky-done-1.txt',
      text: 'a.pdf\n1\n',
    });
    const described = openApiFormats();
    expect(described.names).toContain('lines');
    expect(described.media).toContain('text/plain');
  });
  expect(formatNames()).not.toContain('lines');
});
