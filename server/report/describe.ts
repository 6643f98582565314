import type { Checks, DocumentReport } from '../../worker/report';
import type { Finding, Severity } from '../../worker/report';
import { findingRemedyText, findingText, t, type Lang, type TextKey } from '../shared/messages';
import { providerName } from './summary';

/** Per-document wording shared by the table, CSV and XLSX outputs. */

const CHECK_ORDER: (keyof Checks)[] = ['signed', 'twoLayer', 'governmentCa', 'intact', 'certificatesValid', 'strongAlgorithms'];

export function failedChecks(doc: DocumentReport, lang: Lang): string[] {
  return CHECK_ORDER.filter((c) => !doc.checks[c]).map((c) => t(lang, `failed_${c}` as TextKey));
}

/** Messages are whole sentences; in a `; ` list their final full stops would read as ".;". */
export function joinMessages(messages: string[]): string {
  return messages.map((m) => m.replace(/\.\s*$/, '')).join('; ');
}

/** Why a document fails: its error findings, else (a core that gave none) the failed checks in words. */
export function reasons(doc: DocumentReport, lang: Lang): string {
  const errors = doc.findings.filter((f) => f.severity === 'error').map((f) => findingText(f, lang));
  return joinMessages(errors.length > 0 ? errors : failedChecks(doc, lang));
}

/**
 * What to do about the findings of the given severities, each remedy once (several integrity findings share one),
 * in the order the findings come.
 */
export function remedies(findings: readonly Finding[], lang: Lang, severities: readonly Severity[]): string {
  const seen = new Set<string>();
  for (const f of findings) {
    if (!severities.includes(f.severity)) continue;
    const remedy = findingRemedyText(f, lang);
    if (remedy) seen.add(remedy);
  }
  return joinMessages([...seen]);
}

/** What to do about the findings `findingMessages` lists. */
export function findingRemedies(doc: DocumentReport, lang: Lang): string {
  return remedies(doc.findings, lang, ['error', 'warning']);
}

/** Every finding worth a reader's time (info findings are detail for the drill-down). */
export function findingMessages(doc: DocumentReport, lang: Lang): string {
  return joinMessages(doc.findings.filter((f) => f.severity !== 'info').map((f) => findingText(f, lang)));
}

function unique(values: (string | null | undefined)[]): string {
  return [...new Set(values.filter((v): v is string => !!v))].join(', ');
}

export function signerNames(doc: DocumentReport, kind: 'personal' | 'organization'): string {
  return unique(doc.signatures.filter((s) => s.signer?.kind === kind).map((s) => s.signer?.commonName));
}

export function providerNames(doc: DocumentReport): string {
  return unique(doc.signatures.filter((s) => s.type !== 'document-timestamp').map(providerName));
}

export function verdictText(doc: DocumentReport, lang: Lang): string {
  return t(lang, `verdict_${doc.verdict}`);
}

/**
 * How a person names a document: its số ký hiệu when the register gave one, with the file it came as
 * ("123/QĐ-UBND (ten-tep.pdf)"), else the file.
 */
export function documentLabel(doc: DocumentReport): string {
  const number = doc.register?.number?.trim();
  return number ? `${number} (${doc.file})` : doc.file;
}

export function unitLabel(unit: string | null, lang: Lang): string {
  return unit ?? t(lang, 'unknownUnit');
}

export function yesNo(value: boolean, lang: Lang): string {
  return t(lang, value ? 'yes' : 'no');
}

/** A percentage with one decimal, as the reader's language writes it: Vietnamese with a decimal comma. */
export function percentText(value: number, lang: Lang): string {
  const text = (Math.round(value * 10) / 10).toFixed(1);
  return lang === 'vi' ? text.replace('.', ',') : text;
}
