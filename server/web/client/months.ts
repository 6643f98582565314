import { h } from './dom';
import { monthsAgo } from './format';
import { t } from './i18n';
import { field, showProblems } from './ui';

/** The month range of a page (from/to in the address), as YYYY-MM; MM/YYYY is accepted and rewritten. */

export function normalizeMonth(value: string): string | null {
  const v = value.trim();
  let m = /^(\d{4})-(\d{1,2})$/.exec(v);
  if (m) return Number(m[2]) >= 1 && Number(m[2]) <= 12 ? `${m[1]}-${m[2]!.padStart(2, '0')}` : null;
  m = /^(\d{1,2})\/(\d{4})$/.exec(v);
  if (m) return Number(m[1]) >= 1 && Number(m[1]) <= 12 ? `${m[2]}-${m[1]!.padStart(2, '0')}` : null;
  return null;
}

export type Range = {
  from: string;
  to: string;
};

export function rangeOf(params: URLSearchParams, defaultBack = 11): Range {
  const from = normalizeMonth(params.get('from') ?? '') ?? monthsAgo(defaultBack);
  const to = normalizeMonth(params.get('to') ?? '') ?? monthsAgo(0);
  return from <= to ? { from, to } : { from: to, to: from };
}

/** The from/to form: a GET form, so the range is in the address and the page can be bookmarked. */
export function rangeForm(range: Range, extra: HTMLElement[] = []): HTMLFormElement {
  const problems = h('div', {});
  const from = h('input', { id: 'from', name: 'from', type: 'text', inputmode: 'numeric', value: range.from, size: '8' });
  const to = h('input', { id: 'to', name: 'to', type: 'text', inputmode: 'numeric', value: range.to, size: '8' });
  const form = h('form', { method: 'get', class: 'range' }, problems, h('div', { class: 'row' }, field(t('fromMonth'), from, t('monthHint')), field(t('toMonth'), to, t('monthHint')), ...extra, h('button', { type: 'submit', class: 'button secondary' }, t('show'))));
  form.addEventListener('submit', (e) => {
    const bad = [from, to].filter((i) => normalizeMonth(i.value) === null);
    if (bad.length > 0) {
      e.preventDefault();
      showProblems(problems, bad.map((i) => ({ text: t('badMonth', { value: i.value }), field: i.id })));
      return;
    }
    from.value = normalizeMonth(from.value)!;
    to.value = normalizeMonth(to.value)!;
  });
  return form;
}
