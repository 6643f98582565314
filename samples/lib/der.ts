/**
 * Minimal DER encoder (plus a tiny reader) for samples/lib. The sample PKI, CMS and timestamp tokens are encoded by
 * pkijs/asn1js (x509-pkijs.ts, revocation-pkijs.ts, cms-pkijs.ts); this writer stays for what an encoder that only
 * writes correct structures cannot be used for: the second, independent encoding the pkijs certificate and CRL/OCSP
 * encoders are compared with byte for byte (test-pki.ts's makeCertificate, revocation-builder.ts), the adbe.x509.rsa_sha1
 * blobs (x509-rsa-builder.ts), and the deliberately malformed or hand-shaped DER of tests and benches (a wrong
 * AlgorithmIdentifier, a hostile blob). pki-x509.ts's reader copies certificate fields byte for byte.
 *
 * Only what X.509, CRL, OCSP, CMS and RFC 3161 structures need. Tag numbers are
 * limited to the low-tag form (< 31), which is all those structures use.
 * This is sample tooling: it is never used by the verifier in worker/.
 */

/** Encodes a DER length (short form below 128, else minimal long form). */
function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  let v = n;
  while (v > 0) {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Raw TLV with a single-byte identifier octet (class, constructed bit and tag number already combined). */
export function tlv(tag: number, content: Buffer): Buffer {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xff || (tag & 0x1f) === 0x1f) {
    throw new Error(`der.tlv: unsupported identifier octet ${tag}`);
  }
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function seq(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

/**
 * DER orders the components of SET OF by their encodings compared as octet strings,
 * the shorter one padded with trailing zero octets (X.690 §11.6).
 */
function derCompare(a: Buffer, b: Buffer): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = i < a.length ? a[i] : 0;
    const y = i < b.length ? b[i] : 0;
    if (x !== y) return x - y;
  }
  return 0;
}

/** SET OF in DER order. */
export function setOf(items: Buffer[]): Buffer {
  const sorted = [...items].sort(derCompare);
  return tlv(0x31, Buffer.concat(sorted));
}

/**
 * SET. Sorting by the full encoding also sorts by tag, which is what DER requires for a
 * SET (X.690 §10.3), so one rule serves both. For a deliberately unsorted SET use tlv(0x31, …).
 */
export function set(...items: Buffer[]): Buffer {
  return setOf(items);
}

/** Two's-complement minimal content octets of a bigint. */
function bigintContent(v: bigint): Buffer {
  if (v === 0n) return Buffer.from([0]);
  const bytes: number[] = [];
  if (v > 0n) {
    let x = v;
    while (x > 0n) {
      bytes.unshift(Number(x & 0xffn));
      x >>= 8n;
    }
    if (bytes[0] & 0x80) bytes.unshift(0);
    return Buffer.from(bytes);
  }
  // Negative: emit bytes until the remaining value is -1 and the sign bit is already set.
  let x = v;
  for (;;) {
    const b = Number(x & 0xffn);
    bytes.unshift(b);
    x >>= 8n;
    if (x === -1n && (b & 0x80) !== 0) break;
  }
  return Buffer.from(bytes);
}

/**
 * INTEGER. number/bigint may be negative (two's complement); a Buffer is an unsigned
 * big-endian magnitude (serial numbers, RSA values), so a 0x00 is prepended when its top bit is set.
 */
export function int(v: number | bigint | Buffer): Buffer {
  if (Buffer.isBuffer(v)) {
    let i = 0;
    while (i < v.length - 1 && v[i] === 0) i++;
    let body = v.subarray(i);
    if (body.length === 0) body = Buffer.from([0]);
    if (body[0] & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
    return tlv(0x02, body);
  }
  if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new Error(`der.int: not a safe integer: ${v}`);
  return tlv(0x02, bigintContent(BigInt(v)));
}

/** ENUMERATED (CRL reason codes, OCSP response status). */
export function enumerated(v: number): Buffer {
  return tlv(0x0a, bigintContent(BigInt(v)));
}

/** Base-128 encoding of one OID arc; bigint so UUID arcs under 2.25 work. */
function base128(v: bigint): number[] {
  const out = [Number(v & 0x7fn)];
  let x = v >> 7n;
  while (x > 0n) {
    out.unshift(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  return out;
}

export function oid(dotted: string): Buffer {
  if (!/^[0-2](\.\d+)+$/.test(dotted)) throw new Error(`der.oid: bad OID ${dotted}`);
  const arcs = dotted.split('.').map((s) => BigInt(s));
  const first = arcs[0] * 40n + arcs[1];
  const bytes = [...base128(first)];
  for (const a of arcs.slice(2)) bytes.push(...base128(a));
  return tlv(0x06, Buffer.from(bytes));
}

export function utf8(s: string): Buffer {
  return tlv(0x0c, Buffer.from(s, 'utf8'));
}

export function printable(s: string): Buffer {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s)) throw new Error(`der.printable: not a PrintableString: ${s}`);
  return tlv(0x13, Buffer.from(s, 'latin1'));
}

export function ia5(s: string): Buffer {
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(s)) throw new Error(`der.ia5: not an IA5String: ${s}`);
  return tlv(0x16, Buffer.from(s, 'latin1'));
}

export function octets(b: Buffer): Buffer {
  return tlv(0x04, b);
}

/** BIT STRING with the given count of unused bits in the last octet. */
export function bits(b: Buffer, unused = 0): Buffer {
  if (unused < 0 || unused > 7 || (b.length === 0 && unused !== 0)) throw new Error('der.bits: bad unused-bit count');
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));
}

export function nul(): Buffer {
  return Buffer.from([0x05, 0x00]);
}

export function bool(b: boolean): Buffer {
  // DER: TRUE is 0xFF.
  return Buffer.from([0x01, 0x01, b ? 0xff : 0x00]);
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** Whole seconds, UTC. Fractions are dropped: RFC 5280 forbids them and DER would need them trimmed. */
function clock(d: Date): string {
  return (
    pad(d.getUTCMonth() + 1, 2) +
    pad(d.getUTCDate(), 2) +
    pad(d.getUTCHours(), 2) +
    pad(d.getUTCMinutes(), 2) +
    pad(d.getUTCSeconds(), 2)
  );
}

export function utcTime(d: Date): Buffer {
  const y = d.getUTCFullYear();
  if (y < 1950 || y > 2049) throw new Error(`der.utcTime: year ${y} outside 1950..2049`);
  return tlv(0x17, Buffer.from(pad(y % 100, 2) + clock(d) + 'Z', 'latin1'));
}

/** GeneralizedTime, whole seconds, 'Z'. */
export function genTime(d: Date): Buffer {
  return tlv(0x18, Buffer.from(pad(d.getUTCFullYear(), 4) + clock(d) + 'Z', 'latin1'));
}

/** RFC 5280 / RFC 5652 Time choice: UTCTime through 2049, GeneralizedTime from 2050. */
export function time(d: Date): Buffer {
  const y = d.getUTCFullYear();
  return y >= 1950 && y <= 2049 ? utcTime(d) : genTime(d);
}

/** [tagNo] EXPLICIT: context-specific constructed wrapper. */
export function explicit(tagNo: number, inner: Buffer): Buffer {
  if (tagNo < 0 || tagNo > 30) throw new Error('der.explicit: tag number out of range');
  return tlv(0xa0 | tagNo, inner);
}

/**
 * [tagNo] IMPLICIT: replaces the identifier octet of an existing encoding, keeping its
 * constructed bit (so a SET becomes 0xA0|n, an OCTET STRING 0x80|n).
 */
export function implicit(tagNo: number, inner: Buffer): Buffer {
  if (tagNo < 0 || tagNo > 30) throw new Error('der.implicit: tag number out of range');
  if (inner.length < 2) throw new Error('der.implicit: empty encoding');
  const out = Buffer.from(inner);
  out[0] = 0x80 | (inner[0] & 0x20) | tagNo;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reader: just enough to pull fields out of our own certificates and to check output in tests.

export interface Tlv {
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
  /** The complete encoding (view, not a copy). */
  der: Buffer;
  /** The content octets (view). */
  content: Buffer;
}

/** Reads one TLV at `pos` (definite lengths only, which DER guarantees). */
export function readTlv(buf: Buffer, pos = 0): Tlv {
  if (pos + 2 > buf.length) throw new Error('der.readTlv: truncated');
  const tag = buf[pos];
  if ((tag & 0x1f) === 0x1f) throw new Error('der.readTlv: high tag numbers unsupported');
  let len = buf[pos + 1];
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('der.readTlv: unsupported length form');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  const end = p + len;
  if (end > buf.length) throw new Error('der.readTlv: content past end of buffer');
  return { tag, start: pos, contentStart: p, end, der: buf.subarray(pos, end), content: buf.subarray(p, end) };
}

/** The TLVs inside a constructed encoding's content. */
export function children(node: Tlv | Buffer): Tlv[] {
  const content = Buffer.isBuffer(node) ? readTlv(node).content : node.content;
  const out: Tlv[] = [];
  let p = 0;
  while (p < content.length) {
    const t = readTlv(content, p);
    out.push(t);
    p = t.end;
  }
  return out;
}

/** Decodes an OBJECT IDENTIFIER's content octets to dotted form. */
export function decodeOid(content: Buffer): string {
  const arcs: bigint[] = [];
  let v = 0n;
  for (const b of content) {
    v = (v << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(v);
      v = 0n;
    }
  }
  const first = arcs[0] < 80n ? arcs[0] / 40n : 2n;
  const second = arcs[0] - first * 40n;
  return [first, second, ...arcs.slice(1)].map(String).join('.');
}

/** Decodes an INTEGER's content octets (two's complement). */
export function decodeInt(content: Buffer): bigint {
  if (content.length === 0) return 0n;
  let v = 0n;
  for (const b of content) v = (v << 8n) | BigInt(b);
  if (content[0] & 0x80) v -= 1n << BigInt(content.length * 8);
  return v;
}

/** PEM armour (64-column base64). */
export function toPem(der: Buffer, label: string): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** First PEM block with the given label, as DER. */
export function fromPem(text: string, label: string): Buffer {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`);
  const m = re.exec(text);
  if (!m) throw new Error(`no PEM block ${label}`);
  return Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
}
