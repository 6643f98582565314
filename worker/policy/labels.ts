import type { ChangeKind, ChangeType, ChangeViolation } from '../changes/types';

/** How an inspector names each kind of object, in Vietnamese and English. */
const KIND: Record<ChangeKind, [string, string]> = {
  'page-content': ['nội dung trang', 'page content'],
  page: ['từ điển trang', 'page dictionary'],
  'page-resources': ['tài nguyên trang (phông chữ, hình ảnh)', 'page resources'],
  'page-tree': ['cây trang', 'page tree'],
  'new-page': ['trang mới', 'new page'],
  annotation: ['chú thích (annotation)', 'annotation'],
  'annotations-array': ['danh sách chú thích của trang', 'page annotation list'],
  font: ['phông chữ', 'font'],
  image: ['hình ảnh', 'image'],
  'form-xobject': ['đối tượng đồ họa (Form XObject)', 'form XObject'],
  widget: ['ô hiển thị của trường (widget)', 'widget'],
  'widget-appearance': ['hình hiển thị của trường (appearance)', 'widget appearance'],
  'form-field': ['trường biểu mẫu', 'form field'],
  'signature-field': ['trường chữ ký', 'signature field'],
  'signature-dictionary': ['từ điển chữ ký', 'signature dictionary'],
  catalog: ['danh mục tài liệu (catalog)', 'document catalog'],
  acroform: ['biểu mẫu (AcroForm)', 'AcroForm'],
  dss: ['kho dữ liệu kiểm tra (DSS)', 'DSS'],
  metadata: ['siêu dữ liệu', 'metadata'],
  'object-stream': ['luồng đối tượng (object stream)', 'object stream'],
  stream: ['luồng dữ liệu', 'stream'],
  xref: ['bảng tham chiếu chéo (xref)', 'cross-reference section'],
  trailer: ['phần kết (trailer) của tệp', 'file trailer'],
  object: ['đối tượng', 'object'],
};

const CHANGE: Record<ChangeType, [string, string]> = {
  added: ['thêm', 'added'],
  modified: ['ghi đè', 'overridden'],
  freed: ['xóa (giải phóng)', 'freed'],
};

/** "ghi đè nội dung trang (trang 1, đối tượng 7) — /Contents", and its English twin. */
export function describeViolation(v: ChangeViolation): { vi: string; en: string } {
  const [kindVi, kindEn] = KIND[v.kind];
  const [chVi, chEn] = CHANGE[v.change];
  const whereVi = [v.page !== null ? `trang ${v.page + 1}` : null, v.object !== null ? `đối tượng ${v.object}` : null].filter(Boolean).join(', ');
  const whereEn = [v.page !== null ? `page ${v.page + 1}` : null, v.object !== null ? `object ${v.object}` : null].filter(Boolean).join(', ');
  const detailVi = v.detail ? ` — ${v.detail}` : '';
  const detailEn = (v.detailEn ?? v.detail) ? ` — ${v.detailEn ?? v.detail}` : '';
  return {
    vi: `${chVi} ${kindVi}${whereVi ? ` (${whereVi})` : ''}${detailVi}`,
    en: `${kindEn} ${chEn}${whereEn ? ` (${whereEn})` : ''}${detailEn}`,
  };
}
