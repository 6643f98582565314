import type { DocumentReport, Finding } from '../../worker/report';
import { batchFinding } from '../shared/messages';
import type { RegisterRow } from '../register/table';
import { unitInScope } from '../register/unit-scope';
import { rowReport, type RowContext } from './rows';

/**
 * A row of a batch as it counts: for an admin's upload or an export exactly as `kiemky check --register` reports
 * it; for a clerk's upload kept to the clerk's units (the batch's scope, the units of the token that uploaded it).
 * This is the one place a row's unit is decided, so no route or import path can make a clerk's upload count for
 * another unit.
 *
 * In a clerk's upload:
 * - a register row whose issuing unit is not one of the clerk's is refused (REGISTER_ROW_OTHER_UNIT): nothing of
 *   it is applied, neither its unit nor its number, date, summary or signer;
 * - a document carrying an agency signature (a valid organization signature), none of them the clerk's units', is
 *   another agency's document: counted for no unit (AGENCY_SIGNATURE_OTHER_UNIT). Counting it for the clerk
 *   would let a unit pad its rate with documents another agency signed, and counting it for that agency would let
 *   a clerk change another unit's figures. A jointly issued document sealed by the clerk's agency among others
 *   counts for the clerk;
 * - otherwise the document counts for a unit of the clerk: the one the register row names, else the one its agency
 *   signature or its signer's organization names, else the first unit of the token. A leader's personal
 *   certificate often names a parent authority (a xã leader's BCY certificate says the province), so without an
 *   agency signature the document is the clerk's: an unsigned or half-signed document still counts against the
 *   unit that filed it, it cannot slip out of the figures.
 */

export interface ScopedRow {
  report: DocumentReport;
  /** False: listed in its batch, left out of the unit and provider summaries. */
  counted: boolean;
  /** The register row applied (null when none was, or it was refused): its date is the document's month. */
  register: RegisterRow | null;
}

/** Names of the document's agency signatures: organization signatures whose integrity holds. */
function agencyNames(doc: DocumentReport): string[] {
  const names = doc.signatures
    .filter((s) => s.type !== 'document-timestamp' && s.signer?.kind === 'organization' && s.integrity === 'valid')
    .map((s) => s.signer?.commonName ?? '');
  // A unit registry may name the agency otherwise than its certificate does: that name is the document's unit.
  return names.length > 0 && doc.unit ? [...names, doc.unit] : names;
}

function withFindings(doc: DocumentReport, findings: Finding[]): DocumentReport {
  return findings.length === 0 ? doc : { ...doc, findings: [...doc.findings, ...findings] };
}

export function batchRow(verified: DocumentReport, row: RowContext, scope: readonly string[] | null): ScopedRow {
  if (scope === null) return { report: rowReport(verified, row), counted: true, register: row.register };
  // A clerk token always has a unit; should one have none, its upload counts for nobody rather than for anybody.
  if (scope.length === 0) return { report: { ...verified, file: row.file, unit: null }, counted: false, register: null };

  const refusals: Finding[] = [];
  let register = row.register;
  const registerUnit = unitInScope(scope, register?.unit);
  if (register?.unit && registerUnit === null) {
    refusals.push(batchFinding('REGISTER_ROW_OTHER_UNIT', { line: register.line }));
    register = null;
  }

  const agencies = agencyNames(verified);
  const agencyUnit = agencies.map((name) => unitInScope(scope, name)).find((unit) => unit !== null) ?? null;
  if (agencies.length > 0 && agencyUnit === null) {
    // Nothing of the row is applied: the document is not this unit's, and its report says only why.
    const report = { ...verified, file: row.file, unit: null };
    return { report: withFindings(report, [...refusals, batchFinding('AGENCY_SIGNATURE_OTHER_UNIT')]), counted: false, register: null };
  }

  // A refused row is not "no row": the document is in the clerk's register, under a unit the clerk may not name.
  const joined = refusals.length > 0 ? { ...verified, file: row.file } : rowReport(verified, { ...row, register });
  const unit = registerUnit ?? agencyUnit ?? unitInScope(scope, verified.unit) ?? scope[0];
  return { report: withFindings({ ...joined, unit }, refusals), counted: true, register };
}
