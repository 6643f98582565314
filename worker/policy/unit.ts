import type { SignatureJudgement } from './signature';

/**
 * The unit of a document without a register row: the organization signer's name (a registry's pinned unit first),
 * else the personal signer's organization. Valid signatures are preferred; an invalid one still names a unit when it
 * is all there is, so an inspector can see whose document failed.
 */
export function unitOf(judged: readonly SignatureJudgement[]): string | null {
  const approvals = judged.filter((j) => !j.facts.isDocumentTimestamp);
  const prefer = (list: SignatureJudgement[]): SignatureJudgement[] => {
    const v = list.filter((j) => j.integrity);
    return v.length > 0 ? v : list;
  };
  const orgs = prefer(approvals.filter((j) => j.kind === 'organization'));
  const lastOrg = orgs[orgs.length - 1];
  if (lastOrg) return lastOrg.unitFromRegistry ?? lastOrg.report.signer?.commonName ?? null;
  const persons = prefer(approvals.filter((j) => j.kind === 'personal'));
  const firstPerson = persons[0];
  if (firstPerson) return firstPerson.report.signer?.organization ?? null;
  return null;
}
