import { defineFormat } from './format';
import { renderDocx } from './document/docx';
import { InspectionReportWriter } from './inspection/writer';

/** The inspection report drafted as a Word document, for the inspector to finish and sign. */
export const DOCX_FORMAT = defineFormat({
  name: 'docx',
  help: {
    vi: 'dự thảo báo cáo kiểm tra (Word), để chỉnh sửa rồi ký ban hành',
    en: 'the inspection report drafted (Word), to edit and sign',
  },
  contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  extension: 'docx',
  toTerminal: false,
  incremental: false,
  api: true,
  download: true,
  writer: { kind: 'binary', open: (o) => new InspectionReportWriter(o, renderDocx) },
});
