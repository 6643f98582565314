import type { Finding } from '../../worker/report';
import type { Job } from '../pool/protocol';

/** A document found in the inputs; its bytes are read only when the pool is ready for it. */
export interface DocumentItem {
  /** Name in the report: the path as given, or archive.zip/inner/path.pdf. */
  name: string;
  /**
   * The bytes load() holds in memory until dispose() (a ZIP entry read whole), absent when load() names a file:
   * callers bound how many documents, or how many bytes, are held at once.
   */
  memoryBytes?: number;
  load(): Promise<LoadedJob>;
}

export interface LoadedJob {
  job: Job;
  /** Frees what loading took (a temporary file). */
  dispose(): void;
}

export interface InputPlan {
  items: DocumentItem[];
  /** What the inputs themselves caused: unsafe or oversized archive entries, unreadable archives. */
  findings: Finding[];
  /** Closes the archives and removes temporary files. */
  close(): Promise<void>;
}

/** An input path that does not exist or cannot be read: a usage error, not a document verdict. */
export class InputError extends Error {
  constructor(readonly path: string) {
    super(`cannot read ${path}`);
    this.name = 'InputError';
  }
}
