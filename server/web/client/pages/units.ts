import { api, ApiFailure } from '../api';
import { h, replace } from '../dom';
import { count, dateTime, day } from '../format';
import { t } from '../i18n';
import type { PageContext } from '../main';
import type { RegisteredSigner, RegisteredUnit, StoredUnitRegistry } from '../types';
import { errorSummary, failureText, field, heading, scroller, summaryList, th } from '../ui';

/**
 * The unit registry (GET/PUT /api/admin/units): what the service verifies with now, and replacing it by a file of
 * the UNITS_FILE format. A refused file leaves the registry shown as it is, so the admin sees what still holds.
 */

const FILE_ID = 'units-file';
// The API takes at most 8 MB of JSON; saying so before the upload spares a long wait for a 413.
const MAX_BYTES = 8 * 1024 * 1024;

const EXAMPLE = `{"version": 2, "units": [
  {"name": "UBND xã Vạn Thắng",
   "aliases": ["UY BAN NHAN DAN XA VAN THANG"],
   "agencyCertificates": ["<SHA-256: 64 hex>"],
   "signers": [
     {"name": "Nguyễn Văn A", "title": "Chủ tịch", "from": "2021-07-01"},
     {"name": "Trần Thị B", "title": "Phó Chủ tịch", "from": "2024-01-15", "to": "2026-06-30"}]},
  {"name": "Phòng Tư pháp", "parent": "UBND xã Vạn Thắng", "agencyCertificates": []}]}`;

function shortHex(hex: string, head: number, tail: number): string {
  if (hex.length <= head + tail + 1) return hex;
  return `${hex.slice(0, head)}…${tail > 0 ? hex.slice(-tail) : ''}`;
}

/** A long hash shortened, the whole of it one keypress away (details works by keyboard and by touch, a title does not). */
function hash(hex: string, head = 8, tail = 8): HTMLDetailsElement {
  return h(
    'details',
    { class: 'hash' },
    h('summary', {}, h('span', { class: 'mono' }, shortHex(hex, head, tail)), h('span', { class: 'visually-hidden' }, ` (${t('showFull')})`)),
    h('code', { class: 'mono' }, hex),
  );
}

function sourceText(source: string): string {
  if (source === 'none') return t('unitsSourceNone');
  if (source.startsWith('api:')) return t('sourceApi', { user: source.slice(4) });
  if (source.startsWith('file:')) return t('sourceFile', { path: source.slice(5) });
  return source;
}

function period(s: RegisteredSigner): string {
  return s.to ? t('periodFromTo', { from: day(s.from), to: day(s.to) }) : t('periodFrom', { from: day(s.from) });
}

function signerItem(s: RegisteredSigner): HTMLLIElement {
  return h(
    'li',
    {},
    h('span', { class: 'signer-name' }, s.name),
    s.title ? `, ${s.title}` : null,
    h('span', { class: 'period' }, period(s)),
    s.commonName ? h('span', { class: 'detail' }, t('signerCommonName', { name: s.commonName })) : null,
    s.certificates && s.certificates.length > 0 ? h('div', { class: 'detail' }, t('signerCerts'), s.certificates.map((c) => hash(c))) : null,
  );
}

function unitRow(u: RegisteredUnit): HTMLTableRowElement {
  const labels = { aliases: t('colAliases'), parent: t('colParent'), certs: t('colAgencyCerts'), signers: t('colSigners') };
  const aliases = u.aliases ?? [];
  const signers = u.signers ?? [];
  return h(
    'tr',
    {},
    h('th', { scope: 'row' }, u.name),
    h('td', { 'data-label': labels.aliases }, aliases.length === 0 ? '—' : h('ul', { class: 'plain' }, aliases.map((a) => h('li', {}, a)))),
    h('td', { 'data-label': labels.parent }, u.parent ?? '—'),
    h(
      'td',
      { 'data-label': labels.certs },
      u.agencyCertificates.length === 0 ? t('noAgencyCerts') : [h('span', { class: 'cert-count' }, t('certCount', { count: u.agencyCertificates.length })), h('ul', { class: 'plain' }, u.agencyCertificates.map((c) => h('li', {}, hash(c))))],
    ),
    h('td', { 'data-label': labels.signers }, signers.length === 0 ? t('noSigners') : h('ul', { class: 'plain signers' }, signers.map(signerItem))),
  );
}

function registryView(stored: StoredUnitRegistry): HTMLElement[] {
  const units = stored.registry.units;
  const never = stored.source === 'none';
  const facts = summaryList([
    ['unitsVersion', hash(stored.version, 12, 0)],
    ['unitsSource', sourceText(stored.source)],
    ['unitsUpdated', never ? null : dateTime(stored.updatedAt)],
    ['unitsCount', count(units.length)],
  ]);
  if (units.length === 0) {
    return [h('h2', {}, t('unitsEmptyTitle')), h('p', {}, t('unitsEmpty1')), h('p', {}, t('unitsEmpty2')), facts];
  }
  const table = h(
    'table',
    { class: 'registry' },
    h('caption', {}, t('unitsTable')),
    h('thead', {}, h('tr', {}, th('colUnit'), th('colAliases'), th('colParent'), th('colAgencyCerts'), th('colSigners'))),
    h('tbody', {}, units.map(unitRow)),
  );
  return [h('h2', {}, t('unitsCurrent')), facts, scroller(table)];
}

/** GOV.UK's error summary, with how to go on when the server refused the file. */
function showFailure(slot: HTMLElement, fieldError: HTMLElement, text: string, fixHint: boolean): void {
  const box = errorSummary([{ text, field: FILE_ID }]);
  if (fixHint) box.append(h('p', {}, t('unitsFixHint')));
  replace(slot, box);
  replace(fieldError, h('span', { class: 'visually-hidden' }, `${t('errorSummary')}: `), text);
  fieldError.hidden = false;
  fieldError.parentElement?.classList.add('field-error');
  box.focus();
}

function clearFailure(slot: HTMLElement, fieldError: HTMLElement): void {
  replace(slot);
  replace(fieldError);
  fieldError.hidden = true;
  fieldError.parentElement?.classList.remove('field-error');
}

async function readJson(file: File): Promise<{ ok: true; value: unknown } | { ok: false; reason: string }> {
  // Notepad on Windows saves UTF-8 with a byte-order mark, which JSON.parse refuses.
  const text = (await file.text()).replace(/^\uFEFF/, '');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

export async function unitsPage(ctx: PageContext): Promise<void> {
  let current = await api<StoredUnitRegistry>('GET', '/api/admin/units');
  const problems = h('div', {});
  const notice = h('div', {});
  const view = h('section', { class: 'registry-view' }, registryView(current));

  const input = h('input', { id: FILE_ID, name: 'registry', type: 'file', accept: '.json,application/json' });
  const fieldBox = field(t('unitsFileLabel'), input, t('unitsFileHint'));
  const fieldError = h('p', { class: 'error-message', id: `${FILE_ID}-error`, hidden: true });
  fieldBox.insertBefore(fieldError, input);
  input.setAttribute('aria-describedby', `${FILE_ID}-hint ${FILE_ID}-error`);
  const button = h('button', { type: 'submit', class: 'button' }, t('unitsSubmit'));
  const sending = h('p', { role: 'status', 'aria-live': 'polite', class: 'hint' });
  const form = h(
    'form',
    { method: 'post', action: '/quan-tri/don-vi', novalidate: true, class: 'no-print' },
    h('h2', {}, t('unitsReplaceTitle')),
    fieldBox,
    button,
    sending,
    h('details', {}, h('summary', {}, t('unitsExample')), h('pre', { class: 'example' }, EXAMPLE)),
  );

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      replace(notice);
      const file = input.files?.[0];
      if (!file) return showFailure(problems, fieldError, t('unitsNoFile'), false);
      if (file.size > MAX_BYTES) return showFailure(problems, fieldError, t('unitsTooBig', { name: file.name }), false);
      const parsed = await readJson(file);
      if (!parsed.ok) return showFailure(problems, fieldError, t('unitsNotJson', { name: file.name, reason: parsed.reason }), false);
      button.disabled = true;
      sending.textContent = t('unitsSending');
      try {
        const stored = await api<StoredUnitRegistry>('PUT', '/api/admin/units', parsed.value);
        const unchanged = stored.version === current.version;
        current = stored;
        clearFailure(problems, fieldError);
        replace(view, registryView(stored));
        const short = shortHex(stored.version, 12, 0);
        const banner = h(
          'div',
          { class: 'confirmation', role: 'status', tabindex: '-1' },
          h('h2', {}, t('unitsReplaced')),
          unchanged ? h('p', {}, t('unitsUnchanged', { version: short })) : [h('p', {}, t('unitsReplacedVersion', { version: short, count: stored.registry.units.length })), h('p', {}, t('unitsRejudge'))],
        );
        replace(notice, banner);
        form.reset();
        banner.focus();
      } catch (err) {
        // 400 is the registry's own fault and the message says where; anything else (session, network) is not the file's.
        const refused = err instanceof ApiFailure && err.status === 400;
        showFailure(problems, fieldError, failureText(err), refused);
      } finally {
        button.disabled = false;
        sending.textContent = '';
      }
    })();
  });

  replace(ctx.main, heading(t('unitsTitle')), problems, notice, h('p', { class: 'lead' }, t('unitsIntro')), view, form);
}
