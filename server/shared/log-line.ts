import { visibleLines } from './safe-text';

/**
 * One entry of a service log on stderr: `[kiemky tag] message`. Log messages quote file names, export folder names
 * and error messages, all of which an uploader chooses: their control and bidi characters are shown as escapes
 * (safe-text.ts), and every further line of the entry (a stack) is indented, so that no name holding a line break
 * can write a line that looks like an entry of its own.
 */
export function logLine(tag: string, message: string): string {
  return `[kiemky ${tag}] ${visibleLines(message).replace(/\n/g, '\n    ')}\n`;
}
