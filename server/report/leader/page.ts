import type { Lang } from '../../shared/messages';
import type { ReportIssuer } from '../format';
import type { BatchSummary } from '../summary';
import type { Outline } from '../document/outline';
import { renderPdf } from '../document/pdf';

/** A period of whole months, inclusive: 'YYYY-MM'. */
export interface MonthRange {
  from: string;
  to: string;
}

/** What the leader's page is drawn from: the unit summary of the period and of the one before it. */
export interface LeaderPageInput {
  lang: Lang;
  period: MonthRange;
  /** The period of the same length just before; null when there is none to compare with. */
  previousPeriod: MonthRange | null;
  current: BatchSummary;
  /** The previous period's summary; null (or a unit missing from it) shows no change. */
  previous: BatchSummary | null;
  generatedAt: Date;
  issuer?: ReportIssuer;
}

/** The leader's page drafted: figures by unit, ranked, the change from the previous period, one chart. */
export function leaderOutline(input: LeaderPageInput): Outline {
  throw new Error(`leaderOutline: not written yet (${input.period.from})`);
}

/** The leader's one page, A4 landscape, as PDF bytes. */
export function leaderPagePdf(input: LeaderPageInput): Promise<Uint8Array> {
  return renderPdf(leaderOutline(input));
}
