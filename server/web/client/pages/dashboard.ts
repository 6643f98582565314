import { api, query } from '../api';
import { barChart, lineChart } from '../charts';
import { h, replace } from '../dom';
import { addMonths, month, monthsBetween, pct } from '../format';
import { lang, t } from '../i18n';
import type { PageContext } from '../main';
import { rangeForm, rangeOf } from '../months';
import type { UnitMonthSummary, UnitSummary } from '../types';
import { heading, scroller, summaryTable, totalOf, unitName } from '../ui';

/**
 * The leader's dashboard: per unit % signed, two-layer, government CA and compliant, ranked; the total and the
 * change from the previous period of the same length; then the same figures as charts. Printable as is.
 */

/** The period's documents for people: the leader's page to print, the inspection report to edit or read. */
function periodReports(range: { from: string; to: string }): HTMLElement {
  const en = lang() === 'en' ? 'en' : null;
  const link = (href: string, file: string, text: string): HTMLLIElement => h('li', {}, h('a', { href, download: file }, text));
  const span = `${range.from}_${range.to}`;
  return h(
    'section',
    { class: 'downloads no-print' },
    h('h2', {}, t('periodReports')),
    h(
      'ul',
      { class: 'inline-list' },
      link(`/api/reports/summary${query({ ...range, lang: en })}`, `ty-le-ky-so-${span}.pdf`, t('downloadLeaderPage')),
      link(`/api/reports${query({ ...range, format: 'docx', lang: en })}`, `bao-cao-kiem-tra-${span}.docx`, t('downloadDocx')),
      link(`/api/reports${query({ ...range, format: 'pdf', lang: en })}`, `bao-cao-kiem-tra-${span}.pdf`, t('downloadPdf')),
    ),
  );
}

export async function dashboardPage(ctx: PageContext): Promise<void> {
  const range = rangeOf(ctx.params);
  const n = monthsBetween(range.from, range.to);
  const previous = { from: addMonths(range.from, -n), to: addMonths(range.from, -1) };
  const [rows, before, byMonth] = await Promise.all([
    api<UnitSummary[]>('GET', `/api/units${query(range)}`),
    api<UnitSummary[]>('GET', `/api/units${query(previous)}`),
    api<UnitMonthSummary[]>('GET', `/api/units${query({ ...range, by: 'month' })}`),
  ]);
  const total = totalOf(rows);
  const beforeTotal = totalOf(before);
  const change = new Map<string, number | null>();
  const beforeBy = new Map(before.map((r) => [r.unit ?? '', r]));
  for (const r of rows) {
    const b = beforeBy.get(r.unit ?? '');
    change.set(r.unit ?? '', b && b.documents > 0 ? Math.round((r.compliantPct - b.compliantPct) * 10) / 10 : null);
  }
  change.set('*', beforeTotal.documents > 0 ? Math.round((total.compliantPct - beforeTotal.compliantPct) * 10) / 10 : null);

  const print = h('button', { type: 'button', class: 'button secondary no-print' }, t('print'));
  print.addEventListener('click', () => window.print());
  const parts: (HTMLElement | null)[] = [heading(t('dashboardTitle')), rangeForm(range), h('p', { class: 'period' }, t('periodTitle', { from: month(range.from), to: month(range.to) }))];
  if (rows.length === 0) {
    replace(ctx.main, ...parts, h('p', {}, t('noData')));
    return;
  }
  const delta = change.get('*');
  parts.push(
    // With nothing checked in the period before, there is no change to state: say so rather than print "— điểm".
    h(
      'p',
      {},
      delta === null || delta === undefined
        ? t('previousPeriodEmpty', { from: month(previous.from), to: month(previous.to) })
        : t('previousPeriod', { from: month(previous.from), to: month(previous.to), change: `${delta > 0 ? '+' : ''}${pct(delta)}` }),
    ),
    scroller(summaryTable(rows, total, { ranked: true, change })),
    print,
    periodReports(range),
  );
  const ranked = [...rows].sort((a, b) => b.compliantPct - a.compliantPct);
  const barCanvas = h('canvas', { role: 'img', 'aria-label': t('chartByUnit') });
  const months = [...new Set(byMonth.map((r) => r.month))].sort();
  const perMonth = months.map((m) => totalOf(byMonth.filter((r) => r.month === m)));
  const lineCanvas = h('canvas', { role: 'img', 'aria-label': t('chartByMonth') });
  parts.push(
    h('section', { class: 'chart' }, h('h2', {}, t('chartByUnit')), h('div', { class: 'chart-box', 'data-rows': String(Math.min(ranked.length, 40)) }, barCanvas)),
    h('section', { class: 'chart' }, h('h2', {}, t('chartByMonth')), h('div', { class: 'chart-box' }, lineCanvas)),
  );
  replace(ctx.main, ...parts);
  barChart(barCanvas, ranked.map((r) => unitName(r.unit)), t('colCompliantPct'), ranked.map((r) => r.compliantPct));
  lineChart(
    lineCanvas,
    months.map(month),
    [
      { label: t('colSignedPct'), values: perMonth.map((r) => r.signedPct) },
      { label: t('colTwoLayerPct'), values: perMonth.map((r) => r.twoLayerPct) },
      { label: t('colGovPct'), values: perMonth.map((r) => r.governmentCaPct) },
      { label: t('colCompliantPct'), values: perMonth.map((r) => r.compliantPct) },
    ],
  );
}
