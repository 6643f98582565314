import type { BatchItem, NewBatch } from '../../../server/shared/types';
import type { BlobStore } from '../../../server/shared/blob-store';

export function newBatch(id: string, docs: Array<{ sha256: string; size: number; file: string }>): NewBatch {
  const items: BatchItem[] = docs.map((d) => ({ file: d.file, sha256: d.sha256, size: d.size, register: null }));
  return { id, source: 'upload', items, findings: [], hasRegister: false, createdBy: null };
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** n distinct small documents put in the blob store, named `${tag}-${i}.pdf`. */
export async function storedDocs(blobs: BlobStore, n: number, tag: string): Promise<Array<{ sha256: string; size: number; file: string }>> {
  const docs = [];
  for (let i = 0; i < n; i++) docs.push({ ...(await blobs.putBuffer(Buffer.from(`%PDF ${tag} ${i}`))), file: `${tag}-${i}.pdf` });
  return docs;
}
