/**
 * Byte-level edits of a DER blob for fast-check: flips, set bytes (chosen among the tag and length octets DER readers
 * trip on), insertions, deletions, truncations, a length octet nudged. Positions are taken modulo the blob's length,
 * so one edit fits any blob and shrinks to a small one. bench/fuzz/mutators.ts works on whole PDFs; these work on
 * one DER object.
 */
import fc from 'fast-check';

export type Edit = { op: 'flip'; at: number; bit: number } | { op: 'set'; at: number; value: number } | { op: 'insert'; at: number; bytes: number[] } | { op: 'delete'; at: number; count: number } | { op: 'truncate'; at: number } | { op: 'length'; at: number; value: number };

export const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0xff, 0x30, 0x31, 0x04, 0x02, 0x05, 0x17, 0x18, 0xa0, 0x1f) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  // Aimed at what DER readers get wrong: a length octet one more or one less, or made long-form.
  fc.record({ op: fc.constant('length' as const), at: fc.nat(), value: fc.integer({ min: -2, max: 2 }) }),
);

export function apply(der: Buffer, e: Edit): Buffer {
  const at = der.length === 0 ? 0 : e.at % der.length;
  const b = Buffer.from(der);
  switch (e.op) {
    case 'flip':
      b[at] = b[at]! ^ (1 << e.bit);
      return b;
    case 'set':
      b[at] = e.value;
      return b;
    case 'insert':
      return Buffer.concat([der.subarray(0, at), Buffer.from(e.bytes), der.subarray(at)]);
    case 'delete':
      return Buffer.concat([der.subarray(0, at), der.subarray(at + e.count)]);
    case 'truncate':
      return der.subarray(0, at);
    case 'length':
      // The octet after a tag is a length octet only sometimes; near enough for a fuzzer, exact for the first element.
      b[at] = (b[at]! + e.value) & 0xff;
      return b;
  }
}

