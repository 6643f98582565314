/**
 * Changes after signing hidden from a verifier that trusts the cross-reference: page 1's content replaced in an
 * update whose xref section miscounts, stays silent, claims ten million rows, is skipped by the next update's
 * /Prev, or lists an object stream but not the member it carries. A repairing reader (poppler, qpdf) rebuilds the
 * xref and shows the new page; kiemky must read the update the same way and call the document changed.
 */
import { PdfFile } from './lib/pdf-reader';
import { appendUpdate, makePageContent } from './lib/pdf-writer';
import { appendObjectStreamHidingMembers, appendWithHandWrittenXref, FREE_HEAD, inUse } from './lib/raw-update';
import { asRef, dget, dset, ref, serialize } from './lib/pdf-syntax';
import type { TestPki } from './lib/test-pki';
import { AGENCY_AT, documentLines, type Scenario, type ScenarioExpect } from './scenarios';
import { twoLayer, type ChangeExpect } from './scenarios-changes';

export const HIDDEN_EXPECT: Record<string, ChangeExpect> = {};
const S: Scenario[] = [];
const add = (s: Scenario, c: ChangeExpect): void => {
  S.push(s);
  HIDDEN_EXPECT[s.name] = c;
};

/** Both signatures hold; an update the xref hides from view follows them. */
const HIDDEN: ScenarioExpect = {
  verdict: 'noncompliant',
  checks: { signed: true, twoLayer: true, governmentCa: true, intact: false, certificatesValid: true },
  findings: ['DISALLOWED_CHANGE'],
};

/** Where the hidden object is named: the page content it replaces, and that the xref did not list it. */
const NAMED: ChangeExpect = { changesAfter: ['disallowed', 'disallowed'], mentions: ['nội dung trang', 'trang 1', 'không có trong bảng xref'] };

/**
 * A signed two-layer document, the number of page 1's content stream, a forged replacement for it, and the cover
 * the forgery hides behind: an update that adds a DSS (alone, a change that leaves the document intact), with the
 * catalog that points at it.
 */
function target(pki: TestPki, u: number, seed: number, so: number) {
  const pdf = twoLayer(pki, u, seed);
  const f = new PdfFile(pdf);
  const content = asRef(dget(f.dictOf(f.pageNums()[0]!), 'Contents'))!.num;
  const fake = makePageContent(documentLines({ unit: u, so, date: AGENCY_AT, summary: 'V/v noi dung da bi thay doi' }, pki.units[u].name));
  const catalog = f.dictOf(f.rootNum);
  const dss = f.size;
  dset(catalog, 'DSS', ref(dss));
  const cover = [
    { num: dss, body: '<< /Certs [] /CRLs [] /OCSPs [] >>' },
    { num: f.rootNum, body: serialize(catalog) },
  ];
  return { pdf, content, fake, dss, cat: f.rootNum, cover };
}

add(
  {
    name: 'hidden-xref-short-subsection',
    description: 'Sau khi ký: một lần cập nhật "bổ sung DSS" có mục xref khai 2 dòng nhưng chỉ có 1 — nội dung trang 1 bị thay mà không được liệt kê',
    expect: HIDDEN,
    build: (pki) => {
      const t = target(pki, 0, 60, 960);
      return appendWithHandWrittenXref(t.pdf, [...t.cover, { num: t.content, body: t.fake }], {
        table: (o) => `${FREE_HEAD}${t.cat} 1\n${inUse(o, t.cat)}${t.dss} 2\n${inUse(o, t.dss)}`,
      });
    },
  },
  NAMED,
);

add(
  {
    name: 'hidden-xref-empty-subsection',
    description: 'Sau khi ký: một lần cập nhật "bổ sung DSS" có tiêu đề mục xref cho nội dung trang 1 mà không có dòng nào — nội dung bị thay',
    expect: HIDDEN,
    build: (pki) => {
      const t = target(pki, 1, 61, 961);
      return appendWithHandWrittenXref(t.pdf, [...t.cover, { num: t.content, body: t.fake }], {
        table: (o) => `${FREE_HEAD}${t.cat} 1\n${inUse(o, t.cat)}${t.dss} 1\n${inUse(o, t.dss)}${t.content} 1\n`,
      });
    },
  },
  NAMED,
);

add(
  {
    name: 'hidden-xref-ten-million-rows',
    description: 'Sau khi ký: một lần cập nhật "bổ sung DSS" có mục xref khai 10.000.000 dòng — nội dung trang 1 bị thay mà không được liệt kê',
    expect: HIDDEN,
    build: (pki) => {
      const t = target(pki, 2, 62, 962);
      return appendWithHandWrittenXref(t.pdf, [{ num: t.content, body: t.fake }, ...t.cover], {
        table: (o) => `${FREE_HEAD}${t.cat} 1\n${inUse(o, t.cat)}${t.dss} 10000000\n${inUse(o, t.dss)}`,
      });
    },
  },
  NAMED,
);

add(
  {
    name: 'hidden-prev-skips-update',
    description: 'Sau khi ký: một lần cập nhật thay nội dung trang 1, lần cập nhật "bổ sung DSS" sau đó có /Prev bỏ qua nó (chuỗi xref không đi qua bản thay thế)',
    expect: HIDDEN,
    build: (pki) => {
      const t = target(pki, 3, 63, 963);
      const skipped = new PdfFile(t.pdf).sections[0].offset;
      const replaced = appendUpdate(t.pdf, [{ num: t.content, body: t.fake }]);
      return appendWithHandWrittenXref(replaced, t.cover, {
        table: (o) => `${FREE_HEAD}${t.cat} 1\n${inUse(o, t.cat)}${t.dss} 1\n${inUse(o, t.dss)}`,
        prev: skipped,
      });
    },
  },
  NAMED,
);

add(
  {
    name: 'hidden-object-stream-member',
    description: 'Sau khi ký: phông chữ của trang bị thay bằng một đối tượng nằm trong luồng đối tượng (ObjStm) mà xref stream không liệt kê',
    expect: HIDDEN,
    build: (pki) => {
      const pdf = twoLayer(pki, 0, 64);
      return appendObjectStreamHidingMembers(pdf, [{ num: 3, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>' }]);
    },
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['phông chữ', 'không có trong bảng xref'] },
);

export const HIDDEN_SCENARIOS: Scenario[] = S;
