import type { RegisterRow } from '../../server/register/table';
import type { Store } from '../../server/shared/types';
import { UNIT_NAMES } from '../../samples/lib/test-pki';
import { scenarioReports, type Name } from '../store/fixtures';

/**
 * A store holding documents of two units over months 2026-07..2027-01, put in through the Store as serve puts
 * them (verified reports saved, one batch with a register): what the tests of a period's reports read — the
 * period 2026-09..2026-11, the one before it (2026-06..2026-08), and a document outside both.
 */

export const [UNIT_A, UNIT_B, UNIT_C] = UNIT_NAMES;
export const PERIOD = { from: '2026-09', to: '2026-11' };

interface Row {
  file: string;
  scenario: Name;
  unit: string;
  date: string;
  number: string;
}

export const PERIOD_ROWS: Row[] = [
  { file: 'CV-12.pdf', scenario: 'compliant-two-layer-unit-0', unit: UNIT_A, date: '2026-10-05', number: '12/UBND-VP' },
  { file: 'CV-13.pdf', scenario: 'leader-only', unit: UNIT_A, date: '2026-11-03', number: '13/UBND-VP' },
  { file: 'TB-5.pdf', scenario: 'public-ca-two-layer-vnpt', unit: UNIT_B, date: '2026-11-20', number: '5/TB-PVH' },
  { file: 'BC-9.pdf', scenario: 'broken-not-pdf', unit: UNIT_B, date: '2026-09-14', number: '9/BC-PVH' },
  // The period before.
  { file: 'CV-7.pdf', scenario: 'agency-only', unit: UNIT_A, date: '2026-07-08', number: '7/UBND-VP' },
  { file: 'KH-8.pdf', scenario: 'mixed-gov-leader-viettel-agency', unit: UNIT_B, date: '2026-08-21', number: '8/KH-PVH' },
  // After both.
  { file: 'QD-1.pdf', scenario: 'compliant-document-timestamp', unit: UNIT_C, date: '2027-01-04', number: '1/QĐ-UBND' },
];

export async function fillPeriodStore(store: Store): Promise<void> {
  const reports = await scenarioReports();
  for (const row of PERIOD_ROWS) await store.saveDocumentReport(reports[row.scenario].sha256, reports[row.scenario]);
  const register = (row: Row, line: number): RegisterRow => ({ line, file: row.file, number: row.number, date: row.date, summary: `Văn bản ${row.number}`, signer: null, unit: row.unit });
  await store.createBatch({
    id: 'period-batch',
    source: 'upload',
    items: PERIOD_ROWS.map((row, i) => ({ file: row.file, sha256: reports[row.scenario].sha256, size: reports[row.scenario].size, register: register(row, i + 2) })),
    findings: [],
    hasRegister: true,
    createdBy: null,
  });
}
