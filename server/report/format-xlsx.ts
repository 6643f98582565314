import { Writable } from 'node:stream';
import { loadExcel } from '../shared/excel';
import { TempDir } from '../shared/temp';
import type { BatchReport, DocumentReport, Finding, SignatureReport, UnitSummary } from '../../worker/report';
import { findingRemedyText, findingText, t, type Lang, type TextKey } from '../shared/messages';
import { findingMessages, findingRemedies, providerNames, signerNames, unitLabel, verdictText, yesNo } from './describe';
import { defineFormat, type BinaryReportWriter } from './format';
import { whileOpen } from './output';
import { RowSpool, type Cell } from './row-spool';
import { writeSheet, type Column } from './xlsx-sheet';
import { providerName, type BatchSummary } from './summary';

/**
 * The workbook an inspector attaches to the inspection report: the unit summary (units × CA providers), then the
 * documents, the signatures and the findings to drill down. Percentages, counts and dates are typed cells
 * (xlsx-cells.ts), so Excel can sort and chart them; every sheet prints A4 landscape one page wide, the unit
 * summary on one page (xlsx-sheet.ts).
 *
 * A province's month does not fit in exceljs's in-memory workbook (about 60 KB a document: 10,000 documents took
 * 619 MB), and its sheets must be written one after the other, the unit summary, known only at the end, first.
 * So each document's rows go to spool files as it comes, and the workbook is streamed sheet by sheet at the end:
 * the memory it takes does not grow with the batch.
 */

function unitColumns(providers: string[], lang: Lang): Column[] {
  const count = (key: TextKey): Column => ({ header: t(lang, key), width: 9, kind: 'count' });
  const percent = (key: TextKey): Column => ({ header: `% ${t(lang, key)}`, width: 9, kind: 'percent' });
  return [
    { header: t(lang, 'colUnit'), width: 36 },
    count('colDocuments'),
    count('colSigned'),
    percent('colSigned'),
    count('colTwoLayer'),
    percent('colTwoLayer'),
    count('colGovernmentCa'),
    percent('colGovernmentCa'),
    count('colCompliant'),
    percent('colCompliant'),
    count('colErrors'),
    ...providers.map((p): Column => ({ header: p, width: 9, kind: 'count' })),
  ];
}

function unitRow(u: UnitSummary, label: string, providers: string[]): Cell[] {
  return [
    label,
    u.documents,
    u.signed,
    u.signedPct,
    u.twoLayer,
    u.twoLayerPct,
    u.governmentCa,
    u.governmentCaPct,
    u.compliant,
    u.compliantPct,
    u.errors ?? 0,
    ...providers.map((p) => u.providers[p] ?? 0),
  ];
}

function documentColumns(lang: Lang): Column[] {
  return [
    { header: t(lang, 'colFile'), width: 40 },
    { header: t(lang, 'colUnit'), width: 30 },
    { header: t(lang, 'colNumber'), width: 18 },
    { header: t(lang, 'colDate'), width: 12, kind: 'date' },
    { header: t(lang, 'colSummary'), width: 40 },
    { header: t(lang, 'colVerdict'), width: 12, kind: 'verdict' },
    { header: t(lang, 'colSigned'), width: 8 },
    { header: t(lang, 'colTwoLayer'), width: 8 },
    { header: t(lang, 'colGovernmentCa'), width: 12 },
    { header: t(lang, 'colIntact'), width: 10 },
    { header: t(lang, 'colCertificatesValid'), width: 14 },
    { header: t(lang, 'colStrongAlgorithms'), width: 14 },
    { header: t(lang, 'colProviders'), width: 20 },
    { header: t(lang, 'colPersonalSigner'), width: 24 },
    { header: t(lang, 'colOrganizationSigner'), width: 30 },
    { header: t(lang, 'colReasons'), width: 60 },
    { header: t(lang, 'colRemedies'), width: 60 },
    { header: t(lang, 'colSha256'), width: 20 },
    { header: t(lang, 'colSize'), width: 14, kind: 'count' },
  ];
}

/** Nothing to list is a blank cell (Excel's "(Blanks)" filter), not a cell holding empty text. */
function orBlank(text: string): string | null {
  return text === '' ? null : text;
}

function documentRow(d: DocumentReport, lang: Lang): Cell[] {
  return [
    d.file,
    unitLabel(d.unit, lang),
    d.register?.number ?? null,
    d.register?.date ?? null,
    d.register?.summary ?? null,
    verdictText(d, lang),
    yesNo(d.checks.signed, lang),
    yesNo(d.checks.twoLayer, lang),
    yesNo(d.checks.governmentCa, lang),
    yesNo(d.checks.intact, lang),
    yesNo(d.checks.certificatesValid, lang),
    yesNo(d.checks.strongAlgorithms, lang),
    orBlank(providerNames(d)),
    orBlank(signerNames(d, 'personal')),
    orBlank(signerNames(d, 'organization')),
    orBlank(findingMessages(d, lang)),
    orBlank(findingRemedies(d, lang)),
    d.sha256,
    d.size,
  ];
}

function signatureColumns(lang: Lang): Column[] {
  return [
    { header: t(lang, 'colFile'), width: 40 },
    { header: t(lang, 'colIndex'), width: 10, kind: 'count' },
    { header: t(lang, 'colField'), width: 16 },
    { header: t(lang, 'colSigningTime'), width: 17, kind: 'dateTime' },
    { header: t(lang, 'colKind'), width: 14 },
    { header: t(lang, 'colSigner'), width: 30 },
    { header: t(lang, 'colOrganization'), width: 30 },
    { header: t(lang, 'colSerial'), width: 24 },
    { header: t(lang, 'colIssuer'), width: 30 },
    { header: t(lang, 'colCategory'), width: 12 },
    { header: t(lang, 'colProvider'), width: 20 },
    { header: t(lang, 'colIntegrity'), width: 12 },
    { header: t(lang, 'colCertificate'), width: 14 },
    { header: t(lang, 'colDigest'), width: 12 },
  ];
}

function signatureRow(d: DocumentReport, s: SignatureReport, lang: Lang): Cell[] {
  return [
    d.file,
    s.index,
    s.field,
    s.signingTime,
    s.signer ? t(lang, `kind_${s.signer.kind}`) : null,
    s.signer?.commonName ?? null,
    s.signer?.organization ?? null,
    s.signer?.serialNumber ?? null,
    s.signer?.issuer ?? null,
    t(lang, `category_${s.ca.category}`),
    providerName(s),
    t(lang, `status_${s.integrity}`),
    t(lang, `status_${s.certificate}`),
    s.digestAlgorithm,
  ];
}

function findingColumns(lang: Lang): Column[] {
  return [
    { header: t(lang, 'colFile'), width: 40 },
    { header: t(lang, 'colSignature'), width: 10, kind: 'count' },
    { header: t(lang, 'colCode'), width: 28 },
    { header: t(lang, 'colSeverity'), width: 10 },
    { header: t(lang, 'colMessage'), width: 80 },
    { header: t(lang, 'colRemedies'), width: 60 },
    { header: t(lang, 'colDetail'), width: 40 },
  ];
}

function findingRow(file: string, f: Finding, lang: Lang): Cell[] {
  return [file, f.signature ?? null, f.code, t(lang, `severity_${f.severity}`), findingText(f, lang), findingRemedyText(f, lang), f.detail ?? null];
}

/**
 * Takes the documents one at a time, in report order, and writes the workbook once the unit summary and the
 * batch's own findings are known. Its spool files are removed by `end`, or by `dispose` when the batch is given up.
 */
export class XlsxReportWriter implements BinaryReportWriter {
  private readonly temp: TempDir;
  private readonly documents: RowSpool;
  private readonly signatures: RowSpool;
  private readonly findings: RowSpool;

  /** `tempRoot`: where the spool files go (default: the system's temporary folder). */
  constructor(
    private readonly lang: Lang,
    private readonly generatedAt: Date,
    tempRoot?: string,
  ) {
    this.temp = new TempDir(tempRoot);
    this.documents = new RowSpool(this.temp, '.documents.jsonl');
    this.signatures = new RowSpool(this.temp, '.signatures.jsonl');
    this.findings = new RowSpool(this.temp, '.findings.jsonl');
  }

  document(d: DocumentReport): void {
    this.documents.push(documentRow(d, this.lang));
    for (const s of d.signatures) this.signatures.push(signatureRow(d, s, this.lang));
    for (const f of d.findings) this.findings.push(findingRow(d.file, f, this.lang));
  }

  /**
   * Streams the workbook to `out` and ends it; resolves once `out` has taken all of it, rejects with `out`'s error
   * should it fail (a disk full, an unwritable path) or close first (a client gone). exceljs would otherwise wait
   * for the end of a stream that has stopped, and with nothing else left to run the program would exit as if done.
   */
  async end(summary: BatchSummary, batchFindings: Finding[], out: Writable): Promise<void> {
    try {
      await whileOpen(out, 'the workbook', () => this.write(summary, batchFindings, out));
    } finally {
      this.dispose();
    }
  }

  private async write(summary: BatchSummary, batchFindings: Finding[], out: Writable): Promise<void> {
    const lang = this.lang;
    // A spool that cannot be written fails here, before the output has a byte of a workbook it could not finish.
    for (const spool of [this.documents, this.signatures, this.findings]) spool.seal();
    const { WorkbookWriter } = loadExcel().stream.xlsx;
    const workbook = new WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    workbook.creator = 'kiemky';
    workbook.created = this.generatedAt;
    const providers = Object.keys(summary.totals.providers).sort((a, b) => a.localeCompare(b, 'vi'));
    const units = summary.units.map((u) => unitRow(u, unitLabel(u.unit, lang), providers));
    units.push(unitRow(summary.totals, t(lang, 'totalRow'), providers));
    await writeSheet(workbook, out, t(lang, 'sheetUnits'), unitColumns(providers, lang), units, { lang, boldLast: true, onePage: true });
    await writeSheet(workbook, out, t(lang, 'sheetDocuments'), documentColumns(lang), this.documents.rows(), { lang });
    await writeSheet(workbook, out, t(lang, 'sheetSignatures'), signatureColumns(lang), this.signatures.rows(), { lang });
    // The batch's own findings (a refused ZIP entry, a register row without its PDF) come first.
    const batchRows = batchFindings.map((f) => findingRow(t(lang, 'batchLevel'), f, lang));
    await writeSheet(workbook, out, t(lang, 'sheetFindings'), findingColumns(lang), concat(batchRows, this.findings.rows()), { lang });
    await workbook.commit();
  }

  dispose(): void {
    this.documents.close();
    this.signatures.close();
    this.findings.close();
    this.temp.remove();
  }
}

async function* concat<T>(first: Iterable<T>, then: AsyncIterable<T>): AsyncGenerator<T> {
  yield* first;
  yield* then;
}

/** The whole workbook of a report already made, in memory (the tests, and small reports). */
export async function formatXlsx(report: BatchReport, lang: Lang): Promise<Buffer> {
  const writer = new XlsxReportWriter(lang, new Date(report.generatedAt));
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  try {
    for (const d of report.documents) writer.document(d);
  } catch (err) {
    writer.dispose();
    throw err;
  }
  await writer.end({ units: report.units, totals: report.totals }, report.findings ?? [], out);
  return Buffer.concat(chunks);
}

/** The inspector's workbook: binary, so never written to a terminal. */
export const XLSX_FORMAT = defineFormat({
  name: 'xlsx',
  help: {
    vi: 'bảng tính: tổng hợp đơn vị × nhà cung cấp CA, văn bản, chữ ký, phát hiện',
    en: 'a workbook: units × CA providers, documents, signatures, findings',
  },
  contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  extension: 'xlsx',
  toTerminal: false,
  incremental: false,
  api: true,
  download: true,
  writer: { kind: 'binary', open: (o) => new XlsxReportWriter(o.lang, o.generatedAt, o.tmpRoot) },
});
