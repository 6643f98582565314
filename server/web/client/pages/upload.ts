import { uploadForm } from '../api';
import { h, replace } from '../dom';
import { t } from '../i18n';
import type { UploadAnswer } from '../types';
import type { PageContext } from '../main';
import { failureText, field, heading, showProblems, type Problem } from '../ui';

/**
 * The clerk's upload: the documents and the register, by picker or dropped on the page; the upload's progress,
 * then the batch page, which follows the verification.
 */

function dropZone(input: HTMLInputElement, label: HTMLElement): HTMLDivElement {
  const zone = h('div', { class: 'drop-zone' });
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const files = (e as DragEvent).dataTransfer?.files;
    if (files && files.length > 0) {
      input.files = files;
      input.dispatchEvent(new Event('change'));
    }
  });
  zone.append(label);
  return zone;
}

export function uploadPage(ctx: PageContext): void {
  const problems = h('div', {});
  const files = h('input', { id: 'files', name: 'files', type: 'file', multiple: true, accept: '.pdf,.zip,application/pdf,application/zip' });
  const register = h('input', { id: 'register', name: 'register', type: 'file', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const chosen = h('p', { class: 'hint', 'aria-live': 'polite' });
  files.addEventListener('change', () => {
    chosen.textContent = files.files && files.files.length > 0 ? t('filesChosen', { count: files.files.length }) : '';
  });
  const button = h('button', { type: 'submit', class: 'button' }, t('checkButton'));
  const bar = h('progress', { max: '100', value: '0' });
  const barText = h('span', {});
  const progress = h('div', { class: 'progress', hidden: true, role: 'status', 'aria-live': 'polite' }, h('label', {}, t('uploading'), ' ', barText), bar);
  const form = h(
    'form',
    { method: 'post', action: '/tai-len', novalidate: true },
    dropZone(files, field(t('filesLabel'), files, t('filesHint'))),
    chosen,
    dropZone(register, field(t('registerLabel'), register, t('registerHint'))),
    button,
    progress,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const list = [...(files.files ?? [])];
    const reg = register.files?.[0] ?? null;
    const found: Problem[] = [];
    if (list.length === 0) found.push({ text: t('filesMissing'), field: 'files' });
    const wrong = list.find((f) => !/\.(pdf|zip)$/i.test(f.name));
    if (wrong) found.push({ text: t('filesWrongType', { name: wrong.name }), field: 'files' });
    if (reg && !/\.(csv|xlsx)$/i.test(reg.name)) found.push({ text: t('registerWrongType'), field: 'register' });
    showProblems(problems, found);
    if (found.length > 0) return;
    const body = new FormData();
    for (const f of list) body.append('files', f, f.name);
    if (reg) body.append('register', reg, reg.name);
    button.disabled = true;
    progress.hidden = false;
    uploadForm<UploadAnswer>('/api/batches', body, (loaded, total) => {
      const p = Math.round((loaded / total) * 100);
      bar.value = p;
      barText.textContent = `${p}%`;
    })
      .then((answer) => location.assign(`/lo/${encodeURIComponent(answer.id)}`))
      .catch((err: unknown) => {
        button.disabled = false;
        progress.hidden = true;
        showProblems(problems, [{ text: failureText(err), field: 'files' }]);
      });
  });
  replace(ctx.main, heading(t('uploadTitle')), problems, h('p', {}, t('uploadIntro')), form);
}
