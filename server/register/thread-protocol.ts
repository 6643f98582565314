import type { RegisterLimitKind, RegisterLimits } from '../shared/register-limits';
import type { RegisterRow } from './table';

/** What the register thread is given and what it answers (see thread.ts). */

export interface RegisterThreadInput {
  file: string;
  limits: RegisterLimits;
}

/**
 * Rows come in pieces of ROWS_PER_MESSAGE, then the end: 200,000 rows in one message took the main thread most of a
 * second to take in, during which it answered nothing else.
 */
export const ROWS_PER_MESSAGE = 5000;

export type RegisterThreadAnswer =
  | { ok: true; rows: RegisterRow[]; done: boolean }
  | { ok: false; error: { type: 'limit'; kind: RegisterLimitKind; limit: number; line: number | null } }
  | { ok: false; error: { type: 'format'; reason: 'noHeader' | 'noFileColumn' } }
  | { ok: false; error: { type: 'other'; message: string } };
