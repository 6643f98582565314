import type { Checks, DocumentReport } from '../../../worker/report';
import { findingText, type Lang } from '../../shared/messages';
import { providerName } from '../summary';

/**
 * What the inspection report needs of each document, counted as the documents pass: per unit, the criteria the
 * report's table scores (ký số, 2 lớp, chứng thư số chuyên dùng, toàn vẹn, hiệu lực), the commercial or untrusted CAs
 * and the reasons documents fail; and the first APPENDIX_LIMIT failing documents for the appendix. Nothing here grows
 * with the number of documents beyond that limit — units × finding codes at most — so a province's month is
 * reported in the memory of a day's.
 */

/** Failing documents listed in the appendix, at most: beyond it the report says how many more and where to find them. */
export const APPENDIX_LIMIT = 2000;

/** The criteria of the report's results table, in its order; each a check of the report contract. */
export const CRITERIA = ['signed', 'twoLayer', 'governmentCa', 'intact', 'certificatesValid'] as const satisfies readonly (keyof Checks)[];
export type Criterion = (typeof CRITERIA)[number];

/** One failing document as the appendix lists it. */
export interface AppendixRow {
  /** Số ký hiệu from the register; null when the register has none. */
  number: string | null;
  /** The document's date: the register's, else the first signature's signing time (ISO); null when neither. */
  date: string | null;
  unit: string | null;
  file: string;
  verdict: 'noncompliant' | 'error';
  /** Why it fails, one sentence per error finding, in the report's language. */
  reasons: string[];
  /** The finding codes behind `reasons`, distinct, for the remedies. */
  codes: string[];
}

/** A unit's counts beyond the unit summary's: what the findings and recommendations are drafted from. */
export interface UnitFacts {
  unit: string | null;
  documents: number;
  /** Documents passing each criterion. */
  passed: Record<Criterion, number>;
  /** Documents signed with a commercial (public) CA, by provider name. */
  publicProviders: Map<string, number>;
  /** Documents with a signature whose certificate chains to no pinned root. */
  untrusted: number;
  /** Documents holding each error finding code, counted once per document. */
  codes: Map<string, number>;
  /** Documents with each shortcoming the report names (PROBLEMS), counted once per document. */
  problems: Record<Problem, number>;
}

/**
 * The shortcomings the report lists, each a rule on one document. A file that could not be read (verdict error) is
 * none of these: it is counted among the unit summary's errors.
 */
export const PROBLEMS = {
  /** Signed, yet the bytes are not those signed, or a change since was not one the rules allow. */
  changed: (doc: DocumentReport) => doc.verdict !== 'error' && doc.signatures.length > 0 && !doc.checks.intact,
  notSigned: (doc: DocumentReport) => doc.verdict !== 'error' && !doc.checks.signed,
  notTwoLayer: (doc: DocumentReport) => doc.checks.signed && !doc.checks.twoLayer,
  invalidCertificate: (doc: DocumentReport) => doc.checks.signed && !doc.checks.certificatesValid,
} satisfies Record<string, (doc: DocumentReport) => boolean>;

export type Problem = keyof typeof PROBLEMS;
const PROBLEM_NAMES = Object.keys(PROBLEMS) as Problem[];

export interface InspectionFacts {
  /** Units in the order they were first seen; the draft sorts them. */
  units: UnitFacts[];
  appendix: AppendixRow[];
  /** Failing documents in all, listed or not. */
  failing: number;
}

function documentDate(doc: DocumentReport): string | null {
  if (doc.register?.date) return doc.register.date;
  for (const s of doc.signatures) if (s.signingTime) return s.signingTime;
  return null;
}

export class InspectionTally {
  private readonly units = new Map<string | null, UnitFacts>();
  private readonly appendix: AppendixRow[] = [];
  private failing = 0;

  constructor(
    private readonly lang: Lang,
    private readonly appendixLimit = APPENDIX_LIMIT,
  ) {}

  add(doc: DocumentReport): void {
    let unit = this.units.get(doc.unit);
    if (!unit) {
      unit = { unit: doc.unit, documents: 0, passed: { signed: 0, twoLayer: 0, governmentCa: 0, intact: 0, certificatesValid: 0 }, publicProviders: new Map(), untrusted: 0, codes: new Map(), problems: { changed: 0, notSigned: 0, notTwoLayer: 0, invalidCertificate: 0 } };
      this.units.set(doc.unit, unit);
    }
    unit.documents++;
    for (const c of CRITERIA) if (doc.checks[c]) unit.passed[c]++;
    for (const p of PROBLEM_NAMES) if (PROBLEMS[p](doc)) unit.problems[p]++;
    const signatures = doc.signatures.filter((s) => s.type !== 'document-timestamp');
    // A document counts once per provider, however many of its signatures that provider issued.
    for (const name of new Set(signatures.filter((s) => s.ca.category === 'public').map(providerName))) {
      unit.publicProviders.set(name, (unit.publicProviders.get(name) ?? 0) + 1);
    }
    if (signatures.some((s) => s.ca.category === 'untrusted')) unit.untrusted++;
    const errors = doc.findings.filter((f) => f.severity === 'error');
    const codes = [...new Set(errors.map((f) => f.code))];
    for (const code of codes) unit.codes.set(code, (unit.codes.get(code) ?? 0) + 1);
    if (doc.verdict === 'compliant') return;
    this.failing++;
    if (this.appendix.length >= this.appendixLimit) return;
    this.appendix.push({
      number: doc.register?.number ?? null,
      date: documentDate(doc),
      unit: doc.unit,
      file: doc.file,
      verdict: doc.verdict,
      reasons: [...new Set(errors.map((f) => findingText(f, this.lang)))],
      codes,
    });
  }

  facts(): InspectionFacts {
    return { units: [...this.units.values()], appendix: this.appendix, failing: this.failing };
  }
}
