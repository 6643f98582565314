import { api, query } from '../api';
import { h, replace } from '../dom';
import { dateTime } from '../format';
import { lang, t } from '../i18n';
import type { PageContext } from '../main';
import type { BatchStatusView, BatchSummary } from '../types';
import { documentsTable } from '../documents-table';
import { errorPanel, heading, loading, scroller, summaryTable } from '../ui';

/**
 * A batch: while it is verified, a progress bar fed by its status; when done, "Hoàn thành", the unit summary, the
 * downloads and the documents.
 */

const POLL_MS = 1000;

function downloads(id: string): HTMLElement {
  const link = (format: string, key: 'downloadJson' | 'downloadCsv' | 'downloadXlsx' | 'downloadDocx' | 'downloadPdf'): HTMLLIElement =>
    h('li', {}, h('a', { href: `/api/batches/${encodeURIComponent(id)}/report${query({ format, lang: lang() === 'en' ? 'en' : null })}`, download: `kiemky-${id}.${format}` }, t(key)));
  return h('section', { class: 'downloads' }, h('h2', {}, t('downloads')), h('ul', { class: 'inline-list' }, link('docx', 'downloadDocx'), link('pdf', 'downloadPdf'), link('xlsx', 'downloadXlsx'), link('csv', 'downloadCsv'), link('json', 'downloadJson')));
}

async function showDone(ctx: PageContext, id: string, status: BatchStatusView, body: HTMLElement): Promise<void> {
  // The first page of rows and the summary (with the filters' lists of units, providers and reasons) come from the
  // API side by side: the summary is counted in SQL (the batch's whole report took 1.3 s at 10,000 documents).
  const summary = h('div', {}, loading());
  const table = documentsTable({ endpoint: `/api/batches/${encodeURIComponent(id)}/documents`, params: ctx.params, units: [], providers: [], codes: [], batchOf: () => id });
  replace(body, h('p', { class: 'done', role: 'status' }, h('strong', {}, t('batchDone')), ` — ${t('colDocuments')}: ${status.total}`), summary, downloads(id), table.element);
  try {
    const answer = await api<BatchSummary>('GET', `/api/batches/${encodeURIComponent(id)}/summary`);
    replace(summary, scroller(summaryTable(answer.units, answer.totals)));
    table.setChoices(
      answer.units.map((u) => u.unit).filter((u): u is string => u !== null),
      answer.providers.map((p) => p.provider).sort((a, b) => a.localeCompare(b, 'vi')),
      answer.codes
        .filter((c) => c.severity !== 'info')
        .map((c) => {
          const label = lang() === 'en' ? c.messageEn : c.message;
          return { code: c.code, label: label.length > 90 ? `${label.slice(0, 87)}…` : label };
        })
        .sort((a, b) => a.label.localeCompare(b.label, lang())),
    );
  } catch (err) {
    replace(summary, errorPanel(err));
  }
}

export async function batchPage(ctx: PageContext, id: string): Promise<void> {
  const first = await api<BatchStatusView>('GET', `/api/batches/${encodeURIComponent(id)}`);
  const body = h('div', {});
  const meta = h('p', { class: 'meta' }, `${t('colCreated')}: ${dateTime(first.createdAt)} · ${t('colSource')}: ${first.source}`);
  replace(ctx.main, heading(t('batchTitle', { id })), meta, body);
  if (first.status === 'done') {
    await showDone(ctx, id, first, body);
    return;
  }
  const bar = h('progress', { max: String(Math.max(1, first.total)), value: String(first.done) });
  const text = h('span', {}, t('batchRunning', { done: first.done, total: first.total }));
  replace(body, h('div', { class: 'progress', role: 'status', 'aria-live': 'polite' }, h('label', {}, t('verifying'), ': ', text), bar));
  for (;;) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    let now: BatchStatusView;
    try {
      now = await api<BatchStatusView>('GET', `/api/batches/${encodeURIComponent(id)}`);
    } catch (err) {
      replace(body, errorPanel(err));
      return;
    }
    bar.max = Math.max(1, now.total);
    bar.value = now.done;
    text.textContent = t('batchRunning', { done: now.done, total: now.total });
    if (now.status === 'done') {
      await showDone(ctx, id, now, body);
      return;
    }
  }
}
