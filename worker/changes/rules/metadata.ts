import { PdfStream, type PdfDict } from '../../pdf/objects';
import type { RevisionContext } from '../context';
import { dictOfValue, nameIn } from '../values';
import { refNum } from './refs';
import type { ChangeRule } from './rule';

/** XMP metadata of the catalog: a new stream, or the old metadata stream rewritten. */
function ruleMetadata(ctx: RevisionContext, oldCat: PdfDict | null, newCat: PdfDict | null): void {
  const num = refNum(newCat?.get('Metadata'));
  if (num === null || !ctx.isWritten(num)) return;
  const v = ctx.cur(num);
  const d = dictOfValue(v);
  if (!(v instanceof PdfStream) || (nameIn(d, 'Type') !== 'Metadata' && nameIn(d, 'Subtype') !== 'XML')) return;
  if (ctx.isAdded(num) || refNum(oldCat?.get('Metadata')) === num) ctx.claim(num, 'rule_metadata_stream');
}

export const METADATA: ChangeRule = { name: 'metadata_stream', apply: (ctx) => ruleMetadata(ctx, ctx.oldCatalog, ctx.newCatalog) };
