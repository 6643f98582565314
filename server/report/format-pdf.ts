import { defineFormat } from './format';
import { renderPdf } from './document/pdf';
import { InspectionReportWriter } from './inspection/writer';

/** The inspection report drafted as a PDF, to read, print and attach. */
export const PDF_FORMAT = defineFormat({
  name: 'pdf',
  help: {
    vi: 'báo cáo kiểm tra dạng PDF, để đọc và in',
    en: 'the inspection report as a PDF, to read and print',
  },
  contentType: 'application/pdf',
  extension: 'pdf',
  toTerminal: false,
  incremental: false,
  api: true,
  download: true,
  writer: { kind: 'binary', open: (o) => new InspectionReportWriter(o, renderPdf) },
});
