import { DocumentError } from '../errors';
import { PdfDict, PdfName, PdfRef, PdfStream, type PdfValue } from './objects';
import type { LoadedRevision } from './chain';
import { pastEol } from './chain';
import { XrefEntries, type XrefReadContext } from './xref';

/**
 * Rebuilds the cross-reference by scanning the file for `N G obj` headers when the xref chain cannot be followed.
 * The file is cut at each `%%EOF` into revisions, so that resolution as of a revision still sees only what was
 * written up to it — a broken xref must not let later definitions leak into earlier revisions.
 */

interface Found {
  objects: { num: number; gen: number; offset: number }[];
  eofs: number[];
  trailers: number[];
}

const CHUNK = 1024 * 1024;
const OVERLAP = 64;

function scan(ctx: XrefReadContext, maxObjects: number): Found {
  const found: Found = { objects: [], eofs: [], trailers: [] };
  const re = /(?<![0-9])(\d{1,10})[ \t\r\n\f\0]+(\d{1,5})[ \t\r\n\f\0]+obj(?![A-Za-z0-9])|%%EOF|(?<![A-Za-z])trailer(?![A-Za-z])/g;
  let seenUpTo = 0;
  for (let pos = 0; pos < ctx.win.size; pos += CHUNK) {
    ctx.budget.check();
    const text = ctx.win.slice(pos, pos + CHUNK + OVERLAP).toString('latin1');
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const at = pos + m.index;
      if (at < seenUpTo) continue; // already seen in the previous chunk's overlap
      if (m.index >= CHUNK) break;
      if (m[1] !== undefined) {
        // Refused as soon as it is too many, not once the list has grown to all a hostile file holds.
        if (found.objects.length >= maxObjects) throw new DocumentError('TOO_LARGE', 'too many objects to rebuild the xref');
        found.objects.push({ num: Number(m[1]), gen: Number(m[2]), offset: at });
      }
      else if (m[0] === '%%EOF') found.eofs.push(at);
      else found.trailers.push(at);
    }
    seenUpTo = pos + CHUNK;
  }
  return found;
}

export interface RepairResult {
  revisions: LoadedRevision[];
  anyObjects: boolean;
}

export function repairXref(ctx: XrefReadContext, maxObjects: number): RepairResult {
  const found = scan(ctx, maxObjects * 10);
  const boundaries = found.eofs.map((e) => ({ eofOffset: e, end: pastEol(ctx, e + 5) }));
  const lastEnd = boundaries.length > 0 ? boundaries[boundaries.length - 1].end : 0;
  if (found.objects.some((o) => o.offset >= lastEnd)) boundaries.push({ eofOffset: ctx.win.size, end: ctx.win.size });

  const revisions: LoadedRevision[] = [];
  let prevTrailer: PdfDict | null = null;
  let catalogNum: number | null = null;
  let segStart = 0;
  let nextObject = 0;
  let nextTrailer = 0;
  for (const b of boundaries) {
    const entries = new XrefEntries();
    let trailer: PdfDict | null = null;
    const inSegment: Found['objects'] = [];
    while (nextObject < found.objects.length && found.objects[nextObject].offset < b.eofOffset) {
      inSegment.push(found.objects[nextObject++]);
    }
    const objectStreams: number[] = [];
    for (const o of inSegment) {
      ctx.budget.check();
      entries.set(o.num, { type: 'offset', offset: o.offset, gen: o.gen });
      const head = ctx.win.slice(o.offset, o.offset + 512).toString('latin1');
      if (/\/Type\s*\/Catalog\b/.test(head)) catalogNum = o.num;
      if (/\/Type\s*\/(XRef|ObjStm)\b/.test(head)) {
        const parsed = safeParse(ctx, o.offset);
        if (parsed instanceof PdfStream) {
          const type = parsed.dict.get('Type');
          if (type instanceof PdfName && type.name === 'XRef') trailer = parsed.dict;
          if (type instanceof PdfName && type.name === 'ObjStm') objectStreams.push(o.num);
        }
      }
    }
    while (nextTrailer < found.trailers.length && found.trailers[nextTrailer] < b.eofOffset) {
      const t = found.trailers[nextTrailer++];
      try {
        const { value } = ctx.parser.parseValueAt(t + 'trailer'.length);
        if (value instanceof PdfDict) trailer = value;
      } catch (e) {
        if (e instanceof DocumentError) throw e;
      }
    }
    if (inSegment.length === 0 && trailer === null) {
      segStart = b.end;
      continue;
    }
    const base: PdfDict = trailer ?? prevTrailer ?? new PdfDict();
    let effective: PdfDict = base;
    if (!(base.get('Root') instanceof PdfRef) && catalogNum !== null) {
      const map = new Map<string, PdfValue>(base.map);
      map.set('Root', new PdfRef(catalogNum, 0));
      effective = new PdfDict(map);
    }
    const objects = [...entries.keys()].sort((a, b2) => a - b2);
    const r = effective.get('Root');
    revisions.push({
      info: {
        index: revisions.length,
        xrefOffset: segStart,
        xrefKind: trailer !== null && trailer.has('W') ? 'stream' : 'table',
        eofOffset: b.eofOffset,
        end: b.end,
        objects,
        freed: [],
        rootObject: r instanceof PdfRef ? r.num : null,
        // Every object was found by the scan: nothing can be unlisted, and the lost xref is reported as a repair.
        xrefDamage: [],
        unlisted: [],
        conflicting: [],
      },
      entries,
      trailer: effective,
      objectStreams,
      sectionSpans: [],
    });
    prevTrailer = effective;
    segStart = b.end;
  }
  return { revisions, anyObjects: found.objects.length > 0 };
}

function safeParse(ctx: XrefReadContext, offset: number): PdfDict | PdfStream | null {
  try {
    const obj = ctx.parser.parseIndirectAt(offset);
    const v = obj?.value;
    return v instanceof PdfDict || v instanceof PdfStream ? v : null;
  } catch (e) {
    if (e instanceof DocumentError) throw e;
    return null;
  }
}
