import type { RegisteredSigner, RegisteredUnit, UnitRegistry } from '../registry';
import type { Finding } from '../report';
import { foldName, normalizeFingerprint } from '../text/fold';
import { vietnamIsoDate } from '../text/local-time';
import { finding } from './messages';
import type { SignatureJudgement } from './signature';

/**
 * ND 30 wants the competent person's signature. When the unit registry lists who may sign for the document's unit
 * (and when), a valid personal signature by anyone else — or by a listed person outside their period — is named.
 * A unit that lists nobody is not checked: an empty list means "not known", not "nobody".
 */

/** The registered unit a document belongs to: the one pinning its agency certificate, else the one its name is. */
export function registeredUnit(registry: UnitRegistry, judged: readonly SignatureJudgement[], unitName: string | null): RegisteredUnit | null {
  const pinned = judged.find((j) => j.unitFromRegistry !== null && j.integrity)?.unitFromRegistry;
  if (pinned) return registry.units.find((u) => u.name === pinned) ?? null;
  if (unitName === null) return null;
  const folded = foldName(unitName);
  return registry.units.find((u) => [u.name, ...(u.aliases ?? [])].some((n) => foldName(n) === folded)) ?? null;
}

/**
 * Fingerprint first: exact, and the only way to tell two people of one name apart. The folded common name is the
 * fallback because that is what an admin knows without the certificate in hand, and certificates spell names
 * with and without diacritics.
 */
function isSigner(s: RegisteredSigner, fingerprint: string | null, commonName: string | null): boolean {
  if (s.certificates && s.certificates.length > 0) {
    return fingerprint !== null && s.certificates.some((c) => normalizeFingerprint(c) === normalizeFingerprint(fingerprint));
  }
  return commonName !== null && foldName(s.commonName ?? s.name) === foldName(commonName);
}

/** `unit`: the registered unit the document belongs to (registeredUnit), null when there is none. */
export function unitSignerFindings(unit: RegisteredUnit | null, judged: readonly SignatureJudgement[]): Finding[] {
  const signers = unit?.signers ?? [];
  if (!unit || signers.length === 0) return [];
  const out: Finding[] = [];
  for (const j of judged) {
    if (j.kind !== 'personal' || !j.integrity || j.facts.isDocumentTimestamp) continue;
    const cn = j.report.signer?.commonName ?? null;
    const fp = j.report.signer?.fingerprintSha256 ?? null;
    const listed = signers.filter((s) => isSigner(s, fp, cn));
    const when = j.report.signingTime ?? j.report.claimedTime;
    const day = when ? vietnamIsoDate(when) : null;
    if (listed.length === 0) {
      out.push(finding('SIGNER_NOT_IN_UNIT', { unit: unit.name, signer: cn ?? '?' }, j.report.index));
    } else if (day !== null && !listed.some((s) => s.from <= day && (s.to === undefined || day <= s.to))) {
      const periods = listed.map((s) => `${s.from}–${s.to ?? ''}`).join(', ');
      out.push(finding('SIGNER_OUTSIDE_PERIOD', { unit: unit.name, signer: listed[0]!.name, date: day, periods }, j.report.index));
    }
  }
  return out;
}
