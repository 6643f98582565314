/**
 * A zero-copy DER (and, on request, BER indefinite-length) reader.
 *
 * Every node is a view on the caller's Buffer: no bytes are copied until a value is decoded. All offsets are checked
 * against the enclosing element before use, so a malformed or hostile input ends in an `Asn1Error`, never in an
 * out-of-bounds read, and nesting is capped so no input can recurse without limit.
 *
 * Strictness: definite lengths are required unless the parse was started with `{ ber: true }` (CMS outer layers,
 * where some PDF signers emit BER). Long-form lengths that could have been short are tolerated (harmless: signatures
 * are always checked over the raw bytes as they were signed).
 */

export class Asn1Error extends Error {
  readonly code = 'ASN1_MALFORMED';
  constructor(
    message: string,
    readonly offset: number = -1,
  ) {
    super(offset >= 0 ? `${message} (at offset ${offset})` : message);
    this.name = 'Asn1Error';
  }
}

export const TagClass = { UNIVERSAL: 0, APPLICATION: 1, CONTEXT: 2, PRIVATE: 3 } as const;

/** Universal tag numbers used in this project. */
export const Tag = {
  EOC: 0,
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  ENUMERATED: 10,
  UTF8_STRING: 12,
  SEQUENCE: 16,
  SET: 17,
  NUMERIC_STRING: 18,
  PRINTABLE_STRING: 19,
  T61_STRING: 20,
  IA5_STRING: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  VISIBLE_STRING: 26,
  GENERAL_STRING: 27,
  UNIVERSAL_STRING: 28,
  BMP_STRING: 30,
} as const;

/** Nesting cap: real certificates and CMS nest well under 30 levels; the cap bounds recursion on hostile input. */
export const MAX_DEPTH = 64;

export interface ParseOptions {
  /** Accept BER indefinite lengths (0x80 … 00 00). Only for CMS outer layers. */
  ber?: boolean;
  /** Allow bytes after the top-level element (e.g. the zero padding of a PDF /Contents placeholder). */
  allowTrailing?: boolean;
}

export class Asn1 {
  private childCache: Asn1[] | null = null;

  constructor(
    /** The whole underlying buffer (shared, never copied). */
    readonly buf: Buffer,
    /** Offset of the identifier octet. */
    readonly start: number,
    readonly tagClass: number,
    readonly tagNumber: number,
    readonly constructed: boolean,
    readonly contentStart: number,
    /** End of the contents (before the end-of-contents octets when indefinite). */
    readonly contentEnd: number,
    /** End of the whole element (after the end-of-contents octets when indefinite). */
    readonly end: number,
    readonly indefinite: boolean,
    readonly depth: number,
    readonly ber: boolean,
  ) {}

  /** The contents octets (a view). */
  get content(): Buffer {
    return this.buf.subarray(this.contentStart, this.contentEnd);
  }

  /** The complete encoding, identifier to last octet (a view). */
  get raw(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  get length(): number {
    return this.contentEnd - this.contentStart;
  }

  isUniversal(tagNumber: number): boolean {
    return this.tagClass === TagClass.UNIVERSAL && this.tagNumber === tagNumber;
  }

  isContext(tagNumber: number): boolean {
    return this.tagClass === TagClass.CONTEXT && this.tagNumber === tagNumber;
  }

  /** The elements inside a constructed node (parsed once, then cached). */
  children(): Asn1[] {
    if (this.childCache) return this.childCache;
    if (!this.constructed) throw new Asn1Error('primitive element has no children', this.start);
    const out: Asn1[] = [];
    let pos = this.contentStart;
    while (pos < this.contentEnd) {
      const node = readElement(this.buf, pos, this.contentEnd, this.depth + 1, this.ber);
      out.push(node);
      pos = node.end;
    }
    this.childCache = out;
    return out;
  }

  /**
   * Reads every element under this one, so that a value kept undecoded (a name value that is no string) is at least
   * well-formed DER: children are otherwise read only when asked for. Depth is capped by readElement.
   */
  checkWellFormed(): void {
    if (this.constructed) for (const c of this.children()) c.checkWellFormed();
  }

  /** Child `i`, which must exist. */
  child(i: number): Asn1 {
    const c = this.children();
    const node = c[i];
    if (!node) throw new Asn1Error(`missing element #${i}`, this.start);
    return node;
  }

  /** Assert the universal tag (and constructed form for SEQUENCE/SET), returning `this` for chaining. */
  expect(tagNumber: number, what: string): this {
    if (!this.isUniversal(tagNumber)) throw new Asn1Error(`${what}: expected universal tag ${tagNumber}, got ${this.describe()}`, this.start);
    if ((tagNumber === Tag.SEQUENCE || tagNumber === Tag.SET) && !this.constructed) {
      throw new Asn1Error(`${what}: SEQUENCE/SET must be constructed`, this.start);
    }
    return this;
  }

  expectContext(tagNumber: number, what: string): this {
    if (!this.isContext(tagNumber)) throw new Asn1Error(`${what}: expected [${tagNumber}], got ${this.describe()}`, this.start);
    return this;
  }

  /** For an EXPLICIT context tag: the single element inside. */
  explicitInner(what: string): Asn1 {
    if (!this.constructed) throw new Asn1Error(`${what}: explicit tag must be constructed`, this.start);
    const c = this.children();
    if (c.length !== 1) throw new Asn1Error(`${what}: explicit tag must hold exactly one element`, this.start);
    return c[0]!;
  }

  describe(): string {
    const cls = ['UNIVERSAL', 'APPLICATION', 'CONTEXT', 'PRIVATE'][this.tagClass];
    return `${cls} ${this.tagNumber}${this.constructed ? ' (constructed)' : ''}`;
  }
}

/** Parse the single element at the start of `buf`. */
export function parseDer(buf: Buffer, options: ParseOptions = {}): Asn1 {
  if (buf.length === 0) throw new Asn1Error('empty input', 0);
  const node = readElement(buf, 0, buf.length, 0, options.ber === true);
  if (!options.allowTrailing && node.end !== buf.length) {
    throw new Asn1Error(`${buf.length - node.end} trailing byte(s) after the element`, node.end);
  }
  return node;
}

/** Read one element at `pos`, which must end at or before `limit`. */
export function readElement(buf: Buffer, pos: number, limit: number, depth: number, ber: boolean): Asn1 {
  if (depth > MAX_DEPTH) throw new Asn1Error('nesting too deep', pos);
  if (limit > buf.length) throw new Asn1Error('limit past end of buffer', pos);
  const start = pos;
  if (pos >= limit) throw new Asn1Error('unexpected end of data (identifier)', pos);
  const id = buf[pos++]!;
  const tagClass = id >> 6;
  const constructed = (id & 0x20) !== 0;
  let tagNumber = id & 0x1f;
  if (tagNumber === 0x1f) {
    // High tag number form: base-128, at most 4 octets (tags beyond 2^28 do not occur in X.509/CMS).
    tagNumber = 0;
    let n = 0;
    for (;;) {
      if (pos >= limit) throw new Asn1Error('unexpected end of data (tag)', pos);
      const b = buf[pos++]!;
      if (n === 0 && b === 0x80) throw new Asn1Error('non-minimal tag encoding', pos - 1);
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if (++n > 4) throw new Asn1Error('tag number too large', start);
      if ((b & 0x80) === 0) break;
    }
  }
  // [UNIVERSAL 0] is reserved for the end-of-contents octets of an indefinite length (readIndefinite consumes
  // them): as an element of its own it encodes no type at all, in DER or BER.
  if (tagClass === TagClass.UNIVERSAL && tagNumber === 0) throw new Asn1Error('universal tag 0 (end-of-contents) outside an indefinite length', start);
  // SEQUENCE and SET are constructed in every encoding rule (X.690 8.9, 8.11); checked here and not only by expect(),
  // so that a value kept undecoded (checkWellFormed) is held to it too.
  if (tagClass === TagClass.UNIVERSAL && (tagNumber === Tag.SEQUENCE || tagNumber === Tag.SET) && !constructed) throw new Asn1Error(`${tagNumber === Tag.SET ? 'SET' : 'SEQUENCE'} must be constructed`, start);
  if (pos >= limit) throw new Asn1Error('unexpected end of data (length)', pos);
  const lb = buf[pos++]!;
  let length: number;
  if (lb < 0x80) {
    length = lb;
  } else if (lb === 0x80) {
    if (!ber) throw new Asn1Error('indefinite length not allowed in DER', start);
    if (!constructed) throw new Asn1Error('indefinite length on a primitive element', start);
    return readIndefinite(buf, start, pos, limit, tagClass, tagNumber, depth);
  } else {
    const n = lb & 0x7f;
    if (n === 0x7f) throw new Asn1Error('reserved length octet', pos - 1);
    // 6 octets is ~281 TB: anything longer cannot fit in a Buffer and would lose precision in a JS number.
    if (n > 6) throw new Asn1Error('length too large', pos - 1);
    if (pos + n > limit) throw new Asn1Error('unexpected end of data (long length)', pos);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[pos++]!;
  }
  const contentStart = pos;
  const contentEnd = contentStart + length;
  if (contentEnd > limit) throw new Asn1Error(`length ${length} runs past the enclosing element`, start);
  return new Asn1(buf, start, tagClass, tagNumber, constructed, contentStart, contentEnd, contentEnd, false, depth, ber);
}

/** Indefinite length: walk the children (each bounded by `limit`) until the end-of-contents octets. */
function readIndefinite(
  buf: Buffer,
  start: number,
  contentStart: number,
  limit: number,
  tagClass: number,
  tagNumber: number,
  depth: number,
): Asn1 {
  let pos = contentStart;
  for (;;) {
    if (pos + 2 > limit) throw new Asn1Error('indefinite-length element lacks end-of-contents', start);
    if (buf[pos] === 0 && buf[pos + 1] === 0) {
      return new Asn1(buf, start, tagClass, tagNumber, true, contentStart, pos, pos + 2, true, depth, true);
    }
    const child = readElement(buf, pos, limit, depth + 1, true);
    pos = child.end;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Value decoders

export function decodeOid(node: Asn1): string {
  if (!node.isUniversal(Tag.OID) || node.constructed) throw new Asn1Error(`expected OBJECT IDENTIFIER, got ${node.describe()}`, node.start);
  return oidFromBytes(node.content, node.start);
}

const oidCache = new Map<string, string>();

/** Decode OID contents. Cached by the hex of the bytes: the same few hundred OIDs recur in every certificate. */
export function oidFromBytes(bytes: Buffer, offset = -1): string {
  if (bytes.length === 0) throw new Asn1Error('empty OID', offset);
  if (bytes.length > 64) throw new Asn1Error('OID too long', offset);
  const key = bytes.toString('latin1');
  const hit = oidCache.get(key);
  if (hit !== undefined) return hit;
  const parts: string[] = [];
  let value = 0n;
  let inArc = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (!inArc && b === 0x80) throw new Asn1Error('non-minimal OID arc', offset);
    value = (value << 7n) | BigInt(b & 0x7f);
    inArc = true;
    if ((b & 0x80) === 0) {
      if (parts.length === 0) {
        if (value < 40n) parts.push('0', value.toString());
        else if (value < 80n) parts.push('1', (value - 40n).toString());
        else parts.push('2', (value - 80n).toString());
      } else {
        parts.push(value.toString());
      }
      value = 0n;
      inArc = false;
    }
  }
  if (inArc) throw new Asn1Error('truncated OID arc', offset);
  const oid = parts.join('.');
  if (oidCache.size < 4096) oidCache.set(key, oid);
  return oid;
}

function expectInteger(node: Asn1, tag: number = Tag.INTEGER): Buffer {
  if (!node.isUniversal(tag) || node.constructed) throw new Asn1Error(`expected INTEGER, got ${node.describe()}`, node.start);
  const c = node.content;
  if (c.length === 0) throw new Asn1Error('empty INTEGER', node.start);
  return c;
}

/**
 * INTEGER as lower-case hex of its two's-complement contents, exactly as encoded (sign octet kept).
 * Use `normalizeSerialHex` before comparing serial numbers that may come from differently-encoded sources.
 */
export function decodeIntegerHex(node: Asn1): string {
  return expectInteger(node).toString('hex');
}

/** Canonical form for comparing serial numbers: magnitude hex without leading zero octets (non-negative values). */
export function normalizeSerialHex(hex: string): string {
  const h = hex.toLowerCase().replace(/^(00)+/, '');
  return h === '' ? '00' : h;
}

/** A small INTEGER (or ENUMERATED) as a JS number; rejects values beyond ±2^47. */
export function decodeSmallInt(node: Asn1, tag: number = Tag.INTEGER): number {
  const c = expectInteger(node, tag);
  if (c.length > 6) throw new Asn1Error('INTEGER too large for a number', node.start);
  let v = 0;
  for (const b of c) v = v * 256 + b;
  // Two's complement: a set top bit means the value is v - 256^len.
  return c[0]! & 0x80 ? v - Math.pow(256, c.length) : v;
}

export function decodeBoolean(node: Asn1): boolean {
  if (!node.isUniversal(Tag.BOOLEAN) || node.constructed || node.length !== 1) throw new Asn1Error('bad BOOLEAN', node.start);
  return node.content[0] !== 0;
}

export interface BitString {
  unusedBits: number;
  /** The octets after the unused-bits octet (a view). */
  bytes: Buffer;
}

export function decodeBitString(node: Asn1): BitString {
  if (!node.isUniversal(Tag.BIT_STRING)) throw new Asn1Error(`expected BIT STRING, got ${node.describe()}`, node.start);
  if (node.constructed) throw new Asn1Error('constructed BIT STRING not supported', node.start);
  const c = node.content;
  if (c.length === 0) throw new Asn1Error('empty BIT STRING', node.start);
  const unusedBits = c[0]!;
  if (unusedBits > 7 || (c.length === 1 && unusedBits !== 0)) throw new Asn1Error('bad BIT STRING unused-bits octet', node.start);
  return { unusedBits, bytes: c.subarray(1) };
}

/** Named bits of a BIT STRING (bit 0 is the most significant bit of the first octet). */
export function bitIsSet(bits: BitString, index: number): boolean {
  const byte = index >> 3;
  if (byte >= bits.bytes.length) return false;
  if (byte === bits.bytes.length - 1 && 7 - (index & 7) < bits.unusedBits) return false;
  return (bits.bytes[byte]! & (0x80 >> (index & 7))) !== 0;
}

/**
 * OCTET STRING contents. Primitive: a view. Constructed (BER, seen in CMS eContent): the concatenation of the
 * segments (copied), with nesting bounded by the reader's depth cap.
 */
export function decodeOctetString(node: Asn1, tagCheck = true): Buffer {
  if (tagCheck && !node.isUniversal(Tag.OCTET_STRING)) throw new Asn1Error(`expected OCTET STRING, got ${node.describe()}`, node.start);
  if (!node.constructed) return node.content;
  const parts: Buffer[] = [];
  collectSegments(node, parts);
  return Buffer.concat(parts);
}

function collectSegments(node: Asn1, out: Buffer[]): void {
  for (const c of node.children()) {
    if (!c.isUniversal(Tag.OCTET_STRING)) throw new Asn1Error('constructed OCTET STRING segment is not an OCTET STRING', c.start);
    if (c.constructed) collectSegments(c, out);
    else out.push(c.content);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Times

/** UTCTime or GeneralizedTime. Accepts the forms seen in practice: seconds optional, 'Z' or ±hhmm, fractions. */
export function decodeTime(node: Asn1): Date {
  if (node.constructed) throw new Asn1Error('constructed time', node.start);
  const s = node.content.toString('latin1');
  if (node.isUniversal(Tag.UTC_TIME)) return parseTimeString(s, false, node.start);
  if (node.isUniversal(Tag.GENERALIZED_TIME)) return parseTimeString(s, true, node.start);
  throw new Asn1Error(`expected a time, got ${node.describe()}`, node.start);
}

const UTC_RE = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/;
const GEN_RE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d{1,9}))?(Z|[+-]\d{4})?$/;

function parseTimeString(s: string, generalized: boolean, offset: number): Date {
  const m = (generalized ? GEN_RE : UTC_RE).exec(s);
  if (!m) throw new Asn1Error(`bad ${generalized ? 'GeneralizedTime' : 'UTCTime'} '${s.slice(0, 32)}'`, offset);
  let year = Number(m[1]);
  if (!generalized) year += year >= 50 ? 1900 : 2000; // RFC 5280 4.1.2.5.1
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5] ?? '0');
  const second = Number(m[6] ?? '0');
  const fraction = generalized && m[7] ? Number(`0.${m[7]}`) : 0;
  const zone = generalized ? m[8] : m[7];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    throw new Asn1Error(`time out of range '${s.slice(0, 32)}'`, offset);
  }
  let ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), Math.round(fraction * 1000));
  // Date.UTC silently rolls 31 February into March: reject such dates instead.
  const check = new Date(ms);
  if (check.getUTCDate() !== day) throw new Asn1Error(`invalid calendar date '${s.slice(0, 32)}'`, offset);
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(3, 5));
    if (zh > 23 || zm > 59) throw new Asn1Error('bad time zone', offset);
    ms -= sign * (zh * 60 + zm) * 60000;
  }
  return new Date(ms);
}

// ---------------------------------------------------------------------------------------------------------------
// Strings

const STRING_TAGS: ReadonlySet<number> = new Set([
  Tag.UTF8_STRING,
  Tag.NUMERIC_STRING,
  Tag.PRINTABLE_STRING,
  Tag.T61_STRING,
  Tag.IA5_STRING,
  Tag.VISIBLE_STRING,
  Tag.GENERAL_STRING,
  Tag.UNIVERSAL_STRING,
  Tag.BMP_STRING,
]);

export function isStringNode(node: Asn1): boolean {
  return node.tagClass === TagClass.UNIVERSAL && STRING_TAGS.has(node.tagNumber);
}

/** Decode any of the directory string types to a JS string. */
export function decodeString(node: Asn1): string {
  if (!isStringNode(node)) throw new Asn1Error(`expected a string, got ${node.describe()}`, node.start);
  // Constructed strings are BER-only; concatenate their primitive segments like OCTET STRING.
  const bytes = node.constructed ? decodeOctetStringSegments(node) : node.content;
  switch (node.tagNumber) {
    case Tag.UTF8_STRING:
      return bytes.toString('utf8');
    case Tag.BMP_STRING:
      if (bytes.length % 2 !== 0) throw new Asn1Error('odd-length BMPString', node.start);
      return utf16be(bytes);
    case Tag.UNIVERSAL_STRING: {
      if (bytes.length % 4 !== 0) throw new Asn1Error('bad UniversalString length', node.start);
      let s = '';
      for (let i = 0; i < bytes.length; i += 4) {
        const cp = bytes.readUInt32BE(i);
        s += cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    case Tag.T61_STRING:
      // T.61 proper is rarely implemented; in practice it carries Latin-1.
      return bytes.toString('latin1');
    default:
      // Printable, IA5, Numeric, Visible, General: ASCII subsets; latin1 keeps any stray high bytes visible.
      return bytes.toString('latin1');
  }
}

function decodeOctetStringSegments(node: Asn1): Buffer {
  const parts: Buffer[] = [];
  for (const c of node.children()) {
    if (c.constructed) throw new Asn1Error('nested constructed string', c.start);
    parts.push(c.content);
  }
  return Buffer.concat(parts);
}

function utf16be(bytes: Buffer): string {
  const swapped = Buffer.allocUnsafe(bytes.length);
  for (let i = 0; i < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1]!;
    swapped[i + 1] = bytes[i]!;
  }
  return swapped.toString('utf16le');
}
