import type { BatchReport } from '../../worker/report';
import { t, type Lang } from '../messages';
import { findingMessages, providerNames, signerNames, unitLabel, verdictText, yesNo } from './describe';

/**
 * One row per document. UTF-8 with a BOM and CRLF: without the BOM, Excel on a Vietnamese Windows reads the
 * file as Windows-1258 and the diacritics come out garbled.
 */

function quote(value: string): string {
  return /[",;\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function formatCsv(report: BatchReport, lang: Lang): string {
  const header = [
    t(lang, 'colFile'),
    t(lang, 'colUnit'),
    t(lang, 'colNumber'),
    t(lang, 'colVerdict'),
    t(lang, 'colSigned'),
    t(lang, 'colTwoLayer'),
    t(lang, 'colGovernmentCa'),
    t(lang, 'colIntact'),
    t(lang, 'colCertificatesValid'),
    t(lang, 'colStrongAlgorithms'),
    t(lang, 'colProviders'),
    t(lang, 'colPersonalSigner'),
    t(lang, 'colOrganizationSigner'),
    t(lang, 'colReasons'),
  ];
  const lines = [header.map(quote).join(',')];
  for (const doc of report.documents) {
    const c = doc.checks;
    const row = [
      doc.file,
      unitLabel(doc.unit, lang),
      doc.register?.number ?? '',
      verdictText(doc, lang),
      yesNo(c.signed, lang),
      yesNo(c.twoLayer, lang),
      yesNo(c.governmentCa, lang),
      yesNo(c.intact, lang),
      yesNo(c.certificatesValid, lang),
      yesNo(c.strongAlgorithms, lang),
      providerNames(doc),
      signerNames(doc, 'personal'),
      signerNames(doc, 'organization'),
      findingMessages(doc, lang),
    ];
    lines.push(row.map(quote).join(','));
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
