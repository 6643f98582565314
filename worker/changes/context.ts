import { DocumentError } from '../errors';
import type { PdfDocument } from '../pdf/index';
import { PdfDict, PdfRef, PdfStream, type PdfValue } from '../pdf/objects';
import type { ChangeKind, ChangeType, ChangeViolation, RuleName } from './types';
import { pageRoles, kindOfValue, type Role } from './roles';
import { dictOfValue } from './values';

/** What the signatures before this revision permit; computed once per revision by the caller. */
export interface RevisionPolicy {
  /** DocMDP /P of a certification signature made before this revision; null when none. */
  docMdpP: number | null;
  /** Whether a FieldMDP lock of an earlier signature protects the field with this fully qualified name. */
  isLocked: (fieldName: string) => boolean;
  /** The signature applied by this revision, when its integrity holds. */
  signer: { index: number; objectNumber: number | null; timestamp: boolean } | null;
  /**
   * A valid approval signature in this revision or a later one covers it. When none does, whatever the rules
   * explain is still recorded, described, because after the last signature only a DSS or a document timestamp
   * leaves a document intact.
   */
  vouched: boolean;
}

/**
 * One revision's changes, object by object, and the bookkeeping of which rule explained which. Reads are as of
 * r-1 ("old") and r ("new"); only objects the revision writes are ever claimed.
 */
export class RevisionContext {
  readonly written: Set<number>;
  readonly freed: number[];
  readonly claimed = new Map<number, RuleName>();
  readonly violations: ChangeViolation[] = [];
  /** Objects already reported by a rule: the final sweep does not report them twice. */
  private readonly reported = new Set<number>();
  private readonly oldCache = new Map<number, PdfValue>();
  private readonly newCache = new Map<number, PdfValue>();
  private rolesOld: Map<number, Role> | null = null;
  private rolesNew: Map<number, Role> | null = null;
  /** The document catalog as of the revision before, and as of this one (null when unreadable). */
  readonly oldCatalog: PdfDict | null;
  readonly newCatalog: PdfDict | null;
  /** Widgets of signature fields this revision adds: the only annotations a page may gain. */
  readonly newSignatureWidgets = new Set<number>();

  constructor(
    readonly doc: PdfDocument,
    readonly rev: number,
    readonly policy: RevisionPolicy,
  ) {
    const info = doc.revisions[rev]!;
    // Each object an update after signing writes is examined on its own; an update of more than the document's object
    // limit is no signer's (nor a DSS's) and would hold the analysis past its budget, in a set too large to grow.
    if (info.objects.length + info.freed.length > doc.limits.maxObjects) {
      throw new DocumentError('TOO_COMPLEX', `revision ${rev} writes or frees ${info.objects.length + info.freed.length} objects after signing`);
    }
    this.written = new Set(info.objects);
    this.freed = info.freed;
    this.oldCatalog = doc.catalog(rev - 1);
    this.newCatalog = doc.catalog(rev);
  }

  old(num: number): PdfValue {
    if (!this.oldCache.has(num)) this.oldCache.set(num, this.doc.getObject(num, this.rev - 1)?.value ?? null);
    return this.oldCache.get(num) ?? null;
  }

  cur(num: number): PdfValue {
    if (!this.newCache.has(num)) this.newCache.set(num, this.doc.getObject(num, this.rev)?.value ?? null);
    return this.newCache.get(num) ?? null;
  }

  resolveOld(v: PdfValue | undefined): PdfValue {
    return this.doc.resolve(v, this.rev - 1);
  }

  resolveNew(v: PdfValue | undefined): PdfValue {
    return this.doc.resolve(v, this.rev);
  }

  isWritten(num: number): boolean {
    return this.written.has(num);
  }

  /** Written by this revision and not in use before it. */
  isAdded(num: number): boolean {
    return this.written.has(num) && this.old(num) === null;
  }

  changeOf(num: number): ChangeType {
    return this.old(num) === null ? 'added' : 'modified';
  }

  claim(num: number, rule: RuleName): void {
    if (this.written.has(num) && !this.claimed.has(num)) this.claimed.set(num, rule);
  }

  isClaimed(num: number): boolean {
    return this.claimed.has(num);
  }

  /** Whether some object this revision writes is neither claimed nor reported yet. */
  hasUnclaimed(): boolean {
    for (const n of this.written) if (!this.claimed.has(n) && !this.reported.has(n)) return true;
    return false;
  }

  /**
   * Claims every object this revision adds that is reachable from `start` through added objects only. An
   * existing object reached on the way is not claimed: if the revision rewrote it, the final sweep reports it as
   * an override (e.g. a new appearance that points at an overridden font).
   */
  claimAddedTree(start: PdfValue | undefined, rule: RuleName, limit = 10_000): void {
    const stack: PdfValue[] = [start ?? null];
    let steps = 0;
    while (stack.length > 0 && steps++ < limit) {
      const v = stack.pop()!;
      if (v instanceof PdfRef) {
        if (!this.isAdded(v.num) || this.claimed.has(v.num)) continue;
        this.claim(v.num, rule);
        stack.push(this.cur(v.num));
      } else if (Array.isArray(v)) stack.push(...v);
      else if (v instanceof PdfDict) stack.push(...v.map.values());
      else if (v instanceof PdfStream) stack.push(v.dict);
    }
  }

  violate(v: Omit<ChangeViolation, 'revision'>): void {
    if (v.object !== null) {
      if (this.reported.has(v.object)) return;
      this.reported.add(v.object);
    }
    this.violations.push({ revision: this.rev, ...v });
  }

  isReported(num: number): boolean {
    return this.reported.has(num);
  }

  /**
   * Where object `num` is referred to as of the previous revision: by each object (holder, top-level key) and by the
   * trailer (holder null). A reference tracker over the whole revision, so only called for the rare changes that
   * need one; bounded by the document's object limit and time budget.
   */
  usagesAsOfPrevious(num: number): { holder: number | null; key: string }[] {
    const rev = this.rev - 1;
    const out: { holder: number | null; key: string }[] = [];
    const note = (holder: number | null, d: PdfDict): void => {
      for (const [key, v] of d.map) if (refersTo(v, num, 0)) out.push({ holder, key });
    };
    note(null, this.doc.trailer(rev));
    let seen = 0;
    for (const [n, e] of this.doc.entriesAsOf(rev)) {
      if (e.type === 'free' || n === num) continue;
      if (++seen > this.doc.limits.maxObjects) break;
      this.doc.budget.check();
      const v = this.doc.getObject(n, rev)?.value;
      const d = v instanceof PdfStream ? v.dict : v instanceof PdfDict ? v : null;
      if (d !== null) note(n, d);
      else if (Array.isArray(v) && refersTo(v, num, 0)) out.push({ holder: n, key: '' });
    }
    return out;
  }

  /** Names an object for a finding: its page role first (what the reader sees), else its own type. */
  describe(num: number, change: ChangeType): { kind: ChangeKind; page: number | null; detail: string | null } {
    const value = change === 'added' ? this.cur(num) : this.old(num);
    const primary = change === 'added' ? this.roles('new') : this.roles('old');
    const role = primary.get(num) ?? (change === 'added' ? undefined : this.roles('new').get(num));
    const own = kindOfValue(value, change);
    if (role !== undefined) {
      // An annotation keeps its subtype from its own dictionary; a page dictionary says which keys changed.
      let detail = role.detail ?? own.detail ?? null;
      if (role.kind === 'page' && change === 'modified') {
        const keys = this.changedPageKeys(num);
        if (keys.length > 0) detail = keys.map((k) => `/${k}`).join(' ');
        if (keys.includes('Contents')) return { kind: 'page-content', page: role.page, detail };
        if (keys.includes('Resources')) return { kind: 'page-resources', page: role.page, detail };
      }
      return { kind: role.kind === 'page' && change === 'added' ? 'new-page' : role.kind, page: role.page, detail };
    }
    return { kind: own.kind, page: this.pageFromP(dictOfValue(value)), detail: own.detail ?? null };
  }

  private changedPageKeys(num: number): string[] {
    const a = dictOfValue(this.old(num));
    const b = dictOfValue(this.cur(num));
    if (a === null || b === null) return [];
    const keys = new Set([...a.keys(), ...b.keys()]);
    return [...keys].filter((k) => {
      const x = a.get(k);
      const y = b.get(k);
      if (x instanceof PdfRef && y instanceof PdfRef) return x.num !== y.num;
      return JSON.stringify(plain(x)) !== JSON.stringify(plain(y));
    });
  }

  /** Page index of an annotation from its /P entry, as of this revision. */
  pageFromP(d: PdfDict | null): number | null {
    const p = d?.get('P');
    if (!(p instanceof PdfRef)) return null;
    const role = this.roles('new').get(p.num) ?? this.roles('old').get(p.num);
    return role?.kind === 'page' ? role.page : null;
  }

  roles(which: 'old' | 'new'): Map<number, Role> {
    if (which === 'old') return (this.rolesOld ??= pageRoles(this.doc, this.rev - 1));
    return (this.rolesNew ??= pageRoles(this.doc, this.rev));
  }
}

/** Whether `v` holds a direct reference to object `num` anywhere inside it (references are not followed). */
function refersTo(v: PdfValue | undefined, num: number, depth: number): boolean {
  if (depth > 32 || v === undefined || v === null) return false;
  if (v instanceof PdfRef) return v.num === num;
  if (Array.isArray(v)) return v.some((x) => refersTo(x, num, depth + 1));
  if (v instanceof PdfDict) {
    for (const x of v.map.values()) if (refersTo(x, num, depth + 1)) return true;
    return false;
  }
  if (v instanceof PdfStream) return refersTo(v.dict, num, depth + 1);
  return false;
}

/** A JSON-able shape of a value, for cheap key-level comparison in messages only. */
function plain(v: PdfValue | undefined, depth = 0): unknown {
  if (depth > 8 || v === undefined || v === null) return null;
  if (v instanceof PdfRef) return `${v.num} R`;
  if (Array.isArray(v)) return v.map((x) => plain(x, depth + 1));
  if (v instanceof PdfDict) return Object.fromEntries([...v.map].map(([k, x]) => [k, plain(x, depth + 1)]));
  if (v instanceof PdfStream) return { stream: v.dataOffset };
  if (typeof v === 'object') return String((v as { name?: string }).name ?? (v as { bytes?: Buffer }).bytes?.toString('hex'));
  return v;
}
