/**
 * The blob store's seam (store/blobs.ts implements it). Apart from types.ts because it names Node's Buffer: types.ts
 * names no Node type, so the web client (no Node types, server/web/client/tsconfig.json) may import the API's shapes
 * from it.
 */

export interface StoredBlob {
  sha256: string;
  size: number;
}

export interface PutFileOptions {
  /**
   * Take the file itself (rename) instead of copying it: for temporary files under DATA_DIR, which would otherwise
   * be written twice. Falls back to copying across filesystems. The source is gone afterwards.
   */
  move?: boolean;
}

/** Content-addressed bytes under DATA_DIR/blobs: written (and fsynced) before any job or batch row names them. */
export interface BlobStore {
  /** Copies (or with `move`, takes) a file in; durable when it resolves. The same bytes twice are stored once. */
  putFile(path: string, options?: PutFileOptions): Promise<StoredBlob>;
  /** Durable when it resolves. */
  putBuffer(data: Buffer): Promise<StoredBlob>;
  /** Many blobs with one durability point (a ZIP's entries): see BlobWriter. */
  writer(): BlobWriter;
  has(sha256: string): Promise<boolean>;
  /** Filesystem path of a stored blob (verifyDocument reads it by range). */
  pathOf(sha256: string): string;
}

/**
 * Puts whose durability is settled together: a blob whose put resolved before flush() was called is durable once
 * that flush resolves. Until then nothing may name it — no job, no batch row — since a power cut could still
 * take its name away.
 */
export interface BlobWriter {
  /** `sha256`, when the caller hashed the bytes already (while reading them), is trusted and not recomputed. */
  putBuffer(data: Buffer, sha256?: string): Promise<StoredBlob>;
  putFile(path: string, options?: PutFileOptions): Promise<StoredBlob>;
  flush(): Promise<void>;
}
