import { DEFAULT_CLI_FORMAT, REPORT_FORMATS } from '../report/formats';
import { t, type Lang } from '../shared/messages';

/**
 * `kiemky --help`. Its lines about `--format` are made from the format registry: the names (the default marked),
 * one line of help each, and the formats `--out` is required for on a terminal.
 */

/** "a, b, c or d", as each language lists choices. */
function listed(items: string[], lang: Lang): string {
  if (items.length < 2) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${t(lang, 'formatOr')} ${items[items.length - 1]}`;
}

/** Where the descriptions of `--format`'s choices begin: under the option's own description, two columns in. */
const HELP_INDENT = ' '.repeat(25);

export function usageText(lang: Lang): string {
  const names = REPORT_FORMATS.map((f) => (f.name === DEFAULT_CLI_FORMAT ? `${f.name} (${t(lang, 'formatDefault')})` : f.name));
  const width = Math.max(...REPORT_FORMATS.map((f) => f.name.length));
  const formatLines = REPORT_FORMATS.map((f) => `${HELP_INDENT}${f.name.padEnd(width)}  ${f.help[lang]}`).join('\n');
  const notToTerminal = REPORT_FORMATS.filter((f) => !f.toTerminal).map((f) => f.name);
  return t(lang, 'usage', { formats: listed(names, lang), formatLines, notToTerminal: notToTerminal.join(', ') });
}
