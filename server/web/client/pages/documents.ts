import { replace } from '../dom';
import { t } from '../i18n';
import type { PageContext } from '../main';
import { documentsTable } from '../documents-table';
import { heading } from '../ui';

/** Documents across batches for a month range (a cell of the providers matrix opens this). */
export function documentsPage(ctx: PageContext): void {
  const fixed: Record<string, string> = {};
  for (const k of ['from', 'to', 'category']) {
    const v = ctx.params.get(k);
    if (v) fixed[k] = v;
  }
  const unit = ctx.params.get('unit');
  const provider = ctx.params.get('provider');
  replace(
    ctx.main,
    heading(t('documentsTitle')),
    documentsTable({ endpoint: '/api/documents', fixed, params: ctx.params, units: unit ? [unit] : [], providers: provider ? [provider] : [], codes: [] }).element,
  );
}
