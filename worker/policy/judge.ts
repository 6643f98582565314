import type { DocumentFacts } from '../facts';
import type { FetchedEvidence } from '../pki/fetched-revocation';
import type { TrustStore } from '../pki/types';
import type { UnitRegistry } from '../registry';
import type { DocumentReport, Finding } from '../report';
import { appearanceFindings } from './appearance';
import { judgeChanges } from './changes';
import { runChecks, signingGap } from './checks';
import { errorReport } from './error-report';
import { finding, type FindingCode } from './messages';
import { judgeSignature } from './signature';
import { unitOf } from './unit';
import { registeredUnit, unitSignerFindings } from './unit-signers';

/**
 * The policy: a document's recorded facts in, its report out — each signature judged, the changes after signing
 * judged, the six checks, the verdict and the findings. It reads facts only (nothing here opens the PDF or decodes
 * DER), so a stored set of facts can be judged again with another trust store or registry; the same facts and trust
 * store always give the same report.
 */

export interface JudgeOptions {
  registry?: UnitRegistry;
  /** Used when a signature carries no time at all. Default: now. */
  now?: Date;
  /** Revocation fetched online for this document (verifyDocument with a fetcher); absent offline. */
  fetched?: FetchedEvidence;
}

export function judgeDocument(facts: DocumentFacts, trustStore: TrustStore, options: JudgeOptions = {}): DocumentReport {
  if (facts.error || !facts.structure) {
    return errorReport(facts.file, facts.sha256, facts.size, (facts.error?.code ?? 'INTERNAL') as FindingCode, facts.error?.detail ?? '');
  }
  const structure = facts.structure;
  const now = options.now ?? new Date();
  const changes = judgeChanges(structure, {
    explain: (rev) => facts.revisions[rev] ?? { kind: 'unexplained', detail: 'not analysed' },
  });

  const findings: Finding[] = [];
  const judged = facts.signatures.map((sig, i) => {
    const j = judgeSignature({ doc: facts, sig, changesAfter: changes.changesAfter[i] ?? 'disallowed', trustStore, registry: options.registry, now, fetched: options.fetched });
    findings.push(...j.findings);
    return j;
  });

  // The document's own structure, then what changed after signing, then how the signatures look on the page.
  if (structure.encryption) findings.push(finding('ENCRYPTED', { decrypted: structure.encryption.decrypted ? 1 : null }));
  if (structure.xrefRepaired) findings.push(finding('XREF_REPAIRED'));
  if (structure.usageRightsSignatures > 0) findings.push(finding('USAGE_RIGHTS_IGNORED', { count: structure.usageRightsSignatures }));
  findings.push(...changes.findings);
  if (structure.trailingBytes > 0) findings.push(finding('TRAILING_BYTES', { bytes: structure.trailingBytes }));
  findings.push(
    ...appearanceFindings(
      judged.map((j) => ({ index: j.facts.index, kind: j.kind, integrity: j.integrity, revision: j.facts.pdf.revision, timestamp: j.facts.isDocumentTimestamp, widgets: j.facts.pdf.widgets })),
    ),
  );

  // A registered unit is named as the registry names it, whichever alias the certificate spelled.
  const named = unitOf(judged);
  const registered = options.registry ? registeredUnit(options.registry, judged, named) : null;
  const unit = registered?.name ?? named;
  findings.push(...unitSignerFindings(registered, judged));

  const input = { judged, changesIntact: changes.intact, trailingBytes: structure.trailingBytes };
  const checks = runChecks(input);
  const gap = signingGap(input, checks);
  if (gap) findings.unshift(gap);

  return {
    file: facts.file,
    sha256: facts.sha256,
    size: facts.size,
    unit,
    verdict: Object.values(checks).every(Boolean) ? 'compliant' : 'noncompliant',
    checks,
    signatures: judged.map((j) => j.report),
    findings,
  };
}
