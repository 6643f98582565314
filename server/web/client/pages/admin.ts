import { api } from '../api';
import { h, replace } from '../dom';
import { dateTime } from '../format';
import { t, tv } from '../i18n';
import type { PageContext } from '../main';
import type { ExportsStatus, Role, TokenRow, TrustRow, UserRow } from '../types';
import { errorPanel, failureText, field, heading, loading, scroller, showProblems, th } from '../ui';

/** The administrator's page: accounts, API tokens, the trust store and the export folder, each its own section. */

const ROLES: Role[] = ['clerk', 'inspector', 'leader', 'admin'];

function roleSelect(id: string, current: Role = 'clerk'): HTMLSelectElement {
  return h('select', { id, name: 'role' }, ROLES.map((r) => h('option', { value: r, selected: r === current }, tv('role', r))));
}

function unitsOf(text: string): string[] {
  return text.split('\n').map((u) => u.trim()).filter((u) => u !== '');
}

async function accounts(section: HTMLElement): Promise<void> {
  replace(section, h('h2', {}, t('accounts')), loading());
  const users = await api<{ items: UserRow[] }>('GET', '/api/users');
  const problems = h('div', {});
  const status = h('p', { role: 'status', 'aria-live': 'polite' });
  const username = h('input', { id: 'new-username', name: 'username', type: 'text', autocomplete: 'off' });
  const password = h('input', { id: 'new-password', name: 'password', type: 'password', autocomplete: 'new-password' });
  const role = roleSelect('new-role');
  const units = h('textarea', { id: 'new-units', name: 'units', rows: '2' });
  const form = h('form', { class: 'panel' }, h('h3', {}, t('newAccount')), problems, field(t('username'), username), field(t('password'), password), field(t('role'), role), field(t('units'), units, t('unitsHint')), h('button', { type: 'submit', class: 'button' }, t('create')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    api<UserRow>('POST', '/api/users', { username: username.value.trim(), password: password.value, role: role.value, units: unitsOf(units.value) })
      .then((u) => {
        status.textContent = t('createdUser', { user: u.username });
        void accounts(section).then(() => section.querySelector<HTMLElement>('[role=status]')?.replaceChildren(document.createTextNode(t('createdUser', { user: u.username }))));
      })
      .catch((err: unknown) => showProblems(problems, [{ text: failureText(err), field: 'new-username' }]));
  });
  const rowFor = (u: UserRow): HTMLTableRowElement => {
    const toggle = h('button', { type: 'button', class: 'button secondary' }, u.disabled ? t('enable') : t('disable'));
    toggle.addEventListener('click', () => {
      api('PATCH', `/api/users/${encodeURIComponent(u.username)}`, { disabled: !u.disabled }).then(() => accounts(section), (err: unknown) => showProblems(problems, [{ text: failureText(err) }]));
    });
    const pw = h('input', { type: 'password', id: `pw-${u.username}`, autocomplete: 'new-password' });
    const rs = roleSelect(`role-${u.username}`, u.role);
    const un = h('textarea', { id: `units-${u.username}`, rows: '2' }, u.units.join('\n'));
    const save = h('button', { type: 'submit', class: 'button secondary' }, t('save'));
    const edit = h('form', { class: 'inline-edit' }, field(t('newPassword', { user: u.username }), pw), field(t('role'), rs), field(t('units'), un), save);
    edit.addEventListener('submit', (e) => {
      e.preventDefault();
      const change: Record<string, unknown> = { role: rs.value, units: unitsOf(un.value) };
      if (pw.value) change.password = pw.value;
      api('PATCH', `/api/users/${encodeURIComponent(u.username)}`, change).then(
        () => accounts(section),
        (err: unknown) => showProblems(problems, [{ text: failureText(err) }]),
      );
    });
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, u.username),
      h('td', {}, tv('role', u.role)),
      h('td', {}, u.units.join(', ') || '—'),
      h('td', {}, u.disabled ? t('disabled') : t('enabled')),
      h('td', {}, dateTime(u.lastLoginAt)),
      h('td', {}, toggle, h('details', {}, h('summary', {}, `${t('resetPassword')} / ${t('role')}`), edit)),
    );
  };
  const table = h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, t('accounts')),
    h('thead', {}, h('tr', {}, th('colUsername'), th('colRole'), th('colUnits'), th('colState'), th('colLastLogin'), th('colActions'))),
    h('tbody', {}, users.items.map(rowFor)),
  );
  replace(section, h('h2', {}, t('accounts')), status, scroller(table), form);
}

async function tokens(section: HTMLElement): Promise<void> {
  const list = await api<{ items: TokenRow[] }>('GET', '/api/tokens');
  const problems = h('div', {});
  const shown = h('div', { role: 'status', 'aria-live': 'polite' });
  const role = roleSelect('token-role', 'inspector');
  const units = h('textarea', { id: 'token-units', rows: '2' });
  const label = h('input', { id: 'token-label', type: 'text' });
  const form = h('form', { class: 'panel' }, h('h3', {}, t('newToken')), problems, field(t('role'), role), field(t('units'), units, t('unitsHint')), field(t('tokenLabel'), label), h('button', { type: 'submit', class: 'button' }, t('create')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    api<{ token: string }>('POST', '/api/tokens', { role: role.value, units: unitsOf(units.value), label: label.value.trim() || null })
      .then(async (issued) => {
        await tokens(section);
        section.querySelector('[role=status]')?.replaceChildren(h('p', {}, t('tokenShown')), h('code', { class: 'token' }, issued.token));
      })
      .catch((err: unknown) => showProblems(problems, [{ text: failureText(err), field: 'token-role' }]));
  });
  const table = h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, t('tokens')),
    h('thead', {}, h('tr', {}, th('tokenLabel'), th('colRole'), th('colUnits'), th('colCreated'), th('colActions'))),
    h(
      'tbody',
      {},
      list.items.map((k) => {
        const revoke = h('button', { type: 'button', class: 'button warning' }, t('revoke'));
        revoke.addEventListener('click', () => {
          api('DELETE', `/api/tokens/${encodeURIComponent(k.id)}`).then(() => tokens(section), (err: unknown) => showProblems(problems, [{ text: failureText(err) }]));
        });
        return h('tr', {}, h('th', { scope: 'row' }, k.label ?? k.id), h('td', {}, tv('role', k.role)), h('td', {}, k.units.join(', ') || '—'), h('td', {}, dateTime(k.createdAt)), h('td', {}, revoke));
      }),
    ),
  );
  replace(section, h('h2', {}, t('tokens')), shown, list.items.length === 0 ? h('p', {}, t('noTokens')) : scroller(table), form);
}

async function trust(section: HTMLElement): Promise<void> {
  const list = await api<{ items: TrustRow[] }>('GET', '/api/trust');
  const table = h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, t('trustStore')),
    h('thead', {}, h('tr', {}, th('colSubject'), th('colKindCa'), th('caCategory'), th('colProvider'), th('colValidity'))),
    h(
      'tbody',
      {},
      list.items.map((c) => h('tr', {}, h('th', { scope: 'row' }, c.commonName ?? c.subject), h('td', {}, tv('kind', c.kind)), h('td', {}, tv('category', c.category)), h('td', {}, c.provider ?? '—'), h('td', {}, `${dateTime(c.notBefore)} – ${dateTime(c.notAfter)}`))),
    ),
  );
  replace(section, h('h2', {}, t('trustStore')), scroller(table));
}

async function exportsStatus(section: HTMLElement): Promise<void> {
  const s = await api<ExportsStatus>('GET', '/api/exports');
  if (!s.configured) {
    replace(section, h('h2', {}, t('exportsTitle')), h('p', {}, t('exportsOff')));
    return;
  }
  const table = h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, t('exportsTitle')),
    h('thead', {}, h('tr', {}, th('colName'), th('colTaken'))),
    h('tbody', {}, s.taken.map((x) => h('tr', {}, h('th', { scope: 'row' }, h('a', { href: `/lo/${encodeURIComponent(x.batchId)}` }, x.name)), h('td', {}, dateTime(x.takenAt))))),
  );
  replace(section, h('h2', {}, t('exportsTitle')), h('p', {}, t('exportsDir', { dir: s.dir ?? '', seconds: s.intervalSeconds, last: dateTime(s.lastScanAt) })), scroller(table));
}

export async function adminPage(ctx: PageContext): Promise<void> {
  const sections = [accounts, tokens, trust, exportsStatus].map((load) => {
    const section = h('section', { class: 'admin-section' }, loading());
    load(section).catch((err: unknown) => replace(section, errorPanel(err)));
    return section;
  });
  replace(ctx.main, heading(t('adminTitle')), h('p', {}, h('a', { href: '/quan-tri/don-vi' }, t('unitsLinkFromAdmin'))), ...sections);
}
