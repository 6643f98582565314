import type { RegisterLimitKind, RegisterLimits } from './limits';
import type { RegisterRow } from './table';

/** What the register thread is given and what it answers (see thread.ts). */

export interface RegisterThreadInput {
  file: string;
  limits: RegisterLimits;
}

export type RegisterThreadAnswer =
  | { ok: true; rows: RegisterRow[] }
  | { ok: false; error: { type: 'limit'; kind: RegisterLimitKind; limit: number; line: number | null } }
  | { ok: false; error: { type: 'format'; reason: 'noHeader' | 'noFileColumn' } }
  | { ok: false; error: { type: 'other'; message: string } };
