import type { RevisionContext } from '../context';
import type { ChangeRule } from './rule';

/** Freeing a number that was never in use changes nothing; freeing a live object hides it from every reader. */
function freedObjectsWereUnused(ctx: RevisionContext): void {
  for (const num of ctx.freed) {
    if (ctx.old(num) === null) continue;
    const d = ctx.describe(num, 'freed');
    ctx.violate({ object: num, change: 'freed', kind: d.kind, page: d.page, detail: d.detail });
  }
}

/** Whatever the rules before did not claim is a change nobody explained, named by what it is or was. */
function unexplainedIsViolation(ctx: RevisionContext): void {
  for (const num of ctx.written) {
    if (ctx.isClaimed(num) || ctx.isReported(num)) continue;
    const change = ctx.changeOf(num);
    const d = ctx.describe(num, change);
    ctx.violate({ object: num, change, kind: d.kind, page: d.page, detail: d.detail });
  }
}

export const FREED_OBJECTS_WERE_UNUSED: ChangeRule = { name: 'freed_objects_were_unused', apply: freedObjectsWereUnused };
export const UNEXPLAINED_IS_VIOLATION: ChangeRule = { name: 'unexplained_is_violation', apply: unexplainedIsViolation };
