import * as fs from 'node:fs';
import * as path from 'node:path';
import { createApp } from '../../../server/api/app';
import { FileBlobStore } from '../../../server/store/blobs';
import type { ServiceConfig, UploadLimits } from '../../../server/shared/types';
import { FakeQueue, FakeStore, tempDir, testConfig } from './fakes';

/**
 * The upload tests' common setup (uploads.test.ts, hostile-multipart.test.ts): the app over in-memory fakes and a
 * real blob store in a fresh data dir, with the upload limits a test asks for.
 */

export const ADMIN = 'Bearer kk_admin-from-env';

export interface UploadSetup {
  store: FakeStore;
  queue: FakeQueue;
  blobs: FileBlobStore;
  cfg: ServiceConfig;
  app: ReturnType<typeof createApp>;
}

/**
 * Call once at the top level of a test file: `dirs` collects the file's temp dirs (setup's, and any a test adds),
 * all removed after the file's tests; `setup` builds a fresh app on a new data dir.
 */
export function uploadSetup(): { dirs: string[]; setup: (limits?: Partial<UploadLimits>) => UploadSetup } {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  const setup = (limits: Partial<UploadLimits> = {}): UploadSetup => {
    const dir = tempDir();
    dirs.push(dir);
    const base = testConfig(dir);
    const cfg = testConfig(dir, { limits: { ...base.limits, ...limits } });
    const store = new FakeStore();
    const queue = new FakeQueue();
    const blobs = new FileBlobStore(dir);
    return { store, queue, blobs, cfg, app: createApp({ cfg, store, blobs, queue, log: () => undefined }) };
  };
  return { dirs, setup };
}

export const pdf = (text: string): Buffer => Buffer.from(`%PDF-1.7\n% ${text}\n%%EOF\n`);

/** What is left in the data dir's tmp (partial uploads): empty once a request is over. */
export function tmpLeft(cfg: ServiceConfig): string[] {
  const dir = path.join(cfg.dataDir, 'tmp');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).map(String);
}
