import type { ChangeRule } from './rule';
import { dictOfValue, nameIn } from '../values';
import type { RevisionContext } from '../context';

/** XRef streams and object streams are containers: their members are judged one by one. */
function ruleXrefStructure(ctx: RevisionContext): void {
  for (const num of ctx.written) {
    const type = nameIn(dictOfValue(ctx.cur(num)), 'Type');
    if (type !== 'XRef' && type !== 'ObjStm') continue;
    // A container may take a fresh number or replace an old xref stream; replacing an old object stream would
    // silently change the members earlier revisions still point into.
    if (ctx.isAdded(num) || nameIn(dictOfValue(ctx.old(num)), 'Type') === 'XRef') ctx.claim(num, 'rule_xref_structure');
  }
}

export const XREF_STRUCTURE: ChangeRule = { name: 'xref_structure', apply: ruleXrefStructure };
