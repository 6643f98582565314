import { fitted, numberVariant } from './numbers';
import type { PdfSpots, Spot } from './pdf-spots';
import type { Rng } from './rng';

/**
 * The mutations, each a small function: given the bytes so far (and where their PDF parts sit), it returns the new
 * bytes and one line saying what it did, or null when the file has nothing it could aim at (no /ByteRange left, say)
 * and another mutation is drawn. Most aim at what a signature verifier reads — /ByteRange, /Contents, /Length,
 * xref rows and subsection counts, startxref, %%EOF and the chain of incremental updates — and the rest are the
 * blind ones (bit flips, inserted and deleted bytes, truncation, splicing two files) that find what nobody aimed at.
 */

export interface Work {
  bytes: Buffer;
  spots: PdfSpots;
  /** Every seed, for splicing, and where its parts sit (found once per seed). */
  seeds: readonly Buffer[];
  seedSpots(index: number): PdfSpots;
  maxBytes: number;
}

export interface Mutation {
  bytes: Buffer;
  op: string;
  /** A page object was rewritten in an update appended after everything else: no signature may vouch for it. */
  pageRewritten?: boolean;
}

export type Mutator = (w: Work, rng: Rng) => Mutation | null;

function splice(bytes: Buffer, start: number, end: number, insert: Buffer | string): Buffer {
  const middle = typeof insert === 'string' ? Buffer.from(insert, 'latin1') : insert;
  return Buffer.concat([bytes.subarray(0, start), middle, bytes.subarray(end)]);
}

function pickSpot(rng: Rng, spots: Spot[]): Spot | null {
  return spots.length === 0 ? null : rng.pick(spots);
}

/** A number at `spot` replaced by a variant, fitted to its width half the time. */
function tweakNumber(w: Work, rng: Rng, spot: Spot | null, what: string, zeroPad = false): Mutation | null {
  if (!spot) return null;
  const old = w.bytes.toString('latin1', spot.start, spot.end);
  const variant = numberVariant(rng, old);
  const text = rng.chance(0.5) ? fitted(variant, spot.end - spot.start, zeroPad) : variant;
  return { bytes: splice(w.bytes, spot.start, spot.end, text), op: `${what} at ${spot.start}: ${old} → ${text.trim()}` };
}

/** A position, uniform half the time, else near one of the file's structural spots. */
function position(w: Work, rng: Rng): number {
  const n = w.bytes.length;
  if (n === 0 || rng.chance(0.5)) return rng.int(n + 1);
  const near = pickSpot(rng, [...w.spots.byteRangeArrays(), ...w.spots.eofMarkers(), ...w.spots.startxrefValues(), ...w.spots.contentsHex().slice(0, 8)]);
  if (!near) return rng.int(n + 1);
  return Math.max(0, Math.min(n, near.start + rng.range(-64, 64)));
}

const INTERESTING = [0x00, 0xff, 0x0a, 0x0d, 0x20, 0x25, 0x28, 0x29, 0x2f, 0x3c, 0x3e, 0x5b, 0x5d, 0x30, 0x39, 0x7f, 0x80];

const TOKENS = [
  '<<', '>>', '[', ']', '(', ')', '<', '>', '/', '%', '\\', '\r', '\n', '\0', ' 0 R', ' 1 0 obj ', 'obj', 'endobj',
  'stream\n', '\nendstream', 'xref\n', 'trailer', 'startxref\n', '%%EOF\n', '/Type /Sig', '/ByteRange [0 0 0 0]',
  '/Contents <>', '/Prev 0', '/Size 0', '/Filter /FlateDecode', '/Length 0', '/Encrypt 1 0 R', '/ObjStm', '/XRef',
];

const bitFlip: Mutator = (w, rng) => {
  if (w.bytes.length === 0) return null;
  const bytes = Buffer.from(w.bytes);
  const count = rng.smallish(16);
  const at: number[] = [];
  for (let i = 0; i < count; i++) {
    const p = Math.min(bytes.length - 1, position(w, rng));
    bytes[p] ^= 1 << rng.int(8);
    at.push(p);
  }
  return { bytes, op: `flip ${count} bit(s) at ${at.slice(0, 4).join(', ')}${at.length > 4 ? ' …' : ''}` };
};

const setBytes: Mutator = (w, rng) => {
  if (w.bytes.length === 0) return null;
  const bytes = Buffer.from(w.bytes);
  const p = Math.min(bytes.length - 1, position(w, rng));
  const count = Math.min(bytes.length - p, rng.smallish(8));
  for (let i = 0; i < count; i++) bytes[p + i] = rng.pick(INTERESTING);
  return { bytes, op: `set ${count} byte(s) at ${p}` };
};

const insertBytes: Mutator = (w, rng) => {
  const p = position(w, rng);
  if (rng.chance(0.6)) {
    const token = rng.pick(TOKENS);
    return { bytes: splice(w.bytes, p, p, token), op: `insert ${JSON.stringify(token)} at ${p}` };
  }
  const random = Buffer.alloc(rng.smallish(256));
  for (let i = 0; i < random.length; i++) random[i] = rng.int(256);
  return { bytes: splice(w.bytes, p, p, random), op: `insert ${random.length} random byte(s) at ${p}` };
};

const deleteBytes: Mutator = (w, rng) => {
  if (w.bytes.length === 0) return null;
  const p = Math.min(w.bytes.length - 1, position(w, rng));
  const count = Math.min(w.bytes.length - p, rng.smallish(4096));
  return { bytes: splice(w.bytes, p, p + count, ''), op: `delete ${count} byte(s) at ${p}` };
};

const truncate: Mutator = (w, rng) => {
  const ends = w.spots.revisionEnds();
  let at: number;
  if (ends.length > 0 && rng.chance(0.5)) at = Math.max(0, Math.min(w.bytes.length, rng.pick(ends) + rng.range(-8, 2)));
  else if (rng.chance(0.3)) at = Math.max(0, w.bytes.length - rng.smallish(64));
  else at = rng.int(w.bytes.length);
  if (at >= w.bytes.length) return null;
  return { bytes: w.bytes.subarray(0, at), op: `truncate to ${at} of ${w.bytes.length} bytes` };
};

/** Two files made one: a head of this one and a tail of another, cut anywhere or at revision boundaries. */
const spliceFiles: Mutator = (w, rng) => {
  const otherIndex = rng.int(w.seeds.length);
  const other = w.seeds[otherIndex];
  const otherSpots = w.seedSpots(otherIndex);
  const mine = w.spots.revisionEnds();
  const theirs = otherSpots.revisionEnds();
  let cut: number;
  let from: number;
  if (rng.chance(0.5) && mine.length > 0 && theirs.length > 1) {
    // This file's first revisions, then the other file's later updates: an update grafted onto a document it
    // was not made for.
    cut = rng.pick(mine);
    from = theirs[rng.int(theirs.length - 1)];
  } else {
    cut = rng.int(w.bytes.length + 1);
    from = rng.int(other.length + 1);
  }
  const bytes = Buffer.concat([w.bytes.subarray(0, cut), other.subarray(from)]);
  if (bytes.length > w.maxBytes) return null;
  return { bytes, op: `splice: bytes [0, ${cut}) + seed #${otherIndex} from ${from}` };
};

const byteRangeNumber: Mutator = (w, rng) => tweakNumber(w, rng, pickSpot(rng, w.spots.byteRangeNumbers()), '/ByteRange number');

const byteRangeArray: Mutator = (w, rng) => {
  const spot = pickSpot(rng, w.spots.byteRangeArrays());
  if (!spot) return null;
  const old = w.bytes.toString('latin1', spot.start, spot.end);
  const nums = (old.match(/-?\d+/g) ?? []).map(Number);
  const [a = 0, b = 0, c = 0, d = 0] = nums;
  const choices = [
    '/ByteRange []',
    '/ByteRange [0 0 0 0]',
    `/ByteRange [0 ${b} ${c} ${d}]`,
    `/ByteRange [${a} ${b} ${c}]`,
    `/ByteRange [${a} ${b} ${c} ${d} ${c} ${d}]`,
    `/ByteRange [${a} ${b} ${c} ${d + w.bytes.length}]`,
    `/ByteRange [${a} ${b + 2} ${c - 2} ${d + 2}]`,
    `/ByteRange [0 ${w.bytes.length} 0 0]`,
    `/ByteRange [${a} ${b}.0 ${c} ${d}]`,
    `/ByteRange 5 0 R`,
    `${old} /ByteRange [0 1 2 3]`,
  ];
  const text = fitted(rng.pick(choices), old.length, false);
  return { bytes: splice(w.bytes, spot.start, spot.end, text), op: `/ByteRange at ${spot.start} → ${text.trim()}` };
};

const lengthValue: Mutator = (w, rng) => tweakNumber(w, rng, pickSpot(rng, w.spots.lengthValues()), '/Length');

const countValue: Mutator = (w, rng) => tweakNumber(w, rng, pickSpot(rng, w.spots.countValues()), 'count or size');

const xrefOffset: Mutator = (w, rng) => tweakNumber(w, rng, pickSpot(rng, w.spots.xrefOffsets()), 'xref row offset', true);

const xrefKind: Mutator = (w, rng) => {
  const spot = pickSpot(rng, w.spots.xrefKinds());
  if (!spot) return null;
  const old = w.bytes.toString('latin1', spot.start, spot.end);
  const text = rng.pick(['n', 'f', 'x', ' ', 'N'].filter((k) => k !== old));
  return { bytes: splice(w.bytes, spot.start, spot.end, text), op: `xref row kind at ${spot.start}: ${old} → ${JSON.stringify(text)}` };
};

const subsection: Mutator = (w, rng) => tweakNumber(w, rng, pickSpot(rng, w.spots.subsectionNumbers()), 'xref subsection header');

const startxref: Mutator = (w, rng) => tweakNumber(w, rng, pickSpot(rng, w.spots.startxrefValues()), 'startxref');

const eofMarker: Mutator = (w, rng) => {
  const marks = w.spots.eofMarkers();
  const mark = pickSpot(rng, marks);
  switch (rng.int(3)) {
    case 0:
      if (!mark) return null;
      return { bytes: splice(w.bytes, mark.start, mark.end, ''), op: `remove the %%EOF at ${mark.start}` };
    case 1: {
      if (!mark) return null;
      const copies = rng.smallish(64);
      return { bytes: splice(w.bytes, mark.end, mark.end, '\n%%EOF'.repeat(copies)), op: `repeat the %%EOF at ${mark.start} ${copies} time(s)` };
    }
    default: {
      const p = rng.int(w.bytes.length + 1);
      return { bytes: splice(w.bytes, p, p, '\n%%EOF\n'), op: `insert %%EOF at ${p}` };
    }
  }
};

/** Arrays or dictionaries nested deeper than any reader's stack, closed or left open. */
const deepNesting: Mutator = (w, rng) => {
  const objs = w.spots.keywords().filter((k) => w.bytes.toString('latin1', k.start, k.end) === 'obj');
  const at = objs.length > 0 && rng.chance(0.7) ? rng.pick(objs).end : rng.int(w.bytes.length + 1);
  const depth = rng.smallish(1 << 18);
  const [open, close] = rng.pick([['[', ']'], ['<<', '>>'], ['<</A ', '>>'], ['[<<', '>>]']] as const);
  const closed = rng.chance(0.5);
  const text = open.repeat(depth) + (closed ? close.repeat(depth) : '');
  if (w.bytes.length + text.length > w.maxBytes) return null;
  return { bytes: splice(w.bytes, at, at, ` ${text} `), op: `nest ${JSON.stringify(open)} ${depth} deep${closed ? ', closed' : ''} at ${at}` };
};

/** A count, size or offset a reader might allocate or loop by, set to a huge value. */
const hugeCount: Mutator = (w, rng) => {
  const spot = pickSpot(rng, [...w.spots.countValues(), ...w.spots.subsectionNumbers(), ...w.spots.lengthValues(), ...w.spots.byteRangeNumbers()]);
  if (!spot) return null;
  const value = rng.pick(['2147483647', '4294967296', '1000000000', '10000000', '99999999999999999999', '-2147483648']);
  return { bytes: splice(w.bytes, spot.start, spot.end, value), op: `huge value at ${spot.start}: ${w.bytes.toString('latin1', spot.start, spot.end)} → ${value}` };
};

function lastStartxref(w: Work): number | null {
  const values = w.spots.startxrefValues();
  if (values.length === 0) return null;
  const last = values[values.length - 1];
  return Number(w.bytes.toString('latin1', last.start, last.end));
}

function sizeOf(w: Work): number {
  const sizes = [...w.spots.text.matchAll(/\/Size\s+(\d+)/g)].map((m) => Number(m[1]));
  return Math.max(w.spots.maxObjectNumber() + 1, ...sizes);
}

function withNewline(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? Buffer.concat([bytes, Buffer.from('\n')]) : bytes;
}

/** The last update appended again and again, or a chain of many empty updates, each pointing at the one before. */
const repeatUpdates: Mutator = (w, rng) => {
  const ends = w.spots.revisionEnds();
  if (rng.chance(0.5) && ends.length >= 2) {
    const last = w.bytes.subarray(ends[ends.length - 2], ends[ends.length - 1]);
    const copies = rng.smallish(512);
    if (w.bytes.length + last.length * copies > w.maxBytes) return null;
    const bytes = Buffer.concat([w.bytes.subarray(0, ends[ends.length - 1]), ...Array.from({ length: copies }, () => last)]);
    return { bytes, op: `append the last update (${last.length} bytes) ${copies} more time(s)` };
  }
  const root = w.spots.rootRef();
  let prev = lastStartxref(w);
  if (root === null || prev === null) return null;
  const size = sizeOf(w);
  const count = rng.smallish(8192);
  const parts: string[] = [];
  let at = withNewline(w.bytes).length;
  for (let i = 0; i < count; i++) {
    const update = `xref\n0 0\ntrailer\n<< /Size ${size} /Root ${root} /Prev ${prev} >>\nstartxref\n${at}\n%%EOF\n`;
    parts.push(update);
    prev = at;
    at += update.length;
  }
  const bytes = Buffer.concat([withNewline(w.bytes), Buffer.from(parts.join(''), 'latin1')]);
  if (bytes.length > w.maxBytes) return null;
  return { bytes, op: `append ${count} empty incremental update(s)` };
};

/**
 * An object rewritten in a well-formed incremental update appended at the end (the shadow attacks' shape). A page
 * object gets `/Rotate 90`: a change no signature made before it may vouch for, so the document cannot be intact.
 */
export const shadowUpdate: Mutator = (w, rng) => {
  const objects = w.spots.plainObjects();
  const root = w.spots.rootRef();
  const prev = lastStartxref(w);
  if (objects.length === 0 || root === null || prev === null) return null;
  const pages = objects.filter((o) => /\/Type\s*\/Page(?![a-zA-Z])/.test(o.body) && !/\/Rotate/.test(o.body) && o.body.includes('<<'));
  const page = pages.length > 0 && rng.chance(0.6);
  const target = page ? rng.pick(pages) : rng.pick(objects);
  // The object's latest definition, the one an update overrides.
  const latest = objects.filter((o) => o.num === target.num && o.gen === target.gen).pop() ?? target;
  const body = page
    ? latest.body.replace('<<', '<< /Rotate 90')
    : latest.body.includes('<<')
      ? latest.body.replace('<<', '<< /KiemkyFuzz 1')
      : ' null ';
  const base = withNewline(w.bytes);
  const object = `${latest.num} ${latest.gen} obj${body}endobj\n`;
  const xrefAt = base.length + object.length;
  const xref = `xref\n0 1\n0000000000 65535 f \n${latest.num} 1\n${String(base.length).padStart(10, '0')} ${String(latest.gen).padStart(5, '0')} n \n`;
  const trailer = `trailer\n<< /Size ${Math.max(sizeOf(w), latest.num + 1)} /Root ${root} /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return {
    bytes: Buffer.concat([base, Buffer.from(object + xref + trailer, 'latin1')]),
    op: `rewrite object ${latest.num} ${latest.gen} in an appended update${page ? ' (a page, rotated)' : ''}`,
    pageRewritten: page,
  };
};

/** The signature's CMS: a digit changed, zeroed, cut short, lengthened or made odd. */
const contents: Mutator = (w, rng) => {
  const spot = pickSpot(rng, w.spots.contentsHex());
  if (!spot) return null;
  const len = spot.end - spot.start;
  switch (rng.int(5)) {
    case 0: {
      // Mostly within the DER itself (its first bytes), not the zero padding after it.
      const p = spot.start + (rng.chance(0.7) ? rng.int(Math.min(len, 4096)) : rng.int(len));
      const digit = '0123456789ABCDEF'[rng.int(16)];
      return { bytes: splice(w.bytes, p, p + 1, digit), op: `/Contents hex digit at ${p} → ${digit}` };
    }
    case 1:
      return { bytes: splice(w.bytes, spot.start, spot.end, '0'.repeat(len)), op: `/Contents at ${spot.start} zeroed` };
    case 2: {
      const cut = rng.smallish(len);
      return { bytes: splice(w.bytes, spot.end - cut, spot.end, ''), op: `/Contents at ${spot.start} shortened by ${cut} digit(s)` };
    }
    case 3: {
      const more = rng.smallish(4096);
      return { bytes: splice(w.bytes, spot.end, spot.end, '0'.repeat(more)), op: `/Contents at ${spot.start} lengthened by ${more} digit(s)` };
    }
    default:
      return { bytes: splice(w.bytes, spot.start, spot.start + 1, ''), op: `/Contents at ${spot.start} made odd-length` };
  }
};

const anyInteger: Mutator = (w, rng) => tweakNumber(w, rng, pickSpot(rng, w.spots.integers()), 'integer');

const keyword: Mutator = (w, rng) => {
  const spot = pickSpot(rng, w.spots.keywords());
  if (!spot) return null;
  const old = w.bytes.toString('latin1', spot.start, spot.end);
  switch (rng.int(3)) {
    case 0:
      return { bytes: splice(w.bytes, spot.start, spot.end, ''), op: `delete ${JSON.stringify(old)} at ${spot.start}` };
    case 1:
      return { bytes: splice(w.bytes, spot.end, spot.end, ` ${old}`), op: `repeat ${JSON.stringify(old)} at ${spot.start}` };
    default: {
      const other = rng.pick(['obj', 'endobj', 'stream', 'endstream', 'xref', 'trailer', 'R', '<<', '>>', '[', ']', 'null']);
      return { bytes: splice(w.bytes, spot.start, spot.end, other), op: `${JSON.stringify(old)} at ${spot.start} → ${JSON.stringify(other)}` };
    }
  }
};

/** A second /ByteRange or /Contents in the same dictionary: which one does the verifier read, and which is hashed? */
const duplicateKey: Mutator = (w, rng) => {
  const spot = pickSpot(rng, [...w.spots.byteRangeArrays(), ...w.spots.contentsHex().map((s) => ({ start: s.start - 1, end: s.end + 1 }))]);
  if (!spot) return null;
  const old = w.bytes.toString('latin1', spot.start, spot.end);
  const extra = old.startsWith('/ByteRange') ? rng.pick([old, '/ByteRange [0 1 2 3]', '/ByteRange [0 0 0 0]']) : rng.pick([`/Contents ${old}`, '/Contents <3000>', '/Contents <>']);
  const before = rng.chance(0.5);
  const at = before ? (old.startsWith('/ByteRange') ? spot.start : spot.start - '/Contents'.length - 1) : spot.end;
  const p = Math.max(0, at);
  return { bytes: splice(w.bytes, p, p, ` ${extra} `), op: `second ${extra.slice(0, 30)} ${before ? 'before' : 'after'} the one at ${spot.start}` };
};

/** Weights: the aimed mutations more often than the blind ones, each still drawn often enough to matter. */
export const MUTATORS: readonly [Mutator, number][] = [
  [bitFlip, 10],
  [setBytes, 6],
  [insertBytes, 6],
  [deleteBytes, 6],
  [truncate, 5],
  [spliceFiles, 5],
  [byteRangeNumber, 8],
  [byteRangeArray, 3],
  [lengthValue, 5],
  [countValue, 4],
  [xrefOffset, 5],
  [xrefKind, 2],
  [subsection, 5],
  [startxref, 5],
  [eofMarker, 5],
  [deepNesting, 3],
  [hugeCount, 5],
  [repeatUpdates, 3],
  [shadowUpdate, 5],
  [contents, 7],
  [anyInteger, 5],
  [keyword, 4],
  [duplicateKey, 2],
];
