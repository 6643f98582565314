import { api, query } from '../api';
import { h, replace } from '../dom';
import { count, dateTime } from '../format';
import { t, tv } from '../i18n';
import type { PageContext } from '../main';
import type { BatchRow, Page } from '../types';
import { heading, scroller, th } from '../ui';

/** The batches the caller may see, newest first (a clerk's units' only: the API decides). */
export async function batchesPage(ctx: PageContext): Promise<void> {
  const page = Math.max(1, Number(ctx.params.get('page') ?? '1') || 1);
  const answer = await api<Page<BatchRow>>('GET', `/api/batches${query({ page, pageSize: 50 })}`);
  const title = heading(t('batchesTitle'));
  if (answer.items.length === 0) {
    replace(ctx.main, title, h('p', {}, t('batchesEmpty')));
    return;
  }
  const num = (n: number): HTMLTableCellElement => h('td', { class: 'num' }, count(n));
  const table = h(
    'table',
    {},
    h('caption', {}, t('batchesTitle')),
    h('thead', {}, h('tr', {}, th('colCreated'), th('colSource'), th('colStatus'), th('colDocuments'), th('colCompliant'), th('colNoncompliant'), th('colErrors'))),
    h(
      'tbody',
      {},
      answer.items.map((b) =>
        h('tr', {}, h('th', { scope: 'row' }, h('a', { href: `/lo/${encodeURIComponent(b.id)}` }, dateTime(b.createdAt))), h('td', {}, b.source), h('td', {}, tv('status', b.status)), num(b.total), num(b.compliant), num(b.noncompliant), num(b.errors)),
      ),
    ),
  );
  const pages = Math.max(1, Math.ceil(answer.total / answer.pageSize));
  const pager = h(
    'nav',
    { class: 'pager', 'aria-label': t('pageOf', { page, pages, total: answer.total }) },
    page > 1 ? h('a', { href: `/lo${query({ page: page - 1 })}` }, t('prev')) : null,
    h('span', {}, t('pageOf', { page, pages, total: answer.total })),
    page < pages ? h('a', { href: `/lo${query({ page: page + 1 })}` }, t('next')) : null,
  );
  replace(ctx.main, title, scroller(table), pager);
}
