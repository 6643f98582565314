import type { RevisionContext } from '../context';
import type { ChangeRule } from './rule';

/**
 * An update's xref section must tell the whole update. Objects its bytes define but its xref leaves out are what a
 * repairing reader shows and a trusting verifier would not see (the page swapped behind a miscounted subsection);
 * a definition against the xref shows two readers two documents; a section that contradicts itself cannot be
 * trusted to have listed everything. Each is a violation whatever the object is.
 */
function assertXrefTellsTheWholeUpdate(ctx: RevisionContext): void {
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

export const XREF_TELLS_THE_WHOLE_UPDATE: ChangeRule = { name: 'xref_tells_the_whole_update', apply: assertXrefTellsTheWholeUpdate };
