import { api } from '../api';
import { h, replace } from '../dom';
import { dateTime, day } from '../format';
import { lang, t, tv } from '../i18n';
import type { PageContext } from '../main';
import type { DocumentReport, VerdictHistoryEntry } from '../types';
import type { SignatureReport } from '../../../../worker/report';
import { heading, remedyNote, summaryList, th, unitName } from '../ui';

/** One document: its verdict and checks, each signature in full, the findings and what to do about them. */

function signature(s: SignatureReport): HTMLElement {
  const signer = s.signer;
  const validity = signer?.notBefore || signer?.notAfter ? `${dateTime(signer?.notBefore)} – ${dateTime(signer?.notAfter)}` : null;
  const flag = (ok: boolean, text: string): HTMLSpanElement => h('span', { class: ok ? 'tag ok' : 'tag bad' }, text);
  return h(
    'section',
    { class: 'signature' },
    h('h3', {}, t('signatureN', { n: s.index })),
    summaryList([
      ['signer', signer?.commonName ?? signer?.subject ?? null],
      ['signerKind', tv('kind', signer?.kind ?? 'unknown')],
      ['caProvider', s.ca.provider],
      ['caCategory', flag(s.ca.category === 'government', tv('category', s.ca.category))],
      ['signingTime', dateTime(s.signingTime)],
      ['signingTimeSource', tv('source', s.signingTimeSource ?? 'none')],
      ['integrity', flag(s.integrity === 'valid', tv('integrity', s.integrity))],
      ['certificate', flag(s.certificate === 'valid', tv('cert', s.certificate))],
      ['validity', validity],
      ['serial', signer?.serialNumber ?? null],
      ['changesAfter', flag(s.changesAfter !== 'disallowed', tv('changes', s.changesAfter))],
    ]),
  );
}

/** What is wrong, what to do about it (reports made before remedies were kept have none), and IT's detail. */
function findingItem(f: DocumentReport['findings'][number]): HTMLLIElement {
  return h(
    'li',
    { class: `severity-${f.severity}` },
    h('strong', {}, f.code),
    ' ',
    lang() === 'en' ? (f.messageEn ?? f.message) : f.message,
    f.signature ? ` (${t('signatureN', { n: f.signature })})` : '',
    remedyNote(f),
    f.detail ? h('small', { class: 'detail mono' }, f.detail) : null,
  );
}

/** Each verdict the document had, oldest first: when, which trust store (short hash), and why it was judged. */
function historyTable(items: VerdictHistoryEntry[]): HTMLElement {
  if (items.length === 0) return h('p', {}, '—');
  return h(
    'table',
    { class: 'history' },
    h('thead', {}, h('tr', {}, th('historyJudgedAt'), th('colVerdict'), th('historyTrustStore'), th('historyWhy'))),
    h(
      'tbody',
      {},
      items.map((e) =>
        h(
          'tr',
          {},
          h('td', {}, dateTime(e.judgedAt)),
          h('td', {}, h('span', { class: `tag verdict-${e.verdict}` }, tv('verdict', e.verdict))),
          h('td', { class: 'mono' }, e.trustStore ? e.trustStore.slice(0, 12) : '—'),
          h('td', {}, t(e.reason === 'verified' ? 'historyVerified' : 'historyRejudged')),
        ),
      ),
    ),
  );
}

export async function documentPage(ctx: PageContext, sha256: string): Promise<void> {
  const key = sha256.toLowerCase();
  const [doc, history] = await Promise.all([
    api<DocumentReport>('GET', `/api/documents/${key}`),
    // A service without stored facts (or an older one) has no history: the page shows the document all the same.
    api<{ items: VerdictHistoryEntry[] }>('GET', `/api/documents/${key}/history`).catch(() => ({ items: [] as VerdictHistoryEntry[] })),
  ]);
  const batch = ctx.params.get('lo');
  const checks = Object.entries(doc.checks).map(([k, ok]) => h('li', {}, h('span', { class: ok ? 'tag ok' : 'tag bad' }, ok ? '✓' : '✗'), ' ', tv('check', k)));
  const findings = doc.findings.length === 0 ? h('p', {}, t('noFindings')) : h('ul', { class: 'findings' }, doc.findings.map(findingItem));
  replace(
    ctx.main,
    batch && /^[A-Za-z0-9_-]+$/.test(batch) ? h('p', {}, h('a', { href: `/lo/${batch}`, class: 'back' }, `← ${t('batchTitle', { id: batch })}`)) : null,
    heading(doc.file),
    summaryList([
      ['colVerdict', h('span', { class: `tag verdict-${doc.verdict}` }, tv('verdict', doc.verdict))],
      ['colUnit', unitName(doc.unit)],
      ['colNumber', doc.register?.number ?? null],
      ['colDate', day(doc.register?.date ?? null)],
      ['summary', doc.register?.summary ?? null],
    ]),
    h('ul', { class: 'checks' }, checks),
    h('h2', {}, t('findings')),
    findings,
    h('h2', {}, t('signatures')),
    doc.signatures.length === 0 ? h('p', {}, t('noSignatures')) : doc.signatures.map(signature),
    h('h2', {}, t('history')),
    historyTable(history.items),
  );
}
