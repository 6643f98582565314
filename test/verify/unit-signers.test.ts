import { SCENARIOS } from '../../samples/scenarios';
import { testTrust } from '../helpers/test-trust';
import { BufferSource } from '../../worker/source';
import { verifyDocument, type UnitRegistry } from '../../worker/verify';
import { parseUnitRegistry, UnitRegistryError, unitRegistryVersion } from '../../worker/registry-parse';
import type { DocumentReport } from '../../worker/report';

/** The registry's people: who may sign for a unit, and when (issue 20 item 3). */

const { pki, trust } = testTrust();
const bytes = SCENARIOS.find((s) => s.name === 'compliant-two-layer-unit-0')!.build(pki);
const unitName = pki.units[0]!.name;

let plain: DocumentReport;
beforeAll(async () => {
  plain = await verifyDocument(new BufferSource(bytes), trust, { fileName: 'a.pdf' });
});

const leader = (): { cn: string; fp: string; day: string } => {
  const s = plain.signatures[0]!;
  return { cn: s.signer!.commonName!, fp: s.signer!.fingerprintSha256!, day: new Date(Date.parse(s.signingTime!) + 7 * 3600_000).toISOString().slice(0, 10) };
};

async function check(registry: UnitRegistry): Promise<DocumentReport> {
  return verifyDocument(new BufferSource(bytes), trust, { fileName: 'a.pdf', registry: parseUnitRegistry(registry) });
}
const codes = (r: DocumentReport): string[] => r.findings.map((f) => f.code);

test('a signer listed by name (folded: no diacritics, any case) for the signing date passes', async () => {
  const fold = leader().cn.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toUpperCase();
  const r = await check({ version: 2, units: [{ name: unitName, agencyCertificates: [], signers: [{ name: fold, from: '2000-01-01' }] }] });
  expect(r.verdict).toBe('compliant');
  expect(codes(r)).not.toContain('SIGNER_NOT_IN_UNIT');
  expect(codes(r)).not.toContain('SIGNER_OUTSIDE_PERIOD');
});

test('a personal signature by someone not in the unit\'s signers is named, with its remedy', async () => {
  const r = await check({ version: 2, units: [{ name: unitName, agencyCertificates: [], signers: [{ name: 'Người Khác', title: 'Phó Chủ tịch', from: '2000-01-01' }] }] });
  const f = r.findings.find((x) => x.code === 'SIGNER_NOT_IN_UNIT');
  expect(f).toBeDefined();
  expect(f!.signature).toBe(plain.signatures[0]!.index);
  expect(f!.message).toContain(leader().cn);
  // The verdict stays the six checks'.
  expect(r.verdict).toBe('compliant');
});

test('a certificate fingerprint decides over the name: a namesake with another certificate is not the signer', async () => {
  const other = 'ab'.repeat(32);
  const namesake = await check({ version: 2, units: [{ name: unitName, agencyCertificates: [], signers: [{ name: leader().cn, certificates: [other], from: '2000-01-01' }] }] });
  expect(codes(namesake)).toContain('SIGNER_NOT_IN_UNIT');
  const byCert = await check({ version: 2, units: [{ name: 'Tên khác', aliases: [unitName], agencyCertificates: [], signers: [{ name: 'X', certificates: [leader().fp.toUpperCase()], from: '2000-01-01' }] }] });
  expect(codes(byCert)).not.toContain('SIGNER_NOT_IN_UNIT');
});

test('a listed signer outside their period is named with the date', async () => {
  const { cn, day } = leader();
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
  const r = await check({ version: 2, units: [{ name: unitName, agencyCertificates: [], signers: [{ name: cn, from: next }] }] });
  const f = r.findings.find((x) => x.code === 'SIGNER_OUTSIDE_PERIOD');
  expect(f?.message).toContain(day);
  const until = await check({ version: 2, units: [{ name: unitName, agencyCertificates: [], signers: [{ name: cn, from: '2000-01-01', to: day }] }] });
  expect(codes(until)).not.toContain('SIGNER_OUTSIDE_PERIOD');
});

test('a unit that lists nobody, or a registry without the unit, checks nobody', async () => {
  expect(codes(await check({ units: [{ name: unitName, agencyCertificates: [] }] }))).not.toContain('SIGNER_NOT_IN_UNIT');
  expect(codes(await check({ version: 2, units: [{ name: 'Đơn vị khác', agencyCertificates: [], signers: [{ name: 'A', from: '2000-01-01' }] }] }))).not.toContain(
    'SIGNER_NOT_IN_UNIT',
  );
});

test('attribution by alias: a unit found by an alias of its name is the document\'s unit for its signers', async () => {
  const alias = unitName.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toUpperCase();
  const r = await check({ version: 2, units: [{ name: 'UBND (danh mục)', aliases: [alias], agencyCertificates: [], signers: [{ name: 'Người Khác', from: '2000-01-01' }] }] });
  expect(r.unit).toBe('UBND (danh mục)');
  expect(codes(r)).toContain('SIGNER_NOT_IN_UNIT');
  expect(r.findings.find((f) => f.code === 'SIGNER_NOT_IN_UNIT')!.message).toContain('UBND (danh mục)');
  expect(plain.unit).toBe(unitName);
});

describe('parse and validate', () => {
  test('version 1 files still read; fingerprints normalized; the version hash ignores spelling', () => {
    const fp = 'AB:'.repeat(31) + 'AB';
    const v1 = parseUnitRegistry({ units: [{ name: 'A', agencyCertificates: [fp] }] });
    expect(v1.units[0]!.agencyCertificates[0]).toBe('ab'.repeat(32));
    expect(unitRegistryVersion(v1)).toBe(unitRegistryVersion({ units: [{ name: 'A', agencyCertificates: ['ab'.repeat(32)] }] }));
    expect(unitRegistryVersion(v1)).not.toBe(unitRegistryVersion({ units: [{ name: 'B', agencyCertificates: [] }] }));
  });

  test('parents and signers read', () => {
    const r = parseUnitRegistry({
      version: 2,
      units: [
        { name: 'UBND huyện', agencyCertificates: [] },
        { name: 'Phòng Tư pháp', parent: 'UBND huyện', agencyCertificates: [], signers: [{ name: 'Trần Văn A', title: 'Trưởng phòng', from: '2024-01-01', to: '2025-12-31' }] },
      ],
    });
    expect(r.units[1]!.parent).toBe('UBND huyện');
    expect(r.units[1]!.signers![0]!.to).toBe('2025-12-31');
  });

  test.each([
    ['not an object', [], /object/],
    ['units not a list', { units: {} }, /"units" must be an array/],
    ['unknown version', { version: 3, units: [] }, /version 3/],
    ['a short fingerprint', { units: [{ name: 'A', agencyCertificates: ['abcd'] }] }, /units\[0\]\.agencyCertificates\[0\] is not a SHA-256/],
    ['a bad date', { version: 2, units: [{ name: 'A', agencyCertificates: [], signers: [{ name: 'B', from: '2024-02-30' }] }] }, /from must be a date/],
    ['to before from', { version: 2, units: [{ name: 'A', agencyCertificates: [], signers: [{ name: 'B', from: '2024-02-01', to: '2024-01-01' }] }] }, /before/],
    ['an unknown parent', { version: 2, units: [{ name: 'A', parent: 'Z', agencyCertificates: [] }] }, /parent "Z"/],
    ['two units of one name', { units: [{ name: 'A', agencyCertificates: [] }, { name: 'A', agencyCertificates: [] }] }, /same name/],
    ['a unit without a name', { units: [{ agencyCertificates: [] }] }, /units\[0\]\.name/],
  ])('%s is refused with where', (_what, data, message) => {
    expect(() => parseUnitRegistry(data)).toThrow(UnitRegistryError);
    expect(() => parseUnitRegistry(data)).toThrow(message);
  });
});
