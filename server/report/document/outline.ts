/**
 * A report written for people, before it is a file: the header Decree 30/2020 (Phụ lục I) asks of an
 * administrative document, then blocks of text, tables and one chart. The inspection report draft and the leader's
 * page are drafted once as an Outline (inspection/draft.ts, leader/draft.ts); docx.ts and pdf.ts only lay it out,
 * so the DOCX and the PDF of the same report say the same words in the same order.
 *
 * Every string here is final text in the reader's language, untrusted parts (unit names, file names, số ký hiệu
 * taken from PDFs and registers) included: a renderer writes them as text and never interprets them.
 */

/** The header block of Phụ lục I: issuing body at the left, quốc hiệu and tiêu ngữ at the right. */
export interface OutlineHeader {
  /** Tên cơ quan, tổ chức chủ quản (upper line, regular); empty when the issuing body has none. */
  parentAgency: string;
  /** Tên cơ quan, tổ chức ban hành (bold, with a short rule under it). */
  agency: string;
  /** "Số: …/BC-…": the number is left blank for the clerk who registers the report. */
  numberLine: string;
  /** "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (bold, upper case). */
  nation: string;
  /** "Độc lập - Tự do - Hạnh phúc" (bold, with a rule under it). */
  motto: string;
  /** "…, ngày … tháng … năm …" (italic). */
  placeDate: string;
}

/** A run of text inside a paragraph; styles add up. */
export interface OutlineRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

export type OutlineAlign = 'left' | 'center' | 'right' | 'justify';

export interface OutlineColumn {
  title: string;
  /** Relative width: the renderer shares the text width out in these proportions. */
  width: number;
  /** Numbers are right-aligned, text left-aligned. */
  align: 'left' | 'right' | 'center';
}

/** One bar of a chart: a unit and its percentages (0–100), one per series. */
export interface OutlineBar {
  label: string;
  values: number[];
}

export type OutlineBlock =
  /** Level 1: "I. KẾT QUẢ KIỂM TRA"; level 2: "1. Ký số"; level 3: a run-in bold line. */
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; runs: OutlineRun[]; align?: OutlineAlign; /** First-line indent, as body text is. */ indent?: boolean }
  /** A dash list, as administrative documents write one ("- …"). */
  | { kind: 'bullets'; items: OutlineRun[][] }
  /**
   * A table; its header row repeats on every page. `emphasis` lists the rows (totals) set in bold, by index.
   */
  | {
      kind: 'table';
      columns: OutlineColumn[];
      rows: string[][];
      emphasis?: number[];
      /** Small print for a long table (the appendix): the renderer uses a smaller font size. */
      compact?: boolean;
      /** Each cell on one line, cut with "…" rather than wrapped: a page that must stay one page (the leader's). */
      oneLine?: boolean;
    }
  /**
   * Horizontal bars, one group per label, one bar per series; values are percentages. `beside`: drawn at the
   * right of the table just before it, which then takes the left part of the page (the leader's page; a renderer
   * that cannot may set it under the table).
   */
  | { kind: 'chart'; title: string; series: string[]; bars: OutlineBar[]; beside?: boolean }
  /** A marked note to the editor (the draft's parts to check), set apart from the text. */
  | { kind: 'note'; text: string }
  | { kind: 'pageBreak' };

/** The closing of Phụ lục I: "Nơi nhận:" at the left, the signer's title and name at the right. */
export interface OutlineClosing {
  recipientsTitle: string;
  recipients: string[];
  /** e.g. "TRƯỞNG ĐOÀN KIỂM TRA" (bold upper case); the signature space follows it. */
  signerTitle: string;
  /** The signer's name, or a dotted line for the inspector to fill in. */
  signerName: string;
}

export interface Outline {
  /** The file's own title (document properties). */
  documentTitle: string;
  /** Paper: the inspection report is A4 portrait, the leader's page A4 landscape. */
  orientation: 'portrait' | 'landscape';
  /** Absent for a page without the administrative header (the leader's page). */
  header?: OutlineHeader;
  /** "BÁO CÁO" and the subject lines under it, centred and bold. */
  title: string[];
  /** A line over the title saying this is a draft to edit ("DỰ THẢO"), or null. */
  draftMark: string | null;
  blocks: OutlineBlock[];
  closing?: OutlineClosing;
  /**
   * Blocks after the closing, from a new page: the appendix (phụ lục), which Decree 30/2020 places after the
   * signature of the document it is attached to.
   */
  annex?: OutlineBlock[];
  /** Printed small in every page's footer: who made it and when (kiemky, dd/mm/yyyy HH:mm). */
  footer: string;
  /**
   * The reader's language, for what a renderer writes itself (the PDF's page numbers "Trang 2/5", a chart's values
   * with their decimal comma, the file's language tag); default 'vi'.
   */
  lang?: 'vi' | 'en';
}
