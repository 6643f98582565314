import type { ChangeKind, ChangeType, ChangeViolation } from '../changes/types';

/** How an inspector names each kind of object, in Vietnamese and English. */
const KIND: Record<ChangeKind, [string, string]> = {
  'page-content': ['nội dung trang', 'page content'],
  page: ['thông tin trang', 'page dictionary'],
  'page-resources': ['tài nguyên trang (phông chữ, hình ảnh)', 'page resources'],
  'page-tree': ['cây trang', 'page tree'],
  'new-page': ['trang mới', 'new page'],
  annotation: ['chú thích', 'annotation'],
  'annotations-array': ['danh sách chú thích của trang', 'page annotation list'],
  font: ['phông chữ', 'font'],
  image: ['hình ảnh', 'image'],
  'form-xobject': ['đối tượng đồ họa', 'form XObject'],
  widget: ['ô hiển thị của trường', 'widget'],
  'widget-appearance': ['hình hiển thị của trường', 'widget appearance'],
  'form-field': ['trường biểu mẫu', 'form field'],
  'signature-field': ['trường chữ ký', 'signature field'],
  'signature-dictionary': ['thông tin chữ ký', 'signature dictionary'],
  catalog: ['danh mục tài liệu', 'document catalog'],
  acroform: ['biểu mẫu', 'AcroForm'],
  dss: ['kho dữ liệu kiểm tra (DSS)', 'DSS'],
  metadata: ['siêu dữ liệu', 'metadata'],
  'object-stream': ['luồng đối tượng', 'object stream'],
  stream: ['luồng dữ liệu', 'stream'],
  xref: ['bảng tham chiếu chéo', 'cross-reference section'],
  trailer: ['phần kết của tệp', 'file trailer'],
  object: ['đối tượng', 'object'],
};

const CHANGE: Record<ChangeType, [string, string]> = {
  added: ['thêm', 'added'],
  modified: ['ghi đè', 'overridden'],
  freed: ['xóa (giải phóng)', 'freed'],
};

/**
 * "ghi đè nội dung trang (trang 1)" and its English twin for people, and for IT the object and the keys concerned
 * ("obj 7: /Contents"): object numbers and PDF key names stay out of what a clerk reads.
 */
export function describeViolation(v: ChangeViolation): { vi: string; en: string; detail: string } {
  const [kindVi, kindEn] = KIND[v.kind];
  const [chVi, chEn] = CHANGE[v.change];
  const pageVi = v.page !== null ? ` (trang ${v.page + 1})` : '';
  const pageEn = v.page !== null ? ` (page ${v.page + 1})` : '';
  const technical = v.detail ?? v.detailEn;
  const detail = [v.object !== null ? `obj ${v.object}` : null, technical || null].filter(Boolean).join(': ');
  return { vi: `${chVi} ${kindVi}${pageVi}`, en: `${kindEn} ${chEn}${pageEn}`, detail };
}
