import type { FailureCount } from '../shared/types';

/**
 * How failed sign-ins slow the next ones. Counted per account (guessing one person's password) and per address
 * (trying many accounts from one machine) over a window; past the limit, each further try waits, twice as long
 * after each failure, up to the window. The address limit is higher: an agency's staff often reach the service
 * through one NAT address, and one clerk's typos must not lock out the office.
 */

export interface ThrottleRule {
  limit: number;
}

export const THROTTLE = Object.freeze({
  windowMs: 15 * 60_000,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  account: { limit: 5 } as ThrottleRule,
  address: { limit: 20 } as ThrottleRule,
});

/** Seconds to wait before the next try under this key, 0 when it may go ahead. */
export function retryAfterSeconds(failures: FailureCount, rule: ThrottleRule, now: Date): number {
  if (failures.count < rule.limit || failures.last === null) return 0;
  const over = failures.count - rule.limit;
  const delay = Math.min(THROTTLE.baseDelayMs * 2 ** Math.min(over, 20), THROTTLE.maxDelayMs);
  const waitMs = Date.parse(failures.last) + delay - now.getTime();
  return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
}
