import type { PageEntry, PdfDocument } from './document';
import { PdfDict, PdfName, PdfRef, PdfStream, type PdfValue } from './objects';
import type { WidgetRef } from './fields';
import type { WidgetInfo } from './types';

/** Finds widgets' pages and what their appearances draw, as of the latest revision. */
export class WidgetInspector {
  private pages: PageEntry[] | null = null;
  private annotPage: Map<number, number> | null = null;

  constructor(private readonly doc: PdfDocument) {}

  describe(w: WidgetRef): WidgetInfo {
    return {
      page: this.pageOf(w),
      rect: this.rect(w.dict),
      hasAppearance: this.normalAppearance(w.dict) !== null,
      hasImage: this.drawsImage(w.dict),
    };
  }

  private allPages(): PageEntry[] {
    if (this.pages === null) this.pages = this.doc.pages();
    return this.pages;
  }

  private pageOf(w: WidgetRef): number | null {
    const pages = this.allPages();
    const p = w.dict.get('P');
    if (p instanceof PdfRef) {
      const i = pages.findIndex((pg) => pg.ref !== null && pg.ref.num === p.num);
      if (i >= 0) return i;
    }
    if (w.ref === null) return null;
    if (this.annotPage === null) {
      const map = new Map<number, number>();
      pages.forEach((pg, i) => {
        const annots = this.doc.resolve(pg.dict.get('Annots'));
        if (!Array.isArray(annots)) return;
        for (const a of annots) if (a instanceof PdfRef && !map.has(a.num)) map.set(a.num, i);
      });
      this.annotPage = map;
    }
    return this.annotPage.get(w.ref.num) ?? null;
  }

  private rect(dict: PdfDict): [number, number, number, number] | null {
    const r = this.doc.resolve(dict.get('Rect'));
    if (!Array.isArray(r) || r.length !== 4) return null;
    const nums = r.map((x) => this.doc.resolve(x));
    if (!nums.every((x): x is number => typeof x === 'number' && Number.isFinite(x))) return null;
    return [nums[0], nums[1], nums[2], nums[3]];
  }

  private normalAppearance(dict: PdfDict): PdfStream | null {
    const ap = this.doc.resolve(dict.get('AP'));
    if (!(ap instanceof PdfDict)) return null;
    const n = this.doc.resolve(ap.get('N'));
    return n instanceof PdfStream ? n : null;
  }

  private drawsImage(dict: PdfDict): boolean {
    const n = this.normalAppearance(dict);
    if (n === null) return false;
    return this.xobjectsHaveImage(n, 1);
  }

  /** Image XObjects in a form's resources, looking `levels` deeper into nested forms. */
  private xobjectsHaveImage(form: PdfStream, levels: number): boolean {
    const resources = this.doc.resolve(form.dict.get('Resources'));
    if (!(resources instanceof PdfDict)) return false;
    const xobjects = this.doc.resolve(resources.get('XObject'));
    if (!(xobjects instanceof PdfDict)) return false;
    const nested: PdfStream[] = [];
    for (const value of xobjects.map.values()) {
      const x: PdfValue = this.doc.resolve(value);
      if (!(x instanceof PdfStream)) continue;
      const subtype = this.doc.resolve(x.dict.get('Subtype'));
      if (subtype instanceof PdfName && subtype.name === 'Image') return true;
      if (subtype instanceof PdfName && subtype.name === 'Form' && x !== form) nested.push(x);
    }
    return levels > 0 && nested.some((f) => this.xobjectsHaveImage(f, levels - 1));
  }
}
