import { Asn1Error, Tag, decodeBitString, decodeIntegerHex, decodeOctetString, decodeOid, decodeSmallInt, decodeString, decodeTime, normalizeSerialHex, parseDer, bitIsSet } from '../../worker/asn1/der';
import { Name } from '../../worker/pki/name';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const tv = (tag: number, s: string): Buffer => Buffer.concat([Buffer.from([tag, s.length]), Buffer.from(s, 'latin1')]);

describe('DER reader', () => {
  test('definite lengths, short and long form, children', () => {
    const n = parseDer(h('30 06 02 01 05 04 01 ff'));
    expect(n.isUniversal(Tag.SEQUENCE)).toBe(true);
    expect(n.children().map((c) => c.tagNumber)).toEqual([Tag.INTEGER, Tag.OCTET_STRING]);
    const long = Buffer.concat([h('04 81 80'), Buffer.alloc(128, 7)]);
    expect(parseDer(long).length).toBe(128);
  });

  test('indefinite lengths only with ber; nested; constructed OCTET STRING concatenated', () => {
    const ber = h('30 80 24 80 04 02 61 62 04 01 63 00 00 00 00');
    expect(() => parseDer(ber)).toThrow(Asn1Error);
    const n = parseDer(ber, { ber: true });
    expect(n.indefinite).toBe(true);
    expect(decodeOctetString(n.child(0)).toString()).toBe('abc');
    expect(() => parseDer(h('30 80 02 01 01'), { ber: true })).toThrow(Asn1Error); // no end-of-contents
    expect(() => parseDer(h('04 80 00 00'), { ber: true })).toThrow(Asn1Error); // primitive indefinite
  });

  test('bounds: truncated, overlong, trailing bytes', () => {
    for (const bad of ['30', '30 05 02 01', '02 84 ff ff ff ff 00', '04 ff', '30 03 02 05 00', '1f']) {
      expect(() => parseDer(h(bad)).children()).toThrow(Asn1Error);
    }
    expect(() => parseDer(h('05 00 00'))).toThrow(/trailing/);
    expect(parseDer(h('05 00 00 00'), { allowTrailing: true }).end).toBe(2);
  });

  test('[UNIVERSAL 0] is only the end-of-contents of an indefinite length', () => {
    expect(() => parseDer(h('00 02 61 62'))).toThrow(/universal tag 0/);
    expect(() => parseDer(h('30 04 00 02 61 62')).children()).toThrow(/universal tag 0/);
    expect(() => parseDer(h('30 80 00 02 61 62 00 00'), { ber: true })).toThrow(/universal tag 0/);
    expect(parseDer(h('30 80 04 01 61 00 00'), { ber: true }).children()).toHaveLength(1);
  });

  test('checkWellFormed reads every element under a node (children are otherwise read when asked for)', () => {
    const broken = parseDer(h('30 04 30 02 04 05'));
    expect(broken.children()).toHaveLength(1);
    expect(() => broken.checkWellFormed()).toThrow(/runs past the enclosing element/);
    expect(() => parseDer(h('30 06 31 04 30 02 05 00')).checkWellFormed()).not.toThrow();
    expect(() => parseDer(h('04 02 30 05')).checkWellFormed()).not.toThrow(); // a primitive's octets are not DER to read
    // A primitive SET in place of a name's PrintableString (a mutated real certificate): no encoding of anything.
    expect(() => parseDer(h('30 04 11 02 47 42')).checkWellFormed()).toThrow(/SET must be constructed/);
  });

  test('nesting is capped (no unbounded recursion)', () => {
    const depth = 200;
    let b = Buffer.alloc(0);
    for (let i = 0; i < depth; i++) b = Buffer.concat([h('30'), lengthOf(b.length), b]);
    const walk = (n: ReturnType<typeof parseDer>): void => n.children().forEach(walk);
    expect(() => walk(parseDer(b))).toThrow(/too deep/);
    let ber = Buffer.alloc(0);
    for (let i = 0; i < depth; i++) ber = Buffer.concat([h('30 80'), ber, h('00 00')]);
    expect(() => parseDer(ber, { ber: true })).toThrow(/too deep/);
  });

  test('OIDs', () => {
    expect(decodeOid(parseDer(h('06 09 2a 86 48 86 f7 0d 01 07 02')))).toBe('1.2.840.113549.1.7.2');
    expect(decodeOid(parseDer(h('06 03 55 04 03')))).toBe('2.5.4.3');
    expect(decodeOid(parseDer(h('06 0a 09 92 26 89 93 f2 2c 64 01 01')))).toBe('0.9.2342.19200300.100.1.1');
    expect(decodeOid(parseDer(h('06 03 88 37 03')))).toBe('2.999.3');
    expect(() => decodeOid(parseDer(h('06 02 2a 86')))).toThrow(Asn1Error);
    expect(() => decodeOid(parseDer(h('06 03 2a 80 01')))).toThrow(Asn1Error);
  });

  test('INTEGER, BIT STRING, serial normalisation', () => {
    expect(decodeIntegerHex(parseDer(h('02 03 00 ff 01')))).toBe('00ff01');
    expect(normalizeSerialHex('00ff01')).toBe('ff01');
    expect(decodeSmallInt(parseDer(h('02 01 7f')))).toBe(127);
    expect(decodeSmallInt(parseDer(h('02 01 80')))).toBe(-128);
    expect(decodeSmallInt(parseDer(h('02 02 01 00')))).toBe(256);
    expect(() => decodeSmallInt(parseDer(h('02 00')))).toThrow(Asn1Error);
    const bits = decodeBitString(parseDer(h('03 02 01 86')));
    expect([0, 1, 5, 6, 7].map((i) => bitIsSet(bits, i))).toEqual([true, false, true, true, false]);
    expect(() => decodeBitString(parseDer(h('03 01 01')))).toThrow(Asn1Error);
  });

  test('times', () => {
    expect(decodeTime(parseDer(tv(0x17, '491231235959Z'))).toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(decodeTime(parseDer(tv(0x17, '500101000000Z'))).toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(decodeTime(parseDer(tv(0x18, '20240229120000.25Z'))).toISOString()).toBe('2024-02-29T12:00:00.250Z');
    expect(decodeTime(parseDer(tv(0x18, '20240101070000+0700'))).toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(() => decodeTime(parseDer(tv(0x18, '20230230120000Z')))).toThrow(Asn1Error);
    expect(() => decodeTime(parseDer(tv(0x17, '2401011200Q')))).toThrow(Asn1Error);
  });

  test('strings', () => {
    const utf8 = Buffer.from('Ban Cơ yếu Chính phủ', 'utf8');
    expect(decodeString(parseDer(Buffer.concat([Buffer.from([0x0c, utf8.length]), utf8])))).toBe('Ban Cơ yếu Chính phủ');
    expect(decodeString(parseDer(h('1e 04 00 56 1e c7')))).toBe('Vệ');
    expect(decodeString(parseDer(h('14 02 e9 41')))).toBe('éA');
    expect(decodeString(parseDer(h('1c 04 00 01 f6 00')))).toBe('\u{1f600}');
    expect(() => decodeString(parseDer(h('1e 03 00 56 1e')))).toThrow(Asn1Error);
  });
});

describe('Name', () => {
  const atv = (oid: string, tag: number, v: string): Buffer => {
    const value = tag === 0x1e ? Buffer.from(v, 'utf16le').swap16() : Buffer.from(v, 'utf8');
    const oidDer = ({ '2.5.4.3': h('06 03 55 04 03'), '2.5.4.6': h('06 03 55 04 06'), '2.5.4.10': h('06 03 55 04 0a') } as Record<string, Buffer>)[oid]!;
    const val = Buffer.concat([Buffer.from([tag, value.length]), value]);
    const seq = Buffer.concat([Buffer.from([0x30, oidDer.length + val.length]), oidDer, val]);
    return Buffer.concat([Buffer.from([0x31, seq.length]), seq]);
  };
  const name = (...rdns: Buffer[]): Name => {
    const body = Buffer.concat(rdns);
    return Name.fromDer(Buffer.concat([Buffer.from([0x30, body.length]), body]));
  };

  test('get, toString, matchKey normalisation (case, spaces, NFC, en dash)', () => {
    const a = name(atv('2.5.4.6', 0x13, 'VN'), atv('2.5.4.10', 0x0c, 'MINISTRY OF SCIENCE'), atv('2.5.4.3', 0x0c, 'VIETNAM NATIONAL ROOT CA - RS'));
    expect(a.get('CN')).toBe('VIETNAM NATIONAL ROOT CA - RS');
    expect(a.get('2.5.4.10')).toBe('MINISTRY OF SCIENCE');
    expect(a.toString()).toBe('CN=VIETNAM NATIONAL ROOT CA - RS, O=MINISTRY OF SCIENCE, C=VN');
    const b = name(atv('2.5.4.6', 0x13, 'vn'), atv('2.5.4.10', 0x1e, 'Ministry  of science'), atv('2.5.4.3', 0x0c, 'Vietnam National Root CA \u2013 RS'));
    expect(b.matchKey).toBe(a.matchKey);
    const nfd = name(atv('2.5.4.3', 0x0c, 'Ban Cơ yếu'.normalize('NFD')));
    const nfc = name(atv('2.5.4.3', 0x0c, 'Ban Cơ yếu'.normalize('NFC')));
    expect(nfd.matchKey).toBe(nfc.matchKey);
    // Order matters.
    const reversed = name(atv('2.5.4.3', 0x0c, 'VIETNAM NATIONAL ROOT CA - RS'), atv('2.5.4.10', 0x0c, 'MINISTRY OF SCIENCE'), atv('2.5.4.6', 0x13, 'VN'));
    expect(reversed.matchKey).not.toBe(a.matchKey);
  });
});

function lengthOf(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}
