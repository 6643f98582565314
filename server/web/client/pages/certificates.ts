import { api, query } from '../api';
import { h, replace } from '../dom';
import { count, dateTime } from '../format';
import { t, tv } from '../i18n';
import type { PageContext } from '../main';
import { rangeForm, rangeOf } from '../months';
import type { CertificateRow } from '../types';
import { field, heading, scroller, th } from '../ui';

/** The certificate inventory: every signer certificate seen in the range, expired and expiring ones marked. */
export async function certificatesPage(ctx: PageContext): Promise<void> {
  const range = rangeOf(ctx.params);
  const unit = ctx.params.get('unit') ?? '';
  const answer = await api<{ items: CertificateRow[] }>('GET', `/api/certificates${query({ ...range, unit })}`);
  const unitInput = h('input', { id: 'unit', name: 'unit', type: 'text', value: unit });
  const title = [heading(t('certificatesTitle')), rangeForm(range, [field(t('unitFilter'), unitInput)])];
  if (answer.items.length === 0) {
    replace(ctx.main, ...title, h('p', {}, t('noCertificates')));
    return;
  }
  const table = h(
    'table',
    {},
    h('caption', {}, t('certificatesTitle')),
    h('thead', {}, h('tr', {}, th('colSubject'), th('colKind'), th('colProvider'), th('colSerial'), th('colValidity'), th('colDocuments'), th('colUnits'), th('colCertStatus'))),
    h(
      'tbody',
      {},
      answer.items.map((c) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, c.commonName ?? c.subject ?? c.fingerprint.slice(0, 16)),
          h('td', {}, tv('kind', c.kind)),
          h('td', {}, c.provider ?? '—', c.category !== 'government' ? h('span', { class: 'mark' }, ` (${tv('category', c.category)})`) : null),
          h('td', { class: 'mono' }, c.serialNumber ?? '—'),
          h('td', {}, `${dateTime(c.notBefore)} – ${dateTime(c.notAfter)}`),
          h('td', { class: 'num' }, count(c.documents)),
          h('td', {}, c.units.join(', ')),
          h('td', {}, h('span', { class: c.status === 'valid' ? 'tag ok' : 'tag bad' }, tv('certstatus', c.status))),
        ),
      ),
    ),
  );
  replace(ctx.main, ...title, scroller(table));
}
