import type { PdfDict } from '../../pdf/objects';
import type { RevisionContext } from '../context';
import { changedKeys } from '../values';
import { refNum, trailerRef } from './refs';
import type { ChangeRule } from './rule';

/** Catalog keys a later revision may change (ISO 32000-2 12.8.2.2 plus PAdES' DSS and extensions). */
export const CATALOG_ALLOWED_KEYS = new Set(['AcroForm', 'DSS', 'Extensions', 'Metadata', 'Version']);

export function rootNum(ctx: RevisionContext, rev: number): number | null {
  return refNum(trailerRef(ctx, 'Root', rev));
}

/** The catalog may change only in the keys adding signatures, validation data and metadata need. */
function ruleCatalog(ctx: RevisionContext, oldCat: PdfDict | null, newCat: PdfDict | null): void {
  const oldRoot = rootNum(ctx, ctx.rev - 1);
  const newRoot = rootNum(ctx, ctx.rev);
  if (newCat === null) {
    ctx.violate({
      object: newRoot,
      change: 'modified',
      kind: 'catalog',
      page: null,
      detail: 'không còn đọc được danh mục tài liệu (bị xóa, hoặc /Root trỏ tới đối tượng không có)',
      detailEn: 'the catalog can no longer be read (freed, or /Root points at nothing)',
    });
    return;
  }
  const bad = changedKeys(ctx.doc, oldCat, newCat).filter((k) => !CATALOG_ALLOWED_KEYS.has(k));
  if (bad.length > 0) {
    ctx.violate({ object: newRoot, change: 'modified', kind: 'catalog', page: null, detail: bad.map((k) => `/${k}`).join(' ') });
  }
  if (newRoot !== null && ctx.isWritten(newRoot)) {
    // The catalog may move to a fresh number, but not onto an object that was something else.
    if (newRoot === oldRoot || ctx.isAdded(newRoot)) ctx.claim(newRoot, 'rule_catalog_allowed_keys');
  }
  ctx.claimAddedTree(newCat.get('Extensions'), 'rule_catalog_allowed_keys');
}

export const CATALOG: ChangeRule = { name: 'catalog_allowed_keys', apply: (ctx) => ruleCatalog(ctx, ctx.oldCatalog, ctx.newCatalog) };
