/**
 * Mutated blobs the DER comparison (mutated.test.ts) drew with seeds other than the suite's, kept byte for byte in
 * fixtures/ (named after the seed and what the edit broke) so that neither a kiemky fix nor a difference entry can be
 * undone unseen when the fuzzing happens not to draw them again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Asn1Error } from '../../worker/asn1/der';
import { Certificate } from '../../worker/pki/certificate';
import type { BlobKind } from './blobs';
import { differingFields, explain } from './differences';
import { readWithKiemky } from './kiemky-view';
import { readWithPkijs } from './pkijs-view';

const fixture = (name: string): Buffer => fs.readFileSync(path.join(__dirname, 'fixtures', `${name}.der`));

/** What the two readers make of one fixture: agreement, or the entry that explains the difference. */
function verdict(kind: BlobKind, der: Buffer): string {
  const k = readWithKiemky(kind, der);
  const p = readWithPkijs(kind, der);
  const d = differingFields(k, p);
  if (k.ok === p.ok && d.length === 0) return k.ok ? 'both accept' : 'both refuse';
  return explain(kind, k, p, d)?.id ?? 'unexplained';
}

describe('kiemky refuses what it used to accept', () => {
  test.each([
    // A PrintableString name value relabelled SEQUENCE: kept undecoded as '#…', its inner length ran past it.
    ['seed1-name-value-overruns', /runs past the enclosing element/],
    // A name value's tag set to 00: [UNIVERSAL 0] is the end-of-contents marker, no type.
    ['seed11-name-value-tag0', /universal tag 0/],
    // An issuer's countryName value tagged as a primitive SET (SEQUENCE and SET are always constructed). The
    // certificate it came from has an empty extensions SEQUENCE, which kiemky and pkijs both accept as no extensions.
    ['seed16-name-value-primitive-set', /SET must be constructed/],
  ])('%s', (name, error) => {
    const der = fixture(name);
    expect(() => Certificate.fromDer(der)).toThrow(Asn1Error);
    expect(() => Certificate.fromDer(der)).toThrow(error);
    // pkijs refuses them too: the readers now agree.
    expect(verdict('certificate', der)).toBe('both refuse');
  });
});

describe('differences a listed entry explains, on the exact bytes that showed them', () => {
  test.each<[string, BlobKind, string]>([
    // A validity date of 31 February: kiemky refuses it; asn1js makes some date of it.
    ['seed16-february-31', 'certificate', 'der-strict'],
    // A GeneralizedTime that is no time inside an AKI's authorityCertIssuer, an AIA's caIssuers entry: asn1js throws
    // from the lazy parsedValue getter; kiemky never reads those fields.
    ['seed6-aki-issuer-time', 'certificate', 'unused-parts-unchecked'],
    ['seed18-aia-time', 'certificate', 'unused-parts-unchecked'],
    // A signingCertificate value whose insides overrun it: asn1js frames the attributes differently.
    ['seed15-timestamp-attribute-value', 'timestamp', 'attribute-values-framed'],
    ['seed19-timestamp-swallowed-digest', 'timestamp', 'attribute-values-framed'],
    // RSA parameters 03 00 (an empty BIT STRING): kiemky keeps them undecoded; the SPKI compared as encoded.
    ['seed15-spki-empty-bitstring-params', 'certificate', 'both accept'],
  ])('%s (%s): %s', (name, kind, expected) => {
    expect(verdict(kind, fixture(name))).toBe(expected);
  });

  test('asn1js throwing from a lazily decoded extension is recorded as its refusal of that extension, not a crash', () => {
    const p = readWithPkijs('certificate', fixture('seed6-aki-issuer-time'));
    expect(p.ok).toBe(false);
    expect(!p.ok && p.refusal).toEqual({ by: 'asn1js', part: 'extension 2.5.29.35' });
  });

  test('the swallowed messageDigest is there for kiemky, framed by the lengths', () => {
    const k = readWithKiemky('timestamp', fixture('seed19-timestamp-swallowed-digest'));
    const p = readWithPkijs('timestamp', fixture('seed19-timestamp-swallowed-digest'));
    const digest = (o: typeof k): unknown => (o.ok ? (o.fields as { cms: { signers: { messageDigest: unknown }[] } }).cms.signers[0]!.messageDigest : undefined);
    expect(digest(k)).toMatch(/^[0-9a-f]{64}$/);
    expect(digest(p)).toBeNull();
    expect(k.ok && k.notes).toContain('attribute value not well-formed');
  });
});
