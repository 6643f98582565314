/**
 * A unit registry pins a unit's agency certificates by SHA-256 fingerprint: a certificate listed for a unit is
 * that unit's organization signature whatever its subject says, and one that only carries a unit's name is not.
 * Its own module so that verify.ts (which takes it as an option) and the policy (which reads it) need not import
 * each other.
 */
export interface UnitRegistry {
  units: { name: string; agencyCertificates: string[]; aliases?: string[] }[];
}
