import type { RevisionContext } from './context';
import { sameValue } from './values';

/**
 * Rules about the file structure of an update rather than its objects: what its xref section says and what its
 * trailer changes. They run before the object rules, so that nothing an update hides or redirects can be
 * explained away as an ordinary change.
 */

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

/**
 * An update's xref section must tell the whole update. Objects its bytes define but its xref leaves out are what a
 * repairing reader shows and a trusting verifier would not see (the page swapped behind a miscounted subsection);
 * a definition against the xref shows two readers two documents; a section that contradicts itself cannot be
 * trusted to have listed everything. Each is a violation whatever the object is.
 */
export function assertXrefTellsTheWholeUpdate(ctx: RevisionContext): void {
  const info = ctx.doc.revisions[ctx.rev]!;
  for (const damage of info.xrefDamage) {
    ctx.violate({
      object: null,
      change: 'added',
      kind: 'xref',
      page: null,
      detail: `bảng xref của lần cập nhật tự mâu thuẫn (${damage}): có thể che giấu đối tượng`,
      detailEn: `the update's xref section contradicts itself (${damage}): it may hide objects`,
    });
  }
  for (const num of info.unlisted) {
    const change = ctx.changeOf(num);
    const d = ctx.describe(num, change);
    ctx.violate({
      object: num,
      change,
      kind: d.kind,
      page: d.page,
      detail: 'không có trong bảng xref của lần cập nhật, nhưng trình đọc sửa lỗi (quét tệp) vẫn hiển thị',
      detailEn: "not listed in the update's xref, yet a repairing reader (scanning the file) shows it",
    });
  }
  for (const num of info.conflicting) {
    const d = ctx.describe(num, ctx.changeOf(num));
    ctx.violate({
      object: num,
      change: 'modified',
      kind: d.kind,
      page: d.page,
      detail: 'được định nghĩa thêm một lần trong lần cập nhật, trái với bảng xref: hai trình đọc sẽ hiển thị hai nội dung khác nhau',
      detailEn: 'defined once more in the update, against its xref: two readers would show two different objects',
    });
  }
}

/** A trailer may change only its bookkeeping; anything else it adds, drops or redirects is unexplained. */
export function ruleTrailer(ctx: RevisionContext): void {
  const before = ctx.doc.trailer(ctx.rev - 1);
  const after = ctx.doc.trailer(ctx.rev);
  const keys = new Set([...before.keys(), ...after.keys()]);
  const changed = [...keys].filter((k) => !TRAILER_KEYS_THAT_MAY_CHANGE.has(k) && !sameValue(ctx.doc, before.get(k), after.get(k)));
  if (changed.length === 0) return;
  const list = changed.map((k) => `/${k}`).join(' ');
  ctx.violate({ object: null, change: 'modified', kind: 'trailer', page: null, detail: list, detailEn: list });
}
