import { Document, Packer, PageBreak, PageOrientation, Paragraph, type Table } from 'docx';
import { blockContent } from './docx-blocks';
import { closingTable, draftMark, footer, headerTable, titleLines } from './docx-frame';
import { A4, MARGIN, NUMBERING, STYLES, textHeight, textWidth } from './docx-styles';
import type { Outline } from './outline';
import { documentText } from './safe-text';

/**
 * An Outline laid out as a DOCX (the `docx` package): the draft an inspector edits in Word or LibreOffice, in
 * Decree 30/2020's layout — A4, its margins, Times New Roman 13 pt as the document's own default, Phụ lục I's
 * header and closing, Word headings, tables whose header row repeats on each page, a native Word chart, and the
 * annex after the signature.
 */
export async function renderDocx(outline: Outline): Promise<Uint8Array> {
  const width = textWidth(outline.orientation);
  const height = textHeight(outline.orientation);
  const annex = outline.annex ?? [];
  const children: (Paragraph | Table)[] = [
    ...(outline.draftMark === null ? [] : [draftMark(outline.draftMark)]),
    ...(outline.header ? [headerTable(outline.header, width)] : []),
    ...titleLines(outline.title, width),
    ...outline.blocks.flatMap((block) => blockContent(block, width, height)),
    // Space before the closing; and a paragraph after it, since Word ends a document with one.
    ...(outline.closing ? [new Paragraph({ children: [] }), closingTable(outline.closing, width), new Paragraph({ children: [] })] : []),
    // The annex (phụ lục) after the signature, from a new page, as Decree 30/2020 attaches one.
    ...(annex.length > 0 ? [new Paragraph({ children: [new PageBreak()] }), ...annex.flatMap((block) => blockContent(block, width, height))] : []),
  ];
  const document = new Document({
    title: documentText(outline.documentTitle),
    creator: 'kiemky',
    lastModifiedBy: 'kiemky',
    styles: STYLES,
    numbering: NUMBERING,
    sections: [
      {
        properties: {
          page: {
            size: {
              width: A4.width,
              height: A4.height,
              orientation: outline.orientation === 'landscape' ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
            },
            margin: MARGIN,
          },
        },
        footers: { default: footer(outline.footer, outline.lang) },
        children,
      },
    ],
  });
  const bytes = await Packer.toBuffer(document);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
