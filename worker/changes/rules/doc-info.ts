import { PdfDict } from '../../pdf/objects';
import type { RevisionContext } from '../context';
import { refNum, trailerRef } from './refs';
import type { ChangeRule } from './rule';

/** The trailer's document information dictionary (title, producer, dates): shown as properties, never on a page. */
function ruleDocInfo(ctx: RevisionContext): void {
  const num = refNum(trailerRef(ctx, 'Info', ctx.rev));
  if (num === null || !ctx.isWritten(num)) return;
  if (!(ctx.cur(num) instanceof PdfDict)) return;
  if (ctx.isAdded(num) || refNum(trailerRef(ctx, 'Info', ctx.rev - 1)) === num) {
    ctx.claim(num, 'rule_doc_info');
    ctx.claimAddedTree(ctx.cur(num), 'rule_doc_info');
  }
}

export const DOC_INFO: ChangeRule = { name: 'doc_info', apply: ruleDocInfo };
