import { api, ApiFailure } from '../api';
import { h, replace } from '../dom';
import { t } from '../i18n';
import type { SessionAnswer, SessionUser } from '../types';
import { failureText, field, heading, showProblems } from '../ui';

/** Where to go after signing in: a path of this site only (never `//elsewhere` or a full address). */
function nextPath(params: URLSearchParams): string {
  const next = params.get('next') ?? '/';
  return /^\/(?![/\\])/.test(next) && !next.startsWith('/dang-nhap') ? next : '/';
}

export function loginPage(main: HTMLElement, user: SessionUser | null, params: URLSearchParams): void {
  if (user) {
    location.replace(nextPath(params));
    return;
  }
  const problems = h('div', {});
  const username = h('input', { id: 'username', name: 'username', type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password' });
  const button = h('button', { type: 'submit', class: 'button' }, t('loginButton'));
  const form = h('form', { method: 'post', action: '/dang-nhap', novalidate: true }, field(t('username'), username), field(t('password'), password), button);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = username.value.trim();
    if (!name || !password.value) {
      showProblems(problems, [{ text: t('loginMissing'), field: !name ? 'username' : 'password' }]);
      return;
    }
    button.disabled = true;
    api<SessionAnswer>('POST', '/api/session', { username: name, password: password.value })
      .then(() => location.assign(nextPath(params)))
      .catch((err: unknown) => {
        button.disabled = false;
        password.value = '';
        let text = failureText(err);
        if (err instanceof ApiFailure && err.code === 'LOGIN_FAILED') text = t('loginFailed');
        if (err instanceof ApiFailure && err.code === 'LOGIN_THROTTLED') text = t('loginThrottled', { seconds: err.retryAfter ?? 60 });
        showProblems(problems, [{ text, field: 'password' }]);
      });
  });
  replace(main, h('div', { class: 'narrow' }, heading(t('loginTitle')), problems, form));
  username.focus();
}
