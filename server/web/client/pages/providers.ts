import { api, query } from '../api';
import { h, replace } from '../dom';
import { count, month, pct } from '../format';
import { t } from '../i18n';
import type { PageContext } from '../main';
import { rangeForm, rangeOf } from '../months';
import type { CaCategory, ProviderCell } from '../types';
import { heading, scroller, unitName } from '../ui';

/**
 * The inspector's matrix: units down, certificate providers across, each cell the documents signed with that
 * provider's certificates (count and share of the unit's), commercial and untrusted cells marked in words as well
 * as colour; a cell opens its documents.
 */

function mark(category: CaCategory): string {
  return category === 'public' ? t('commercial') : category === 'untrusted' ? t('untrusted') : '';
}

export async function providersPage(ctx: PageContext): Promise<void> {
  const range = rangeOf(ctx.params);
  const rows = await api<ProviderCell[]>('GET', `/api/providers${query(range)}`);
  const title = [heading(t('providersTitle')), rangeForm(range), h('p', { class: 'period' }, t('periodTitle', { from: month(range.from), to: month(range.to) }))];
  if (rows.length === 0) {
    replace(ctx.main, ...title, h('p', {}, t('noData')));
    return;
  }
  const providers = new Map<string, CaCategory>();
  for (const r of rows) providers.set(r.provider, r.category);
  const columns = [...providers.keys()].sort((a, b) => {
    const order = (c: CaCategory): number => (c === 'government' ? 0 : c === 'public' ? 1 : 2);
    return order(providers.get(a)!) - order(providers.get(b)!) || a.localeCompare(b, 'vi');
  });
  const units = [...new Set(rows.map((r) => r.unit))].sort((a, b) => unitName(a).localeCompare(unitName(b), 'vi'));
  const cell = new Map(rows.map((r) => [`${r.unit ?? ''}\u0000${r.provider}`, r.documents]));
  const table = h(
    'table',
    { class: 'matrix' },
    h('caption', {}, t('providersCaption')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t('colUnit')),
        columns.map((p) => h('th', { scope: 'col', class: `category-${providers.get(p)}` }, p, mark(providers.get(p)!) ? h('span', { class: 'mark' }, ` (${mark(providers.get(p)!)})`) : null)),
      ),
    ),
    h(
      'tbody',
      {},
      units.map((u) => {
        const sum = columns.reduce((a, p) => a + (cell.get(`${u ?? ''}\u0000${p}`) ?? 0), 0);
        return h(
          'tr',
          {},
          h('th', { scope: 'row' }, unitName(u)),
          columns.map((p) => {
            const n = cell.get(`${u ?? ''}\u0000${p}`) ?? 0;
            const category = providers.get(p)!;
            if (n === 0) return h('td', { class: 'num empty' }, '0');
            // Leaders read the figures, not the documents behind them (the API's role table).
            const href = ctx.user.role === 'leader' ? null : `/van-ban${query({ ...range, unit: u, provider: p })}`;
            const flag = mark(category);
            const text = `${count(n)} (${pct(sum === 0 ? 0 : (n / sum) * 100)}%)`;
            return h('td', { class: `num category-${category}` }, href ? h('a', { href }, text) : text, flag ? h('span', { class: 'mark' }, ` ${flag}`) : null);
          }),
        );
      }),
    ),
  );
  replace(ctx.main, ...title, h('p', {}, t('providersLegend')), scroller(table));
}
