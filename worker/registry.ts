/**
 * A unit registry pins a unit's agency certificates by SHA-256 fingerprint: a certificate listed for a unit is
 * that unit's organization signature whatever its subject says, and one that only carries a unit's name is not.
 * Since version 2 it also lists the people who may sign for the unit (leaders and deputies) and when. Its own
 * module so that verify.ts (which takes it as an option) and the policy (which reads it) need not import each
 * other.
 */
export interface UnitRegistry {
  /** 1 (units and their certificates) or 2 (with parents and signers); absent means 1. */
  version?: number;
  units: RegisteredUnit[];
}

export interface RegisteredUnit {
  name: string;
  agencyCertificates: string[];
  aliases?: string[];
  /** The unit this one belongs to, by name (a phòng of a UBND). */
  parent?: string;
  /** Who may sign the unit's documents personally; empty or absent: the registry does not say, nothing is checked. */
  signers?: RegisteredSigner[];
}

/**
 * A person who may sign for a unit from `from` to `to` (inclusive, YYYY-MM-DD, Vietnam dates; `to` absent: still
 * in office). Matched by certificate fingerprint when `certificates` lists any (a namesake cannot pass), else by the
 * name as the certificate's common name spells it (`commonName`, else `name`), folded.
 */
export interface RegisteredSigner {
  name: string;
  commonName?: string;
  certificates?: string[];
  title?: string;
  from: string;
  to?: string;
}
