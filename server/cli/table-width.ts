import { MIN_TABLE_WIDTH } from '../report/format-table';

/**
 * How wide `kiemky check`'s table is written: a terminal's own width (never under 80 columns), so that the
 * terminal never wraps a line itself. Written to a file (`--out`) or a pipe, there is no terminal to ask: 80
 * columns, the width every editor, pager and printer shows whole, unless COLUMNS says otherwise (the shell's
 * convention: `COLUMNS=120 kiemky check … | less`).
 */
export function tableWidth(stdout: { isTTY?: boolean; columns?: number }, toFile: boolean, env: Readonly<Record<string, string | undefined>>): number {
  const fromEnv = Number(env.COLUMNS);
  const hinted = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : null;
  const terminal = !toFile && stdout.isTTY === true && typeof stdout.columns === 'number' && stdout.columns > 0 ? stdout.columns : null;
  return Math.max(MIN_TABLE_WIDTH, terminal ?? hinted ?? MIN_TABLE_WIDTH);
}
