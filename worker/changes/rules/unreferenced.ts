import { PdfStream, type PdfValue } from '../../pdf/objects';
import type { RevisionContext } from '../context';
import { walk } from './refs';
import type { ChangeRule } from './rule';

/**
 * An object this revision adds that nothing points at — no object of this revision, nor the catalog, AcroForm
 * or any page structure as of this revision — is never read by a viewer (writers leave such orphans: iText's old
 * appearance copies, an unlinked VRI). A later revision that links it has to write the link, and is judged then.
 */
function ruleUnreferencedNewObject(ctx: RevisionContext): void {
  const pending = [...ctx.written].filter((n) => ctx.isAdded(n) && !ctx.isClaimed(n) && !ctx.isReported(n));
  if (pending.length === 0) return;
  const referenced = new Set<number>();
  const note = (v: PdfValue | undefined): void => {
    walk(v, () => null, (n) => {
      referenced.add(n);
      return false;
    });
  };
  for (const n of ctx.written) {
    const v = ctx.cur(n);
    note(v instanceof PdfStream ? v.dict : v);
  }
  const catalog = ctx.doc.catalog(ctx.rev);
  note(catalog);
  note(ctx.resolveNew(catalog?.get('AcroForm')));
  note(ctx.doc.trailer(ctx.rev));
  const roles = ctx.roles('new');
  for (const n of pending) if (!referenced.has(n) && !roles.has(n)) ctx.claim(n, 'rule_unreferenced_new_object');
}

export const UNREFERENCED_NEW_OBJECT: ChangeRule = { name: 'unreferenced_new_object', apply: (ctx) => {
    if (ctx.hasUnclaimed()) ruleUnreferencedNewObject(ctx);
  },
};
