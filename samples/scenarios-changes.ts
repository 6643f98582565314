/**
 * Scenarios of the change analysis (worker/changes): what may and may not happen in the revisions after a
 * signature, each built with TRUE incremental updates on a two-layer (or one-layer) document of the test PKI.
 * `CHANGE_EXPECT` adds what the generic Scenario type cannot say: each signature's `changesAfter`, and words the
 * findings must contain so that an inspector can point at the change (object kind, page, annotation subtype).
 */
import { PdfFile } from './lib/pdf-reader';
import { addDss, addSignature, appendUpdate, makePageContent, makeStreamBody, nextObjectNumber } from './lib/pdf-writer';
import { arr, asRef, dget, dset, ref, serialize } from './lib/pdf-syntax';
import { addTextField, fillTextField } from './lib/form-fill';
import { documentTimestamp } from './lib/cms-pkijs';
import type { TestPki } from './lib/test-pki';
import {
  AGENCY_AT,
  LEADER_AT,
  documentLines,
  makeUnitDocument,
  signAgency,
  signLeader,
  type Scenario,
  type ScenarioExpect,
} from './scenarios';

export interface ChangeExpect {
  changesAfter: Array<'none' | 'allowed' | 'disallowed'>;
  /** Substrings (Vietnamese) that some finding's message must contain. */
  mentions?: string[];
}

export const CHANGE_EXPECT: Record<string, ChangeExpect> = {};

const S: Scenario[] = [];
const add = (s: Scenario, c: ChangeExpect): void => {
  S.push(s);
  CHANGE_EXPECT[s.name] = c;
};

export function base(pki: TestPki, u: number, seed: number, pages = 1): Buffer {
  return makeUnitDocument({ unit: u, so: 500 + seed, date: LEADER_AT, seed: 500 + seed, pages }, pki.units[u].name);
}

export function twoLayer(pki: TestPki, u: number, seed: number): Buffer {
  return signAgency(signLeader(base(pki, u, seed), pki.units[u].leader), pki.units[u].agency);
}

export const COMPLIANT: ScenarioExpect = {
  verdict: 'compliant',
  checks: { signed: true, twoLayer: true, governmentCa: true, intact: true, certificatesValid: true, strongAlgorithms: true },
};

/** Both signatures hold but an unsigned change follows them that no rule explains. */
export const CHANGED: ScenarioExpect = {
  verdict: 'noncompliant',
  checks: { signed: true, twoLayer: true, governmentCa: true, intact: false, certificatesValid: true },
  findings: ['MODIFIED_AFTER_SIGNING', 'DISALLOWED_CHANGE'],
};

/** Both signatures hold, and an update the rules can explain follows the last one — but it is no DSS or timestamp. */
export const CHANGED_AFTER_LAST: ScenarioExpect = {
  verdict: 'noncompliant',
  checks: { signed: true, twoLayer: true, governmentCa: true, intact: false, certificatesValid: true },
  findings: ['CHANGED_AFTER_LAST_SIGNATURE', 'DISALLOWED_CHANGE'],
};

/** The text field the form-filling scenarios fill: the document number box at the top of page 1. */
const FIELD = { name: 'SoVanBan', rect: [330, 760, 540, 790] as [number, number, number, number], value: '' };

/** A unit document that carries a text field before anyone signs it (a template with a form field). */
function withField(pki: TestPki, u: number, seed: number): Buffer {
  return addTextField(base(pki, u, seed), FIELD);
}

/** Adds an annotation dictionary to page `page` (0-based) in one update. */
function addAnnotation(pdf: Buffer, body: (pageNum: number) => string, page = 0): Buffer {
  const f = new PdfFile(pdf);
  const pageNum = f.pageNums()[page]!;
  const pd = f.dictOf(pageNum);
  const annot = f.size;
  const annots = dget(pd, 'Annots');
  dset(pd, 'Annots', arr([...(annots && annots.t === 'arr' ? annots.items : []), ref(annot)]));
  return appendUpdate(pdf, [
    { num: annot, body: body(pageNum) },
    { num: pageNum, body: serialize(pd) },
  ]);
}

/**
 * A signature field added by an unsigned update (no /V): `visible` gives it a rectangle and an appearance that
 * draws text over the page — the Sneaky Signature shape; invisible it is an empty placeholder for a later signer.
 */
function addEmptySignatureField(pdf: Buffer, visible: boolean): Buffer {
  const f = new PdfFile(pdf);
  const pageNum = f.pageNums()[0]!;
  const pd = f.dictOf(pageNum);
  const afRef = asRef(dget(f.dictOf(f.rootNum), 'AcroForm'));
  if (!afRef) throw new Error('no AcroForm object');
  const af = f.dictOf(afRef.num);
  const field = f.size;
  const ap = field + 1;
  const fields = dget(af, 'Fields');
  dset(af, 'Fields', arr([...(fields && fields.t === 'arr' ? fields.items : []), ref(field)]));
  const annots = dget(pd, 'Annots');
  dset(pd, 'Annots', arr([...(annots && annots.t === 'arr' ? annots.items : []), ref(field)]));
  const rect = visible ? '[60 700 540 760]' : '[0 0 0 0]';
  const draw = visible ? 'q 1 1 1 rg 0 0 480 60 re f Q BT /F1 18 Tf 10 20 Td (So: 999/GIA-MAO) Tj ET\n' : '';
  return appendUpdate(pdf, [
    {
      num: field,
      body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (ChuKyTrong) /F ${visible ? 4 : 132} /Rect ${rect} /P ${pageNum} 0 R /AP << /N ${ap} 0 R >> >>`,
    },
    { num: ap, body: makeStreamBody(`/Type /XObject /Subtype /Form /BBox [0 0 480 60] /Resources << /Font << /F1 3 0 R >> >>`, draw) },
    { num: afRef.num, body: serialize(af) },
    { num: pageNum, body: serialize(pd) },
  ]);
}

// Allowed -----------------------------------------------------------------------------------------------------------

add(
  {
    name: 'changes-two-layer-allowed',
    description: 'Ký 2 lớp: phiên bản của cơ quan chỉ thêm trường chữ ký, ô hiển thị, hình dấu và mục AcroForm, /Annots',
    expect: COMPLIANT,
    build: (pki) => twoLayer(pki, 0, 1),
  },
  { changesAfter: ['allowed', 'none'] },
);

add(
  {
    name: 'changes-dss-and-document-timestamp',
    description: 'Sau 2 lớp ký: bổ sung DSS rồi dấu thời gian tài liệu — đều được phép',
    expect: COMPLIANT,
    build: (pki) => {
      const u = pki.units[1];
      const withDss = addDss(twoLayer(pki, 1, 2), { certs: [u.leader.cert, u.agency.cert, pki.govSub.cert], crls: [pki.govSubCrl] });
      return addSignature(withDss, {
        fieldName: 'DauThoiGian',
        type: 'DocTimeStamp',
        sign: (b) => documentTimestamp(b, { tsa: pki.govTsa, genTime: new Date(AGENCY_AT.getTime() + 600_000) }),
      });
    },
  },
  { changesAfter: ['allowed', 'allowed', 'none'] },
);

add(
  {
    name: 'changes-dss-with-metadata',
    description: 'Sau 2 lớp ký: một lần cập nhật bổ sung DSS và làm mới siêu dữ liệu XMP, như công cụ LTV vẫn làm — được phép',
    expect: COMPLIANT,
    build: (pki) => {
      const u = pki.units[0];
      const withDss = addDss(twoLayer(pki, 0, 5), { certs: [u.leader.cert, u.agency.cert] });
      // A second DSS update that adds a certificate and refreshes the XMP metadata, in one update.
      const f = new PdfFile(withDss);
      const cat = f.dictOf(f.rootNum);
      const dssNum = asRef(dget(cat, 'DSS'))!.num;
      const dss = f.dictOf(dssNum);
      const cert = f.size;
      const meta = cert + 1;
      const certs = dget(dss, 'Certs');
      dset(dss, 'Certs', arr([...(certs && certs.t === 'arr' ? certs.items : []), ref(cert)]));
      dset(cat, 'Metadata', ref(meta));
      const xmp = '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"></x:xmpmeta><?xpacket end="w"?>';
      return appendUpdate(withDss, [
        { num: cert, body: makeStreamBody('', pki.govSub.cert) },
        { num: dssNum, body: serialize(dss) },
        { num: meta, body: makeStreamBody('/Type /Metadata /Subtype /XML', xmp) },
        { num: f.rootNum, body: serialize(cat) },
      ]);
    },
  },
  { changesAfter: ['allowed', 'allowed'] },
);

// Not intact: after the last signature only a DSS or a document timestamp may follow -------------------------------

add(
  {
    name: 'changes-xmp-metadata',
    description: 'Sau khi ký: chỉ cập nhật siêu dữ liệu XMP của tài liệu (catalog /Metadata) — không phải DSS hay dấu thời gian: không còn toàn vẹn',
    expect: CHANGED_AFTER_LAST,
    build: (pki) => {
      const pdf = twoLayer(pki, 2, 3);
      const f = new PdfFile(pdf);
      const cat = f.dictOf(f.rootNum);
      const meta = f.size;
      dset(cat, 'Metadata', ref(meta));
      const xmp = '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"></x:xmpmeta><?xpacket end="w"?>';
      return appendUpdate(pdf, [
        { num: meta, body: makeStreamBody('/Type /Metadata /Subtype /XML', xmp) },
        { num: f.rootNum, body: serialize(cat) },
      ]);
    },
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['siêu dữ liệu', 'không có chữ ký số nào xác nhận'] },
);

add(
  {
    name: 'changes-empty-invisible-signature-field',
    description: 'Sau khi ký: thêm một trường chữ ký trống, ẩn (chờ người ký sau) mà không ai ký tiếp — không còn toàn vẹn',
    expect: CHANGED_AFTER_LAST,
    build: (pki) => addEmptySignatureField(twoLayer(pki, 3, 4), false),
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['ô hiển thị của trường', 'trang 1'] },
);

add(
  {
    name: 'changes-form-fill-after-last-signature',
    description: 'Sau chữ ký cuối cùng: điền trường biểu mẫu (giá trị /V mới và hình hiển thị vẽ số văn bản khác lên trang), không có chữ ký chứng nhận',
    expect: CHANGED_AFTER_LAST,
    build: (pki) => {
      const u = pki.units[1];
      const signed = signAgency(signLeader(withField(pki, 1, 6), u.leader), u.agency);
      return fillTextField(signed, FIELD.name, 'So: 999/GIA-MAO');
    },
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['trường biểu mẫu', 'trang 1', '"So: 999/GIA-MAO"'] },
);

add(
  {
    name: 'changes-form-fill-after-certification-p2',
    description: 'Lãnh đạo ký chứng nhận DocMDP P=2 (cho phép điền biểu mẫu), sau đó trường được điền mà không ai ký: được phép theo DocMDP nhưng không được xác nhận — không còn toàn vẹn',
    expect: {
      verdict: 'noncompliant',
      checks: { signed: true, twoLayer: false, governmentCa: true, intact: false, certificatesValid: true },
      findings: ['CHANGE_PERMITTED_NOT_VOUCHED', 'UNVOUCHED_CHANGE'],
    },
    build: (pki) => {
      const u = pki.units[2];
      const certified = signLeader(withField(pki, 2, 7), u.leader, { field: { certify: 2 } });
      return fillTextField(certified, FIELD.name, 'So: 998/GIA-MAO');
    },
  },
  { changesAfter: ['allowed'], mentions: ['DocMDP P=2', 'không có chữ ký số nào xác nhận', 'trường biểu mẫu'] },
);

add(
  {
    name: 'changes-unreferenced-objects',
    description: 'Sau khi ký: một lần cập nhật chỉ thêm các đối tượng không ai tham chiếu (một luồng nội dung lớn và một từ điển)',
    expect: CHANGED_AFTER_LAST,
    build: (pki) => {
      const pdf = twoLayer(pki, 2, 8);
      const fake = documentLines({ unit: 2, so: 996, date: AGENCY_AT, summary: 'V/v noi dung thay the' }, pki.units[2].name);
      const big = Array.from({ length: 40 }, () => fake).flat();
      return appendUpdate(pdf, [{ body: makePageContent(big) }, { body: '<< /Type /Annot /Subtype /FreeText /Rect [0 0 500 100] /Contents (So: 995/GIA-MAO) >>' }]);
    },
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['không có chữ ký số nào xác nhận'] },
);

// Form filling between the two layers: vouched for by the agency's signature, unless the old appearance is overwritten

add(
  {
    name: 'changes-form-fill-between-layers',
    description: 'Lãnh đạo ký, văn thư điền trường biểu mẫu (hình hiển thị mới), rồi cơ quan ký: chữ ký cơ quan xác nhận nội dung đã điền — được phép',
    expect: COMPLIANT,
    build: (pki) => {
      const u = pki.units[3];
      const filled = fillTextField(signLeader(withField(pki, 3, 9), u.leader), FIELD.name, 'So: 509/UBND');
      return signAgency(filled, u.agency);
    },
  },
  { changesAfter: ['allowed', 'none'] },
);

add(
  {
    name: 'changes-form-fill-overwrites-appearance',
    description: 'Giữa hai lớp ký: điền trường biểu mẫu nhưng ghi đè tại chỗ hình hiển thị cũ của trường thay vì tạo hình mới — không được phép',
    expect: { verdict: 'noncompliant', checks: { signed: true, twoLayer: true, intact: false }, findings: ['DISALLOWED_CHANGE'] },
    build: (pki) => {
      const u = pki.units[0];
      const filled = fillTextField(signLeader(withField(pki, 0, 20), u.leader), FIELD.name, 'So: 520/GIA-MAO', { overwriteAppearance: true });
      return signAgency(filled, u.agency);
    },
  },
  { changesAfter: ['disallowed', 'none'], mentions: ['hình hiển thị của trường', 'ghi đè tại chỗ'] },
);

// Disallowed ------------------------------------------------------------------------------------------------------

add(
  {
    name: 'changes-freetext-after-agency',
    description: 'Sau chữ ký cơ quan: bản cập nhật không ký thêm chú thích FreeText che số văn bản',
    expect: CHANGED,
    build: (pki) =>
      addAnnotation(
        twoLayer(pki, 0, 10),
        (p) => `<< /Type /Annot /Subtype /FreeText /Rect [55 690 540 760] /F 4 /P ${p} 0 R /DA (/Helv 14 Tf 1 0 0 rg) /Contents (So: 999/GIA-MAO) >>`,
      ),
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['/FreeText', 'trang 1', 'chú thích'] },
);

add(
  {
    name: 'changes-stamp-between-layers',
    description: 'Giữa hai lớp ký: bản cập nhật không ký thêm chú thích Stamp; cơ quan ký sau đó',
    expect: { verdict: 'noncompliant', checks: { signed: true, intact: false }, findings: ['DISALLOWED_CHANGE'] },
    build: (pki) => {
      const u = pki.units[1];
      const leader = signLeader(base(pki, 1, 11), u.leader);
      const stamped = addAnnotation(leader, (p) => `<< /Type /Annot /Subtype /Stamp /Name /Approved /Rect [300 300 500 360] /F 4 /P ${p} 0 R >>`);
      return signAgency(stamped, u.agency);
    },
  },
  { changesAfter: ['disallowed', 'none'], mentions: ['/Stamp'] },
);

add(
  {
    name: 'changes-page-content-override',
    description: 'Sau khi ký: ghi đè luồng nội dung trang 1 (Incremental Saving)',
    expect: CHANGED,
    build: (pki) => {
      const pdf = twoLayer(pki, 2, 12);
      const f = new PdfFile(pdf);
      const content = asRef(dget(f.dictOf(f.pageNums()[0]!), 'Contents'))!.num;
      const fake = documentLines({ unit: 2, so: 999, date: AGENCY_AT, summary: 'V/v noi dung da bi thay doi' }, pki.units[2].name);
      return appendUpdate(pdf, [{ num: content, body: makePageContent(fake) }]);
    },
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['ghi đè nội dung trang', 'trang 1'] },
);

add(
  {
    name: 'changes-font-override',
    description: 'Sau khi ký: ghi đè phông chữ của trang (đổi cách hiển thị chữ)',
    expect: CHANGED,
    build: (pki) =>
      appendUpdate(twoLayer(pki, 3, 13), [{ num: 3, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>' }]),
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['phông chữ', 'obj 3'] },
);

add(
  {
    name: 'changes-new-page',
    description: 'Sau khi ký: thêm một trang mới vào cây trang',
    expect: CHANGED,
    build: (pki) => {
      const pdf = twoLayer(pki, 0, 14);
      const f = new PdfFile(pdf);
      const pagesNum = asRef(dget(f.dictOf(f.rootNum), 'Pages'))!.num;
      const pages = f.dictOf(pagesNum);
      const page = f.size;
      const kids = dget(pages, 'Kids');
      dset(pages, 'Kids', arr([...(kids && kids.t === 'arr' ? kids.items : []), ref(page)]));
      dset(pages, 'Count', { t: 'num', raw: '2' });
      return appendUpdate(pdf, [
        { num: page, body: `<< /Type /Page /Parent ${pagesNum} 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 3 0 R >> >> /Contents ${page + 1} 0 R >>` },
        { num: page + 1, body: makePageContent(['PHU LUC BO SUNG SAU KHI KY']) },
        { num: pagesNum, body: serialize(pages) },
      ]);
    },
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['trang mới', 'cây trang'] },
);

add(
  {
    name: 'changes-freed-object',
    description: 'Sau khi ký: đánh dấu xóa (free) hình con dấu của cơ quan',
    expect: CHANGED,
    build: (pki) => {
      const pdf = twoLayer(pki, 1, 15);
      const f = new PdfFile(pdf);
      const widget = f.signatureFields().find((s) => s.field === 'ChuKyCoQuan')!.fieldNum;
      const ap = dget(f.dictOf(widget), 'AP');
      if (!ap || ap.t !== 'dict') throw new Error('the agency widget has no inline /AP');
      return appendUpdate(pdf, [], { freed: [asRef(dget(ap, 'N'))!.num] });
    },
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['xóa (giải phóng)'] },
);

add(
  {
    name: 'changes-catalog-freed',
    description: 'Sau khi ký: một lần cập nhật chỉ đánh dấu xóa (free) danh mục tài liệu và vài đối tượng đầu — trình đọc dựng lại tệp bằng cách quét, nhưng đó vẫn là thay đổi sau khi ký',
    expect: CHANGED,
    build: (pki) => {
      const pdf = twoLayer(pki, 0, 43);
      const root = new PdfFile(pdf).rootNum;
      return appendUpdate(pdf, [], { freed: [root, root + 1, root + 2, root + 3, root + 4] });
    },
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['xóa (giải phóng)', 'danh mục tài liệu'] },
);

add(
  {
    name: 'changes-catalog-openaction',
    description: 'Sau khi ký: thêm /OpenAction vào danh mục tài liệu (catalog)',
    expect: CHANGED,
    build: (pki) => {
      const pdf = twoLayer(pki, 2, 16);
      const f = new PdfFile(pdf);
      const cat = f.dictOf(f.rootNum);
      const action = f.size;
      dset(cat, 'OpenAction', ref(action));
      return appendUpdate(pdf, [
        { num: action, body: '<< /S /URI /URI (http://example.invalid/) >>' },
        { num: f.rootNum, body: serialize(cat) },
      ]);
    },
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['/OpenAction', 'catalog'] },
);

add(
  {
    name: 'changes-dss-hijack-page-content',
    description: 'Sau khi ký: DSS liệt kê luồng nội dung trang 1 làm "chứng thư", lần cập nhật sau ghi đè nó dưới danh nghĩa cập nhật DSS',
    expect: CHANGED,
    build: (pki) => {
      const pdf = twoLayer(pki, 3, 41);
      const f = new PdfFile(pdf);
      const content = asRef(dget(f.dictOf(f.pageNums()[0]!), 'Contents'))!.num;
      const cat = f.dictOf(f.rootNum);
      const dssNum = f.size;
      dset(cat, 'DSS', ref(dssNum));
      // First a DSS whose /Certs names the page content stream (nothing is overwritten yet) …
      const withDss = appendUpdate(pdf, [
        { num: dssNum, body: `<< /Certs [${content} 0 R] >>` },
        { num: f.rootNum, body: serialize(cat) },
      ]);
      // … then a "DSS update" that rewrites the DSS and, with it, the page content the DSS points at.
      const fake = documentLines({ unit: 3, so: 998, date: AGENCY_AT, summary: 'V/v noi dung da bi thay doi' }, pki.units[3].name);
      return appendUpdate(withDss, [
        { num: dssNum, body: `<< /Certs [${content} 0 R] /CRLs [] >>` },
        { num: content, body: makePageContent(fake) },
      ]);
    },
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['trang 1'] },
);

add(
  {
    name: 'changes-dss-hijack-page-dictionary',
    description: 'Sau khi ký: DSS liệt kê từ điển trang 1, lần cập nhật sau thay /Contents của trang dưới danh nghĩa cập nhật DSS',
    expect: CHANGED,
    build: (pki) => {
      const pdf = twoLayer(pki, 3, 42);
      const f = new PdfFile(pdf);
      const pageNum = f.pageNums()[0]!;
      const cat = f.dictOf(f.rootNum);
      const dssNum = f.size;
      dset(cat, 'DSS', ref(dssNum));
      const withDss = appendUpdate(pdf, [
        { num: dssNum, body: `<< /VRI << /ABC ${pageNum} 0 R >> >>` },
        { num: f.rootNum, body: serialize(cat) },
      ]);
      // The page dictionary is "reachable from the old DSS"; rewriting it must still be a page change.
      const page = new PdfFile(withDss).dictOf(pageNum);
      const contentNum = new PdfFile(withDss).size;
      dset(page, 'Contents', ref(contentNum));
      const fake = documentLines({ unit: 3, so: 997, date: AGENCY_AT, summary: 'V/v noi dung da bi thay doi' }, pki.units[3].name);
      return appendUpdate(withDss, [
        { num: dssNum, body: `<< /VRI << /ABC ${pageNum} 0 R >> /CRLs [] >>` },
        { num: pageNum, body: serialize(page) },
        { num: contentNum, body: makePageContent(fake) },
      ]);
    },
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['trang 1'] },
);

add(
  {
    name: 'changes-visible-unsigned-signature-field',
    description: 'Sneaky Signature: sau khi ký, thêm trường chữ ký hiển thị (không ký) vẽ số văn bản giả lên trang',
    expect: CHANGED,
    build: (pki) => addEmptySignatureField(twoLayer(pki, 3, 17), true),
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['trường chữ ký'] },
);

add(
  {
    name: 'changes-added-then-hidden',
    description: 'Một bản cập nhật thêm chú thích, bản sau gỡ nó khỏi trang: cả hai lần đều bị phát hiện',
    expect: CHANGED,
    build: (pki) => {
      const signed = twoLayer(pki, 0, 18);
      const before = new PdfFile(signed);
      const pageNum = before.pageNums()[0]!;
      const original = before.dictOf(pageNum);
      const withAnnot = addAnnotation(signed, (p) => `<< /Type /Annot /Subtype /Square /Rect [55 690 540 760] /F 4 /P ${p} 0 R /IC [1 1 1] >>`);
      return appendUpdate(withAnnot, [{ num: pageNum, body: serialize(original) }]);
    },
  },
  { changesAfter: ['disallowed', 'disallowed'], mentions: ['/Square', 'gỡ khỏi trang'] },
);

add(
  {
    name: 'changes-certified-p1-then-agency',
    description: 'Lãnh đạo ký chứng nhận DocMDP P=1 (không cho thay đổi), cơ quan vẫn ký thêm: thay đổi không được phép',
    expect: { verdict: 'noncompliant', checks: { signed: true, intact: false }, findings: ['SIGNATURE_REVISION_EXTRA_CHANGES', 'DISALLOWED_CHANGE'] },
    build: (pki) => {
      const u = pki.units[2];
      return signAgency(signLeader(base(pki, 2, 19), u.leader, { field: { certify: 1 } }), u.agency);
    },
  },
  { changesAfter: ['disallowed', 'none'], mentions: ['P=1'] },
);

// ND 30 appearance (warnings only) ----------------------------------------------------------------------------------

add(
  {
    name: 'appearance-seal-misplaced',
    description: 'Dấu của cơ quan đặt xa chữ ký lãnh đạo (không trùm 1/3 bên trái): cảnh báo, vẫn hợp lệ',
    expect: { ...COMPLIANT, findings: ['AGENCY_SEAL_NOT_OVER_LEADER'] },
    build: (pki) => {
      const u = pki.units[3];
      return signAgency(signLeader(base(pki, 3, 30), u.leader), u.agency, { field: { rect: [60, 60, 168, 168] } });
    },
  },
  { changesAfter: ['allowed', 'none'] },
);

add(
  {
    name: 'appearance-leader-without-image',
    description: 'Chữ ký lãnh đạo không có hình ảnh chữ ký: cảnh báo, vẫn hợp lệ',
    expect: { ...COMPLIANT, findings: ['LEADER_SIGNATURE_NO_IMAGE'] },
    build: (pki) => {
      const u = pki.units[0];
      return signAgency(signLeader(base(pki, 0, 31), u.leader, { field: { image: null } }), u.agency);
    },
  },
  { changesAfter: ['allowed', 'none'] },
);

add(
  {
    name: 'appearance-attachment-with-seal',
    description: 'Tệp đính kèm chỉ có chữ ký cơ quan nhưng lại kèm hình dấu: cảnh báo',
    expect: { verdict: 'noncompliant', checks: { signed: true, twoLayer: false, intact: true }, findings: ['ATTACHMENT_SIGNATURE_HAS_IMAGE'] },
    build: (pki) => signAgency(base(pki, 1, 32), pki.units[1].agency),
  },
  { changesAfter: ['none'] },
);

add(
  {
    name: 'appearance-attachment-without-image',
    description: 'Tệp đính kèm chỉ có chữ ký cơ quan, không hình ảnh: đúng Phụ lục I (không cảnh báo hình ảnh)',
    expect: { verdict: 'noncompliant', checks: { signed: true, twoLayer: false, intact: true } },
    build: (pki) => signAgency(base(pki, 2, 33), pki.units[2].agency, { field: { image: null } }),
  },
  { changesAfter: ['none'] },
);

export const CHANGE_SCENARIOS: Scenario[] = S;

/** The next object number of a file, re-exported for tests that extend a scenario by hand. */
export { nextObjectNumber };
