import { api, ApiFailure, setCsrf, signInPath } from './api';
import { h, replace } from './dom';
import { lang, setLang, t, tv } from './i18n';
import type { Role, SessionAnswer, SessionUser } from './types';
import { errorPanel, heading } from './ui';
import { adminPage } from './pages/admin';
import { batchPage } from './pages/batch';
import { batchesPage } from './pages/batches';
import { certificatesPage } from './pages/certificates';
import { dashboardPage } from './pages/dashboard';
import { documentPage } from './pages/document';
import { documentsPage } from './pages/documents';
import { loginPage } from './pages/login';
import { providersPage } from './pages/providers';
import { unitsPage } from './pages/units';
import { uploadPage } from './pages/upload';

/**
 * The client: asks who is signed in, draws the header for that person, then the page the path names. Links are
 * ordinary links (each page is loaded anew: the shell and its hashed assets come from the browser's cache).
 */

export interface PageContext {
  user: SessionUser;
  main: HTMLElement;
  params: URLSearchParams;
}

const HOME: Record<Role, string> = { clerk: '/tai-len', leader: '/tong-hop', inspector: '/nha-cung-cap', admin: '/quan-tri' };

const NAV: { path: string; key: Parameters<typeof t>[0]; roles: Role[] }[] = [
  { path: '/tai-len', key: 'navUpload', roles: ['clerk', 'admin'] },
  { path: '/lo', key: 'navBatches', roles: ['clerk', 'inspector', 'admin'] },
  { path: '/tong-hop', key: 'navDashboard', roles: ['leader', 'inspector', 'admin'] },
  { path: '/nha-cung-cap', key: 'navProviders', roles: ['inspector', 'leader', 'admin'] },
  { path: '/chung-thu', key: 'navCertificates', roles: ['inspector', 'admin'] },
  { path: '/quan-tri', key: 'navAdmin', roles: ['admin'] },
  { path: '/quan-tri/don-vi', key: 'navUnits', roles: ['admin'] },
];

function header(user: SessionUser | null): HTMLElement {
  const switchLang = h('button', { type: 'button', class: 'link-button', lang: lang() === 'vi' ? 'en' : 'vi' }, t('switchLang'));
  switchLang.addEventListener('click', () => {
    setLang(lang() === 'vi' ? 'en' : 'vi');
    location.reload();
  });
  const right: HTMLElement[] = [switchLang];
  if (user) {
    const out = h('button', { type: 'button', class: 'link-button' }, t('signOut'));
    out.addEventListener('click', () => {
      void api('DELETE', '/api/session')
        .catch(() => undefined)
        .then(() => location.assign('/dang-nhap'));
    });
    right.unshift(h('span', { class: 'who' }, t('signedInAs', { user: user.username, role: tv('role', user.role) })), out);
  }
  const links = user ? NAV.filter((n) => n.roles.includes(user.role)) : [];
  // The longest path that holds this page is the current one: /quan-tri/don-vi is the registry's link, not also Quản trị's.
  const current = links
    .filter((n) => location.pathname === n.path || location.pathname.startsWith(`${n.path}/`))
    .reduce<string | null>((best, n) => (best === null || n.path.length > best.length ? n.path : best), null);
  const nav = user
    ? h('nav', { 'aria-label': t('nav') }, h('ul', {}, links.map((n) => h('li', {}, h('a', { href: n.path, 'aria-current': n.path === current ? 'page' : null }, t(n.key))))))
    : null;
  return h(
    'header',
    { class: 'site-header' },
    h('a', { class: 'skip', href: '#main' }, t('skip')),
    h('div', { class: 'bar' }, h('a', { class: 'brand', href: '/' }, t('appName')), h('div', { class: 'tools' }, right)),
    nav,
  );
}

function message(main: HTMLElement, title: 'forbiddenTitle' | 'notFoundTitle', text: 'forbiddenText' | 'notFoundText'): void {
  replace(main, heading(t(title)), h('p', {}, t(text)), h('p', {}, h('a', { href: '/' }, t('backHome'))));
}

type Page = (ctx: PageContext, match: RegExpExecArray) => Promise<void> | void;

const ROUTES: [RegExp, Page][] = [
  [/^\/tai-len$/, uploadPage],
  [/^\/lo$/, batchesPage],
  [/^\/lo\/([A-Za-z0-9_-]+)$/, (ctx, m) => batchPage(ctx, m[1]!)],
  [/^\/van-ban$/, documentsPage],
  [/^\/van-ban\/([0-9a-fA-F]{64})$/, (ctx, m) => documentPage(ctx, m[1]!)],
  [/^\/tong-hop$/, dashboardPage],
  [/^\/nha-cung-cap$/, providersPage],
  [/^\/chung-thu$/, certificatesPage],
  [/^\/quan-tri$/, adminPage],
  [/^\/quan-tri\/don-vi$/, unitsPage],
];

async function session(): Promise<SessionAnswer | null> {
  try {
    return await api<SessionAnswer>('GET', '/api/session');
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) return null;
    throw err;
  }
}

async function boot(): Promise<void> {
  document.documentElement.lang = lang();
  const root = document.getElementById('app');
  if (!root) return;
  const forbidden = document.body.dataset.status === 'forbidden';
  const main = h('main', { id: 'main', tabindex: '-1' });
  let current: SessionAnswer | null;
  try {
    current = await session();
  } catch (err) {
    replace(root, header(null), main);
    replace(main, heading(t('errorTitle')), errorPanel(err));
    return;
  }
  const path = location.pathname;
  const params = new URLSearchParams(location.search);
  if (path === '/dang-nhap') {
    replace(root, header(current?.user ?? null), main);
    loginPage(main, current?.user ?? null, params);
    return;
  }
  if (!current) {
    location.replace(signInPath());
    return;
  }
  setCsrf(current.csrfToken);
  const user = current.user;
  replace(root, header(user), main);
  if (forbidden) {
    message(main, 'forbiddenTitle', 'forbiddenText');
    return;
  }
  if (path === '/') {
    location.replace(HOME[user.role]);
    return;
  }
  for (const [pattern, page] of ROUTES) {
    const m = pattern.exec(path);
    if (!m) continue;
    try {
      await page({ user, main, params }, m);
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 403) {
        message(main, 'forbiddenTitle', 'forbiddenText');
        return;
      }
      if (err instanceof ApiFailure && err.status === 404) {
        replace(main, heading(t('notFoundTitle')), errorPanel(err), h('p', {}, h('a', { href: '/' }, t('backHome'))));
        return;
      }
      replace(main, heading(t('errorTitle')), errorPanel(err));
    }
    return;
  }
  message(main, 'notFoundTitle', 'notFoundText');
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void boot());
else void boot();
