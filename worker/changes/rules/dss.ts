import { PdfStream, type PdfDict } from '../../pdf/objects';
import type { RevisionContext } from '../context';
import { dictOfValue, nameIn } from '../values';
import { walk } from './refs';
import type { ChangeRule } from './rule';

/**
 * DSS (ISO 32000-2 12.8.4.3): validation data a later revision adds — certificates, CRLs, OCSP responses, VRI
 * entries. Objects reachable from the new DSS are explained when they are fresh or were part of the old DSS.
 */
function ruleDss(ctx: RevisionContext, oldCat: PdfDict | null, newCat: PdfDict | null): void {
  const start = newCat?.get('DSS');
  if (start === undefined) return;
  let oldReach: Set<number> | null = null;
  const reachOld = (): Set<number> => {
    if (oldReach !== null) return oldReach;
    oldReach = new Set();
    walk(oldCat?.get('DSS'), (n) => ctx.doc.getObject(n, ctx.rev - 1)?.value ?? null, (n) => {
      oldReach!.add(n);
      return true;
    });
    return oldReach;
  };
  walk(start, (n) => ctx.cur(n), (n) => {
    if (!ctx.isWritten(n)) return true;
    if (ctx.isAdded(n) || (reachOld().has(n) && mayBeRewrittenAsDss(ctx, n))) ctx.claim(n, 'rule_dss_update');
    return ctx.isClaimed(n);
  });
}

/**
 * A DSS update rewrites the DSS dictionary, its arrays and VRI dictionaries; it never needs to rewrite a stream
 * (certificates, CRLs and OCSP responses are added, not edited) nor anything the pages use. Without this, a DSS
 * that merely lists an existing object (say the page content) would license overwriting it later.
 */
function mayBeRewrittenAsDss(ctx: RevisionContext, n: number): boolean {
  const old = ctx.old(n);
  if (old instanceof PdfStream) return false;
  if (ctx.roles('old').has(n)) return false;
  const d = dictOfValue(old);
  if (d !== null && ['FT', 'T', 'Kids', 'Parent', 'Subtype', 'Contents', 'Resources', 'AP'].some((k) => d.has(k))) return false;
  const type = d !== null ? nameIn(d, 'Type') : null;
  return type === null || type === 'DSS' || type === 'VRI';
}

export const DSS: ChangeRule = { name: 'dss_update', apply: (ctx) => {
    if (ctx.hasUnclaimed()) ruleDss(ctx, ctx.oldCatalog, ctx.newCatalog);
  },
};
