import { TextRun, type IRunOptions } from 'docx';
import type { OutlineRun } from './outline';
import { documentText } from './safe-text';

/** Run formatting the renderer adds to an outline run's own (size in half-points). */
export type RunStyle = Pick<IRunOptions, 'bold' | 'italics' | 'size' | 'highlight' | 'allCaps'>;

/**
 * One piece of untrusted text as runs: made XML-safe (safe-text.ts), its line breaks kept as Word line breaks
 * (a run's text cannot hold one). docx escapes `<` and `&` itself.
 */
export function textRuns(text: string, style: RunStyle = {}): TextRun[] {
  const lines = documentText(text).replace(/\r\n?/g, '\n').split('\n');
  return lines.map((line, i) => new TextRun({ ...style, text: line, ...(i > 0 ? { break: 1 } : {}) }));
}

export function outlineRuns(runs: OutlineRun[], style: RunStyle = {}): TextRun[] {
  return runs.flatMap((r) => textRuns(r.text, { ...style, ...(r.bold ? { bold: true } : {}), ...(r.italic ? { italics: true } : {}) }));
}
