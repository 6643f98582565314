import type { RevisionContext } from '../context';
import { sameValue } from '../values';
import type { ChangeRule } from './rule';

/**
 * Keys a later trailer may change: the xref bookkeeping, the file identifier, and the catalog and document
 * information, whose objects the catalog and metadata rules judge; and two writers' private keys no reader renders
 * from — Adobe's /DocChecksum and LibreOffice's /AdditionalStreams (the editable source of a hybrid PDF), both
 * rewritten on every save. /Encrypt is not here: changing how the file is decrypted changes every string and
 * stream the signed revisions hold.
 */
const TRAILER_KEYS_THAT_MAY_CHANGE = new Set([
  'Size', 'Prev', 'Root', 'Info', 'ID', 'XRefStm', 'Type', 'W', 'Index', 'Length', 'Filter', 'DecodeParms', 'DocChecksum', 'AdditionalStreams',
]);

/** A trailer may change only its bookkeeping; anything else it adds, drops or redirects is unexplained. */
function ruleTrailer(ctx: RevisionContext): void {
  const before = ctx.doc.trailer(ctx.rev - 1);
  const after = ctx.doc.trailer(ctx.rev);
  const keys = new Set([...before.keys(), ...after.keys()]);
  const changed = [...keys].filter((k) => !TRAILER_KEYS_THAT_MAY_CHANGE.has(k) && !sameValue(ctx.doc, before.get(k), after.get(k)));
  if (changed.length === 0) return;
  const list = changed.map((k) => `/${k}`).join(' ');
  ctx.violate({ object: null, change: 'modified', kind: 'trailer', page: null, detail: list, detailEn: list });
}

export const TRAILER: ChangeRule = { name: 'trailer_bookkeeping_only', apply: ruleTrailer };
