import { api, query } from './api';
import { h, replace } from './dom';
import { day } from './format';
import { lang, t, tv, type TextKey } from './i18n';
import type { DocumentRow, Page } from './types';
import { errorPanel, field, loading, remedyNote, scroller, th, unitName } from './ui';

/**
 * The documents of a batch (or of a month range), a page at a time from the API, with its filters, search and
 * sort. The filters live in the address, so a filtered list can be bookmarked and sent.
 */

const SORTS = ['file', '-file', 'verdict', 'unit', 'number', 'date', '-date'] as const;
const PAGE_SIZE = 50;
const FILTERS = ['verdict', 'unit', 'code', 'provider', 'q', 'sort'] as const;

export interface DocumentsTableOptions {
  /** `/api/batches/{id}/documents` or `/api/documents`. */
  endpoint: string;
  /** Fixed query parameters (a month range …). */
  fixed?: Record<string, string>;
  params: URLSearchParams;
  units: string[];
  providers: string[];
  codes: { code: string; label: string }[];
  /** The batch the rows are in, for the document link. */
  batchOf?: (row: DocumentRow) => string;
}

interface Choice {
  value: string;
  text: string;
}

function fill(el: HTMLSelectElement, options: Choice[], current: string): void {
  replace(el, h('option', { value: '' }, t('filterAll')), options.map((o) => h('option', { value: o.value, selected: o.value === current }, o.text)));
  // A value from the address that the list does not hold (yet) stays chosen rather than silently dropped.
  if (current && !options.some((o) => o.value === current)) el.append(h('option', { value: current, selected: true }, current));
}

function select(id: string, label: string, options: Choice[], current: string): { field: HTMLDivElement; el: HTMLSelectElement } {
  const el = h('select', { id, name: id });
  fill(el, options, current);
  return { field: field(label, el), el };
}

export interface DocumentsTable {
  element: HTMLElement;
  /** The filters' lists, once known (a batch's units, providers and reasons come with its summary). */
  setChoices(units: string[], providers: string[], codes: { code: string; label: string }[]): void;
}

function verdictCell(row: DocumentRow): HTMLTableCellElement {
  const v = row.verdict ?? 'pending';
  return h('td', {}, h('span', { class: `tag verdict-${v}` }, tv('verdict', v)));
}

/** The columns after the file name, in order: the header row and each cell's phone label read the same list. */
const CELL_LABELS: readonly TextKey[] = ['colUnit', 'colNumber', 'colDate', 'colVerdict', 'colFailed', 'colReasons'];

/** The reason, and under it in small print what to do about it. */
function reasonItem(f: DocumentRow['findings'][number]): HTMLLIElement {
  return h('li', {}, lang() === 'en' ? f.messageEn : f.message, remedyNote(f));
}

function row(r: DocumentRow, batchOf: (row: DocumentRow) => string): HTMLTableRowElement {
  const failed = r.failedChecks.map((c) => tv('check', c)).join(', ');
  const reasons = r.findings.filter((f) => f.severity !== 'info');
  // On a phone each row is a card, its cells one under another, each named by its column (style.css reads data-label).
  const cells = [
    h('td', {}, unitName(r.unit)),
    h('td', {}, r.register?.number ?? '—'),
    h('td', {}, day(r.register?.date ?? null)),
    verdictCell(r),
    h('td', {}, failed || '—'),
    h('td', {}, reasons.length === 0 ? '—' : h('ul', { class: 'reasons' }, reasons.map(reasonItem))),
  ];
  CELL_LABELS.forEach((key, i) => cells[i]!.setAttribute('data-label', t(key)));
  return h('tr', {}, h('th', { scope: 'row' }, h('a', { href: `/van-ban/${r.sha256}?lo=${encodeURIComponent(batchOf(r))}` }, r.file)), cells);
}

export function documentsTable(options: DocumentsTableOptions): DocumentsTable {
  const state: Record<string, string> = {};
  for (const k of FILTERS) state[k] = options.params.get(k) ?? '';
  let page = Math.max(1, Number(options.params.get('page') ?? '1') || 1);
  const results = h('div', { 'aria-live': 'polite' });
  const batchOf = options.batchOf ?? ((r: DocumentRow) => r.batchId);

  const verdicts = (['compliant', 'noncompliant', 'error', 'pending'] as const).map((v) => ({ value: v, text: tv('verdict', v) }));
  const sortSelect = h('select', { id: 'sort', name: 'sort' }, SORTS.map((s) => h('option', { value: s, selected: s === (state.sort || 'file') }, t(`sort_${s}` as TextKey))));
  const search = h('input', { id: 'q', name: 'q', type: 'search', value: state.q });
  const unitSelect = select('unit', t('filterUnit'), options.units.map((u) => ({ value: u, text: u })), state.unit!);
  const codeSelect = select('code', t('filterCode'), options.codes.map((c) => ({ value: c.code, text: c.label })), state.code!);
  const providerSelect = select('provider', t('filterProvider'), options.providers.map((p) => ({ value: p, text: p })), state.provider!);
  unitSelect.field.hidden = options.units.length <= 1 && !state.unit;
  const form = h(
    'form',
    { class: 'filters', role: 'search' },
    h(
      'fieldset',
      {},
      h('legend', {}, t('filters')),
      select('verdict', t('filterVerdict'), verdicts, state.verdict!).field,
      unitSelect.field,
      codeSelect.field,
      providerSelect.field,
      field(t('search'), search),
      field(t('sort'), sortSelect),
      h('button', { type: 'submit', class: 'button secondary' }, t('apply')),
    ),
  );

  const load = async (): Promise<void> => {
    replace(results, loading());
    const q = query({ ...options.fixed, ...state, page, pageSize: PAGE_SIZE });
    const url = new URL(location.href);
    for (const k of FILTERS) {
      if (state[k]) url.searchParams.set(k, state[k]!);
      else url.searchParams.delete(k);
    }
    if (page > 1) url.searchParams.set('page', String(page));
    else url.searchParams.delete('page');
    history.replaceState(null, '', url.toString());
    try {
      const answer = await api<Page<DocumentRow>>('GET', `${options.endpoint}${q}`);
      const pages = Math.max(1, Math.ceil(answer.total / answer.pageSize));
      if (answer.items.length === 0) {
        replace(results, h('p', {}, t('noDocuments')));
        return;
      }
      const table = h(
        'table',
        { class: 'documents' },
        h('caption', {}, t('documentsTitle')),
        h('thead', {}, h('tr', {}, th('colFile'), CELL_LABELS.map((key) => th(key)))),
        h('tbody', {}, answer.items.map((r) => row(r, batchOf))),
      );
      const prev = h('button', { type: 'button', class: 'button secondary', disabled: page <= 1 }, t('prev'));
      const next = h('button', { type: 'button', class: 'button secondary', disabled: page >= pages }, t('next'));
      prev.addEventListener('click', () => {
        page -= 1;
        void load();
      });
      next.addEventListener('click', () => {
        page += 1;
        void load();
      });
      replace(results, scroller(table), h('nav', { class: 'pager', 'aria-label': t('pageOf', { page, pages, total: answer.total }) }, prev, h('span', {}, t('pageOf', { page, pages, total: answer.total })), next));
    } catch (err) {
      replace(results, errorPanel(err));
    }
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    for (const k of FILTERS) state[k] = String(data.get(k) ?? '').trim();
    page = 1;
    void load();
  });
  void load();
  return {
    element: h('section', { class: 'documents-section' }, h('h2', {}, t('documentsTitle')), form, results),
    setChoices(units, providers, codes) {
      fill(unitSelect.el, units.map((u) => ({ value: u, text: u })), state.unit!);
      unitSelect.field.hidden = units.length <= 1 && !state.unit;
      fill(codeSelect.el, codes.map((c) => ({ value: c.code, text: c.label })), state.code!);
      fill(providerSelect.el, providers.map((p) => ({ value: p, text: p })), state.provider!);
    },
  };
}
