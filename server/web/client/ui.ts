import { ApiFailure } from './api';
import { h, replace, type Child } from './dom';
import { pct, count } from './format';
import { lang, t, type TextKey } from './i18n';
import type { UnitSummary } from './types';

/** Pieces every page uses: the heading, labelled fields, the error summary, the unit summary table. */

export function heading(text: string): HTMLHeadingElement {
  document.title = `${text} — ${t('appName')}`;
  return h('h1', {}, text);
}

let fieldCount = 0;

/** A labelled field: label, optional hint, optional error, then the control (ids tie them together). */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLDivElement {
  fieldCount += 1;
  const id = control.id || `f${fieldCount}`;
  control.id = id;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), hintEl, control);
}

/** GOV.UK's summary list: a term and its value a line, '—' for a value not known. */
export function summaryList(rows: [TextKey, Child][]): HTMLDListElement {
  return h('dl', { class: 'summary-list' }, rows.map(([k, v]) => h('div', {}, h('dt', {}, t(k)), h('dd', {}, v === null || v === undefined || v === '' ? '—' : v))));
}

/** What to do about a finding, in the page's language, in small print under it; null for a report made before remedies were kept. */
export function remedyNote(f: { remedy?: string | null; remedyEn?: string | null }): HTMLElement | null {
  const remedy = lang() === 'en' ? f.remedyEn : f.remedy;
  return remedy ? h('small', { class: 'remedy' }, `→ ${remedy}`) : null;
}

export interface Problem {
  text: string;
  /** The id of the field to fix; the summary links to it. */
  field?: string;
}

/** GOV.UK's error summary: a list at the top that says what to fix, each item a link to its field. */
export function errorSummary(problems: Problem[]): HTMLDivElement {
  const box = h(
    'div',
    { class: 'error-summary', role: 'alert', tabindex: '-1' },
    h('h2', {}, t('errorSummary')),
    h(
      'ul',
      {},
      problems.map((p) => h('li', {}, p.field ? h('a', { href: `#${p.field}` }, p.text) : p.text)),
    ),
  );
  return box;
}

export function showProblems(slot: HTMLElement, problems: Problem[]): void {
  if (problems.length === 0) {
    replace(slot);
    return;
  }
  const box = errorSummary(problems);
  replace(slot, box);
  box.focus();
}

export function failureText(err: unknown): string {
  if (err instanceof ApiFailure) return err.text;
  return err instanceof Error ? err.message : String(err);
}

export function errorPanel(err: unknown): HTMLElement {
  return errorSummary([{ text: failureText(err) }]);
}

export function loading(): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, t('loading'));
}

export function th(key: TextKey, scope: 'col' | 'row' = 'col', className?: string): HTMLTableCellElement {
  return h('th', { scope, class: className }, t(key));
}

export function unitName(unit: string | null): string {
  return unit ?? t('noUnit');
}

/** Sums of rows of distinct units, their percentages computed as the server does (one decimal). */
export function totalOf(rows: UnitSummary[]): UnitSummary {
  const sum = (k: 'documents' | 'signed' | 'twoLayer' | 'governmentCa' | 'compliant'): number => rows.reduce((a, r) => a + r[k], 0);
  const documents = sum('documents');
  const p = (n: number): number => (documents === 0 ? 0 : Math.round((n / documents) * 1000) / 10);
  const providers: Record<string, number> = {};
  for (const r of rows) for (const [k, v] of Object.entries(r.providers)) providers[k] = (providers[k] ?? 0) + v;
  const signed = sum('signed');
  const twoLayer = sum('twoLayer');
  const governmentCa = sum('governmentCa');
  const compliant = sum('compliant');
  return { unit: null, documents, signed, twoLayer, governmentCa, compliant, signedPct: p(signed), twoLayerPct: p(twoLayer), governmentCaPct: p(governmentCa), compliantPct: p(compliant), providers };
}

export interface SummaryOptions {
  ranked?: boolean;
  /** Change of % compliant from the previous period, by unit name ('' for no unit, '*' for the total). */
  change?: Map<string, number | null>;
  /** Where each unit's name links (its documents). */
  unitLink?: (unit: string | null) => string | null;
}

function signed(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const text = pct(Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

/** The "Tổng hợp theo đơn vị" table: the same on the batch page and on the leader's dashboard. */
export function summaryTable(rows: UnitSummary[], total: UnitSummary, options: SummaryOptions = {}): HTMLTableElement {
  const sorted = options.ranked ? [...rows].sort((a, b) => b.compliantPct - a.compliantPct || b.documents - a.documents || unitName(a.unit).localeCompare(unitName(b.unit), 'vi')) : rows;
  const numeric = (text: string): HTMLTableCellElement => h('td', { class: 'num' }, text);
  const line = (r: UnitSummary, rank: number | null, isTotal: boolean): HTMLTableRowElement => {
    const link = isTotal ? null : (options.unitLink?.(r.unit) ?? null);
    const name: Child = isTotal ? t('total') : link ? h('a', { href: link }, unitName(r.unit)) : unitName(r.unit);
    return h(
      'tr',
      { class: isTotal ? 'total' : null },
      options.ranked ? numeric(rank === null ? '' : String(rank)) : null,
      h('th', { scope: 'row' }, name),
      numeric(count(r.documents)),
      numeric(pct(r.signedPct)),
      numeric(pct(r.twoLayerPct)),
      numeric(pct(r.governmentCaPct)),
      numeric(pct(r.compliantPct)),
      options.change ? numeric(signed(options.change.get(isTotal ? '*' : (r.unit ?? '')))) : null,
    );
  };
  return h(
    'table',
    { class: 'summary' },
    h('caption', {}, t('summaryCaption')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        options.ranked ? th('colRank', 'col', 'num') : null,
        th('colUnit'),
        th('colDocuments', 'col', 'num'),
        th('colSignedPct', 'col', 'num'),
        th('colTwoLayerPct', 'col', 'num'),
        th('colGovPct', 'col', 'num'),
        th('colCompliantPct', 'col', 'num'),
        options.change ? th('colChange', 'col', 'num') : null,
      ),
    ),
    h('tbody', {}, sorted.map((r, i) => line(r, i + 1, false))),
    h('tfoot', {}, line(total, null, true)),
  );
}

/** A table that scrolls sideways on a phone instead of making the page wider. */
export function scroller(table: HTMLTableElement): HTMLDivElement {
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': table.caption?.textContent ?? '' }, table);
}
