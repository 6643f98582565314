import type { Role } from '../shared/types';

/**
 * Which role opens which page. The API decides every call on its own (server/api/auth.ts); this table only spares a
 * person a page whose every call would be refused, and tells the client which links to offer.
 */

export const ALL_ROLES: readonly Role[] = ['admin', 'clerk', 'inspector', 'leader'];

interface PageRule {
  pattern: RegExp;
  roles: readonly Role[] | 'public';
}

const PAGE_RULES: readonly PageRule[] = [
  { pattern: /^\/dang-nhap$/, roles: 'public' },
  { pattern: /^\/$/, roles: ALL_ROLES },
  { pattern: /^\/tai-len$/, roles: ['clerk', 'admin'] },
  { pattern: /^\/lo$/, roles: ['clerk', 'inspector', 'admin'] },
  { pattern: /^\/lo\/[A-Za-z0-9_-]{1,100}$/, roles: ['clerk', 'inspector', 'admin'] },
  { pattern: /^\/van-ban\/[0-9a-fA-F]{64}$/, roles: ['clerk', 'inspector', 'admin'] },
  { pattern: /^\/van-ban$/, roles: ['clerk', 'inspector', 'admin'] },
  { pattern: /^\/tong-hop$/, roles: ['leader', 'inspector', 'admin'] },
  { pattern: /^\/nha-cung-cap$/, roles: ['inspector', 'leader', 'admin'] },
  { pattern: /^\/chung-thu$/, roles: ['inspector', 'admin'] },
  { pattern: /^\/quan-tri$/, roles: ['admin'] },
  { pattern: /^\/quan-tri\/don-vi$/, roles: ['admin'] },
];

/** The rule of a page path, or null when the path is no page (a 404 of the API's shape). */
export function pageRule(pathname: string): PageRule | null {
  return PAGE_RULES.find((r) => r.pattern.test(pathname)) ?? null;
}

export function mayOpen(rule: PageRule, role: Role): boolean {
  return rule.roles === 'public' || rule.roles.includes(role);
}
