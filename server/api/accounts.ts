import type { Role, Store, UserPatch, UserRecord } from '../shared/types';
import { isRole } from './auth';
import { ApiError } from './errors';
import { hasControlCharacters } from './names';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from './passwords';

/**
 * Making and changing accounts, with every rule in one place: the admin routes, the local control channel of
 * `serve` and `kiemky user create` (which may open the store itself) all come through here.
 */

/** Letters (with their marks: Vietnamese names), digits and . _ - @; no spaces, nothing a terminal would act on. */
const USERNAME = /^[\p{L}\p{M}\p{N}._@-]{1,64}$/u;

export interface NewAccount {
  username: string;
  password: string;
  role: Role;
  units: string[];
}

export interface AccountChange {
  role?: Role;
  units?: string[];
  disabled?: boolean;
  password?: string;
}

export function checkUsername(value: unknown): string {
  if (typeof value !== 'string') throw new ApiError('BAD_USERNAME');
  const name = value.normalize('NFC');
  if (!USERNAME.test(name)) throw new ApiError('BAD_USERNAME');
  return name;
}

export function checkPassword(value: unknown): string {
  if (typeof value !== 'string') throw new ApiError('BAD_REQUEST', { detail: 'password' });
  const problem = passwordProblem(value);
  if (problem) throw new ApiError(problem, { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH });
  return value;
}

function checkRole(value: unknown): Role {
  if (!isRole(value)) throw new ApiError('BAD_ROLE', { value: String(value ?? '') });
  return value;
}

/** A list of unit names as given: strings without control characters. */
function unitList(value: unknown): string[] {
  if (!Array.isArray(value) || value.some((u) => typeof u !== 'string' || u.trim() === '' || hasControlCharacters(u))) throw new ApiError('BAD_REQUEST', { detail: 'units' });
  return value as string[];
}

/** A role's units as kept: a clerk's, NFC, trimmed, once each, at least one; none for the other roles. */
export function scopedUnits(role: Role, units: string[]): string[] {
  if (role !== 'clerk') return [];
  const scoped = [...new Set(units.map((u) => u.normalize('NFC').trim()).filter((u) => u !== ''))];
  if (scoped.length === 0) throw new ApiError('CLERK_NEEDS_UNIT');
  return scoped;
}

/** The body of POST /api/users (and of the control channel's). */
export function parseNewAccount(body: unknown): NewAccount {
  const b = (body ?? {}) as Record<string, unknown>;
  return { username: checkUsername(b.username), password: checkPassword(b.password), role: checkRole(b.role), units: b.units === undefined ? [] : unitList(b.units) };
}

/** The body of PATCH /api/users/{username}: only the fields present change. */
export function parseAccountChange(body: unknown): AccountChange {
  const b = (body ?? {}) as Record<string, unknown>;
  const known = new Set(['role', 'units', 'disabled', 'password']);
  const unknown = Object.keys(b).find((k) => !known.has(k));
  if (unknown !== undefined) throw new ApiError('BAD_REQUEST', { detail: unknown });
  const change: AccountChange = {};
  if (b.role !== undefined) change.role = checkRole(b.role);
  if (b.units !== undefined) change.units = unitList(b.units);
  if (b.disabled !== undefined) {
    if (typeof b.disabled !== 'boolean') throw new ApiError('BAD_REQUEST', { detail: 'disabled' });
    change.disabled = b.disabled;
  }
  if (b.password !== undefined) change.password = checkPassword(b.password);
  return change;
}

export async function createAccount(store: Store, account: NewAccount, now: Date = new Date()): Promise<UserRecord> {
  const username = checkUsername(account.username);
  const password = checkPassword(account.password);
  const role = checkRole(account.role);
  const units = scopedUnits(role, unitList(account.units));
  const created = await store.createUser({ username, role, units, password: await hashPassword(password) }, now);
  if (!created) throw new ApiError('USERNAME_TAKEN', { username });
  return created;
}

export async function changeAccount(store: Store, username: string, change: AccountChange): Promise<UserRecord> {
  const current = await store.userCredentials(username);
  if (!current) throw new ApiError('USER_NOT_FOUND', { username });
  const patch: UserPatch = {};
  if (change.role !== undefined || change.units !== undefined) {
    // The role and units the account will have, checked together: a clerk left without a unit would see nothing
    // and could upload for no one.
    const role = change.role ?? current.user.role;
    patch.role = role;
    patch.units = scopedUnits(role, change.units ?? current.user.units);
  }
  if (change.disabled !== undefined) patch.disabled = change.disabled;
  if (change.password !== undefined) patch.password = await hashPassword(change.password);
  const updated = await store.updateUser(username, patch);
  if (!updated) throw new ApiError('USER_NOT_FOUND', { username });
  return updated;
}
