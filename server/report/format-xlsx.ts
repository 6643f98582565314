import type * as ExcelJS from 'exceljs';
import { loadExcel } from '../excel';
import type { BatchReport, UnitSummary } from '../../worker/report';
import { findingText, t, type Lang, type TextKey } from '../messages';
import { findingMessages, providerNames, signerNames, unitLabel, verdictText, yesNo } from './describe';
import { providerName } from './summary';

/**
 * The workbook an inspector attaches to the inspection report: the unit summary (units × CA providers), then the
 * documents, the signatures and the findings to drill down. Percentages are numbers, so Excel can sort and chart.
 */

type Value = string | number | null;
interface Column {
  header: string;
  width: number;
  numFmt?: string;
}

function addSheet(workbook: ExcelJS.Workbook, name: string, columns: Column[], rows: Value[][]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  for (const row of rows) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return sheet;
}

function unitSheet(workbook: ExcelJS.Workbook, report: BatchReport, lang: Lang): void {
  const providers = Object.keys(report.totals.providers).sort((a, b) => a.localeCompare(b, 'vi'));
  const count = (key: TextKey): Column => ({ header: t(lang, key), width: 12 });
  const percent = (key: TextKey): Column => ({ header: `% ${t(lang, key)}`, width: 12, numFmt: '0.0' });
  const columns: Column[] = [
    { header: t(lang, 'colUnit'), width: 40 },
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
    ...providers.map((p) => ({ header: p, width: 16 })),
  ];
  const row = (u: UnitSummary, label: string): Value[] => [
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
  const rows = report.units.map((u) => row(u, unitLabel(u.unit, lang)));
  rows.push(row(report.totals, t(lang, 'totalRow')));
  const sheet = addSheet(workbook, t(lang, 'sheetUnits'), columns, rows);
  sheet.getRow(rows.length + 1).font = { bold: true };
}

function documentSheet(workbook: ExcelJS.Workbook, report: BatchReport, lang: Lang): void {
  const columns: Column[] = [
    { header: t(lang, 'colFile'), width: 40 },
    { header: t(lang, 'colUnit'), width: 30 },
    { header: t(lang, 'colNumber'), width: 18 },
    { header: t(lang, 'colDate'), width: 12 },
    { header: t(lang, 'colSummary'), width: 40 },
    { header: t(lang, 'colVerdict'), width: 12 },
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
    { header: t(lang, 'colSha256'), width: 20 },
    { header: t(lang, 'colSize'), width: 14 },
  ];
  const rows = report.documents.map((d): Value[] => [
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
    providerNames(d),
    signerNames(d, 'personal'),
    signerNames(d, 'organization'),
    findingMessages(d, lang),
    d.sha256,
    d.size,
  ]);
  addSheet(workbook, t(lang, 'sheetDocuments'), columns, rows);
}

function signatureSheet(workbook: ExcelJS.Workbook, report: BatchReport, lang: Lang): void {
  const columns: Column[] = [
    { header: t(lang, 'colFile'), width: 40 },
    { header: t(lang, 'colIndex'), width: 10 },
    { header: t(lang, 'colField'), width: 16 },
    { header: t(lang, 'colSigningTime'), width: 22 },
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
  const rows = report.documents.flatMap((d) =>
    d.signatures.map((s): Value[] => [
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
    ]),
  );
  addSheet(workbook, t(lang, 'sheetSignatures'), columns, rows);
}

function findingSheet(workbook: ExcelJS.Workbook, report: BatchReport, lang: Lang): void {
  const columns: Column[] = [
    { header: t(lang, 'colFile'), width: 40 },
    { header: t(lang, 'colSignature'), width: 10 },
    { header: t(lang, 'colCode'), width: 28 },
    { header: t(lang, 'colSeverity'), width: 10 },
    { header: t(lang, 'colMessage'), width: 100 },
  ];
  const rows: Value[][] = (report.findings ?? []).map((f) => [t(lang, 'batchLevel'), null, f.code, t(lang, `severity_${f.severity}`), findingText(f, lang)]);
  for (const d of report.documents) {
    for (const f of d.findings) rows.push([d.file, f.signature ?? null, f.code, t(lang, `severity_${f.severity}`), findingText(f, lang)]);
  }
  addSheet(workbook, t(lang, 'sheetFindings'), columns, rows);
}

export async function formatXlsx(report: BatchReport, lang: Lang): Promise<Buffer> {
  const workbook = new (loadExcel().Workbook)();
  workbook.creator = 'kiemky';
  workbook.created = new Date(report.generatedAt);
  unitSheet(workbook, report, lang);
  documentSheet(workbook, report, lang);
  signatureSheet(workbook, report, lang);
  findingSheet(workbook, report, lang);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
