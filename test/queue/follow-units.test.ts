import { UnitRegistryFollower, followUnits } from '../../server/queue/follow-units';
import type { DocumentVerifier, Job } from '../../server/pool/verify-pool';
import type { UnitRegistry } from '../../server/shared/unit-registry';
import type { DocumentReport } from '../../worker/report';
import { FakeAccounts } from '../api/helpers/fake-accounts';

/** A queue's verifier follows the stored unit registry: a change reaches the next job, an unchanged one costs no load. */

class RecordingPool implements DocumentVerifier {
  readonly size = 1;
  registry: UnitRegistry | undefined;
  readonly set: (UnitRegistry | undefined)[] = [];
  setRegistry(r: UnitRegistry | undefined): void {
    this.registry = r;
    this.set.push(r);
  }
  async verify(job: Job): Promise<DocumentReport> {
    return { file: job.fileName, sha256: '0'.repeat(64), size: 0, unit: this.registry?.units[0]?.name ?? null } as DocumentReport;
  }
  async close(): Promise<void> {}
}

const job = (name: string): Job => ({ fileName: name, data: Buffer.from(name) });

test('the registry stored before a job is the one it is verified with; an unchanged version is not reloaded', async () => {
  const store = new FakeAccounts();
  const pool = new RecordingPool();
  const follower = new UnitRegistryFollower(pool, store);
  expect((await follower.verify(job('a'))).unit).toBeNull();
  await store.putUnitRegistry({ version: 2, units: [{ name: 'Phòng A', agencyCertificates: [] }] }, 'api:x', new Date());
  expect((await follower.verify(job('b'))).unit).toBe('Phòng A');
  expect((await follower.verify(job('c'))).unit).toBe('Phòng A');
  expect(pool.set).toHaveLength(1);
  expect(follower.version).toBe(await store.unitRegistryVersion());
  await store.putUnitRegistry({ version: 2, units: [{ name: 'Phòng B', agencyCertificates: [] }] }, 'api:x', new Date());
  const [d, e] = await Promise.all([follower.verify(job('d')), follower.verify(job('e'))]);
  expect([d.unit, e.unit]).toEqual(['Phòng B', 'Phòng B']);
  expect(pool.set).toHaveLength(2);
});

test('a verifier that cannot take a registry (an injected test double) is used as it is', () => {
  const plain: DocumentVerifier = { size: 1, verify: async () => ({}) as DocumentReport, close: async () => undefined };
  expect(followUnits(plain, new FakeAccounts())).toBe(plain);
  expect(followUnits(new RecordingPool(), new FakeAccounts())).toBeInstanceOf(UnitRegistryFollower);
});
