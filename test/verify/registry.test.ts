import { createHash } from 'node:crypto';
import { SCENARIOS } from '../../samples/scenarios';
import { testTrust } from '../helpers/test-trust';
import { BufferSource } from '../../worker/source';
import { verifyDocument, type UnitRegistry } from '../../worker/verify';

/** A unit registry pins a unit's agency certificates: it names the unit and overrides the subject heuristics. */

const { pki, trust } = testTrust();

const fp = (der: Buffer): string => createHash('sha256').update(der).digest('hex');
const scenario = (name: string): Buffer => SCENARIOS.find((s) => s.name === name)!.build(pki);

test('a pinned agency certificate gives the document the registry unit name', async () => {
  const registry: UnitRegistry = { units: [{ name: 'VP UBND huyện Vạn Ninh (danh mục)', agencyCertificates: [fp(pki.units[0]!.agency.cert).toUpperCase().replace(/(..)/g, '$1:').slice(0, -1)] }] };
  const r = await verifyDocument(new BufferSource(scenario('compliant-two-layer-unit-0')), trust, { fileName: 'a.pdf', registry });
  expect(r.verdict).toBe('compliant');
  expect(r.unit).toBe('VP UBND huyện Vạn Ninh (danh mục)');
  expect(r.findings.map((f) => f.code)).not.toContain('AGENCY_CERT_NOT_PINNED');
});

test('an organization certificate in a registered unit name that is not pinned is flagged', async () => {
  const registry: UnitRegistry = { units: [{ name: pki.units[0]!.name, agencyCertificates: [fp(pki.units[1]!.agency.cert)] }] };
  const r = await verifyDocument(new BufferSource(scenario('compliant-two-layer-unit-0')), trust, { fileName: 'a.pdf', registry });
  expect(r.findings.map((f) => f.code)).toContain('AGENCY_CERT_NOT_PINNED');
});

test('pinning a certificate makes its signature the agency layer even when the subject does not say organization', async () => {
  // Both signatures personal: no two layers, until the registry pins the second signer as an agency certificate.
  const bytes = scenario('both-personal');
  const plain = await verifyDocument(new BufferSource(bytes), trust, { fileName: 'b.pdf' });
  expect(plain.checks.twoLayer).toBe(false);
  const second = plain.signatures[1]!.signer!.fingerprintSha256!;
  const pinned = await verifyDocument(new BufferSource(bytes), trust, { fileName: 'b.pdf', registry: { units: [{ name: 'Đơn vị X', agencyCertificates: [second] }] } });
  expect(pinned.signatures[1]!.signer!.kind).toBe('organization');
  expect(pinned.checks.twoLayer).toBe(true);
  expect(pinned.unit).toBe('Đơn vị X');
});
