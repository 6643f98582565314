import { openApiDocument } from '../../server/api/openapi';
import type { BatchRow, BatchStatusView, BatchSummary, CertificateRow, DocumentRow, ExportsStatus, ProviderCell, RegisteredSigner, RegisteredUnit, SessionAnswer, StoredUnitRegistry, TrustRow, UnitRegistry, UserRow } from '../../server/web/client/types';

/**
 * The client's types of the API's answers (server/web/client/types.ts) are written by hand; here each is held to the
 * OpenAPI description the routes are tested against. Each list below must name every field of its client type (the
 * compiler checks that), and must equal the schema's properties (this test checks that): a field added, renamed or
 * dropped on either side fails here instead of showing a blank cell.
 */

type Fields<T> = { [K in keyof Required<T>]: true };
const fields = <T>(f: Fields<T>): string[] => Object.keys(f).sort();

const schemas = (openApiDocument('test') as unknown as { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } }).components.schemas;
const propertiesOf = (name: string): string[] => Object.keys(schemas[name]?.properties ?? {}).sort();

test.each([
  ['DocumentRow', fields<DocumentRow>({ batchId: true, file: true, sha256: true, unit: true, month: true, verdict: true, checks: true, failedChecks: true, findings: true, register: true, providers: true, completedAt: true })],
  ['BatchListItem', fields<BatchRow>({ id: true, createdAt: true, source: true, createdBy: true, status: true, total: true, done: true, errors: true, compliant: true, noncompliant: true })],
  ['BatchSummary', fields<BatchSummary>({ status: true, units: true, totals: true, codes: true, providers: true })],
  ['BatchStatus', fields<BatchStatusView>({ id: true, status: true, total: true, done: true, errors: true, createdAt: true, source: true })],
  ['CertificateRow', fields<CertificateRow>({ fingerprint: true, commonName: true, subject: true, kind: true, provider: true, category: true, serialNumber: true, notBefore: true, notAfter: true, documents: true, units: true, status: true })],
  ['ProviderRow', fields<ProviderCell>({ unit: true, provider: true, category: true, documents: true })],
  ['User', fields<UserRow>({ username: true, role: true, units: true, disabled: true, createdAt: true, lastLoginAt: true })],
  ['TrustEntry', fields<TrustRow>({ fingerprint: true, subject: true, commonName: true, kind: true, category: true, provider: true, notBefore: true, notAfter: true })],
  ['Session', fields<SessionAnswer>({ user: true, csrfToken: true })],
  ['StoredUnitRegistry', fields<StoredUnitRegistry>({ registry: true, version: true, source: true, updatedAt: true })],
  ['UnitRegistry', fields<UnitRegistry>({ version: true, units: true })],
  ['RegisteredUnit', fields<RegisteredUnit>({ name: true, aliases: true, parent: true, agencyCertificates: true, signers: true })],
  ['RegisteredSigner', fields<RegisteredSigner>({ name: true, commonName: true, certificates: true, title: true, from: true, to: true })],
])('the client reads %s with the fields the API describes', (schema, clientFields) => {
  expect(clientFields).toEqual(propertiesOf(schema));
});

test('the export folder status the admin page reads', () => {
  const doc = openApiDocument('test') as unknown as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }> } }> };
  const schema = doc.paths['/api/exports']!.get.responses['200']!.content['application/json']!.schema;
  expect(fields<ExportsStatus>({ configured: true, dir: true, intervalSeconds: true, lastScanAt: true, taken: true })).toEqual(Object.keys(schema.properties).sort());
});
