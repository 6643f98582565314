import * as fs from 'node:fs';
import type * as YauzlTypes from 'yauzl';
import * as yauzl from 'yauzl';
import type { Finding } from '../../worker/report';
import { Gate } from '../shared/gate';
import { Gatherer, type GatherPolicy } from '../shared/gather';
import { TempDir } from '../shared/temp';
import type { DocumentItem, LoadedJob } from './types';
import { UniqueNames } from './unique-names';
import { listZip, ZIP_LIMITS, type ZipContext } from './zip';
import { batchFinding } from '../shared/messages';
import { IngestError } from './errors';
import type { BatchItem, UploadLimits } from '../shared/types';
import type { BlobStore, BlobWriter } from '../shared/blob-store';

/**
 * Turns uploaded or exported files into a batch's items: every document's bytes go into the blob store first
 * (content-addressed, so a file seen before is stored once), archives are listed with the same code and limits
 * as `kiemky check`, and refused entries become the batch's findings. Used by the upload route and the export
 * pull alike, so the two cannot name or match documents differently.
 */

/** Temporary files under DATA_DIR/tmp rather than /tmp: same filesystem as the blobs, so a move is a rename. */
export class DataTempDir extends TempDir {
  constructor(root: string) {
    super(root, 'ingest-');
  }
}

/** A stored document of the batch, before the register is joined. */
export type IngestedItem = Omit<BatchItem, 'register'>;

export interface IngestOptions {
  blobs: BlobStore;
  limits: Pick<UploadLimits, 'maxZipEntries' | 'maxZipBytes' | 'maxZipRatio'>;
  /** DATA_DIR/tmp. */
  tmpRoot: string;
  /**
   * Uploads refuse an unreadable archive, or one over its limits, with an IngestError (the API answers 400 or 413:
   * the client can split it and try again); the export pull, which has no one to answer to, keeps what fits and
   * reports the rest as findings, as the CLI does.
   */
  strictZipLimits: boolean;
  /**
   * Called, while store() runs, with documents whose blobs have become durable (in completion order, in groups):
   * an upload enqueues them at once, so verification starts while the rest of the month is still being stored.
   * Never called with a document whose blob a power cut could still take away. Without it, the blobs' folders are
   * fsynced once, at the end of store(), which is the fewest fsyncs.
   */
  onDurable?: (items: IngestedItem[]) => void;
  /** When onDurable is called (tests); default DEFAULT_GROUP. */
  group?: GatherPolicy;
  /** Bytes of ZIP entries held in memory at once (tests); default IN_FLIGHT_BYTES. */
  inFlightBytes?: number;
}

/**
 * Documents stored at once. Each blob costs several file operations in the thread pool, an fsync among them, with
 * a little JavaScript between them: with few lanes the pool's threads wait on the lanes, and fsyncs issued together
 * share the journal's commits. Measured with `npm run bench:service` (10,000 documents, seconds until all stored):
 * 4 lanes 47.6-54.0, 16 lanes 39.2-49.2, 32 lanes 31.8-35.3, 64 and 128 lanes no faster (29.4-33.6).
 */
export const LANES = 32;
/**
 * ZIP entries are read whole into memory before they are stored: the lanes hold at most this many of their bytes at
 * once, what 4 lanes of 64 MB entries (the in-memory limit) could hold before. A larger entry goes alone.
 */
const IN_FLIGHT_BYTES = 256 * 1024 ** 2;

type Source =
  /** An upload's temporary file: moved into the blob store (no second write). */
  | { kind: 'owned'; path: string; name: string }
  /** A file that must stay where it is (an export's PDF): copied. */
  | { kind: 'foreign'; path: string; name: string }
  | { kind: 'entry'; entry: DocumentItem };

/**
 * A group is flushed once it holds this many documents, or this long after its first one was put, whichever comes
 * first. Flushing at every put resolved would make a group per document or two on a fast disk — a folder fsync,
 * a database query and a Redis transaction each (5,500 groups for a 10,000-document ZIP, measured) — for no
 * document verified sooner: the workers hold that many jobs in flight anyway.
 */
export const DEFAULT_GROUP: Readonly<GatherPolicy> = Object.freeze({ size: 64, delayMs: 25 });

/**
 * The durability points of one store(): documents whose puts have resolved are gathered, and each group is handed
 * on only after a writer flush that began after its puts had resolved. Without onDurable nothing is flushed before
 * finish(), which is the fewest fsyncs.
 */
class DurableGroups {
  private readonly groups: Gatherer<IngestedItem> | null;
  /** Documents of a group whose flush failed: finish() flushes again, and hands them on or throws. */
  private readonly notDurable: IngestedItem[] = [];

  constructor(
    private readonly writer: BlobWriter,
    private readonly onDurable: ((items: IngestedItem[]) => void) | undefined,
    policy: GatherPolicy,
  ) {
    this.groups = onDurable
      ? new Gatherer(async (group) => {
          try {
            await writer.flush();
          } catch {
            this.notDurable.push(...group);
            return;
          }
          onDurable(group);
        }, policy)
      : null;
  }

  /** An item whose blob's put has resolved. */
  add(item: IngestedItem): void {
    this.groups?.add(item);
  }

  /** After the last put: everything durable (or a throw), and handed on. */
  async finish(): Promise<void> {
    await this.groups?.drain();
    await this.writer.flush();
    const rest = this.notDurable.splice(0);
    if (rest.length > 0) this.onDurable?.(rest);
  }

  /** After a failed put: hands on nothing more, once the flush under way has settled. */
  async abandon(): Promise<void> {
    this.groups?.cancel();
    await this.groups?.settled();
  }
}

export class Ingest {
  /** Every document stored so far, in the order added (archive order inside an archive). */
  readonly items: IngestedItem[] = [];
  readonly findings: Finding[] = [];
  private readonly temp: DataTempDir;
  private readonly open: YauzlTypes.ZipFile[] = [];
  private readonly writer: BlobWriter;
  /** Added and not yet stored. */
  private readonly sources: Source[] = [];
  /** Bytes of ZIP entries the lanes hold in memory at once. */
  private readonly memory: Gate;
  /** Every document's name in the batch, made unique: the store keys a batch's documents by name. */
  private readonly names = new UniqueNames();

  constructor(private readonly opts: IngestOptions) {
    this.temp = new DataTempDir(opts.tmpRoot);
    this.writer = opts.blobs.writer();
    this.memory = new Gate(opts.inFlightBytes ?? IN_FLIGHT_BYTES);
  }

  /** A file that is moved into the blob store at store() (an upload's temporary file). */
  addOwnedFile(file: string, name: string): void {
    this.sources.push({ kind: 'owned', path: file, name: this.uniqueName(name) });
  }

  /** A file that must stay where it is (an export's PDF): copied into the blob store at store(). */
  addForeignFile(file: string, name: string): void {
    this.sources.push({ kind: 'foreign', path: file, name: this.uniqueName(name) });
  }

  /** Two parts of an upload with one file name are both kept, the later one renamed and listed. */
  private uniqueName(name: string): string {
    const taken = this.names.take(name);
    if (taken.renamedFrom !== null) this.findings.push(batchFinding('DUPLICATE_NAME', { name: taken.renamedFrom, renamed: taken.name }));
    return taken.name;
  }

  /**
   * An archive's PDFs (and those of archives inside it, one level deep). It is listed now — an archive over the
   * limits is refused here, before store() has stored or enqueued anything of the upload — and stored at store().
   */
  async addZip(file: string, name: string): Promise<void> {
    try {
      const probe = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
      probe.close();
    } catch (err) {
      if (this.opts.strictZipLimits) throw new IngestError('ZIP_UNREADABLE', { archive: name, detail: err instanceof Error ? err.message : String(err) });
      this.findings.push(batchFinding('ZIP_UNREADABLE', { archive: name, detail: err instanceof Error ? err.message : String(err) }));
      return;
    }
    const ctx: ZipContext = {
      items: [],
      findings: [],
      temp: this.temp,
      open: this.open,
      limits: { ...ZIP_LIMITS, maxEntries: this.opts.limits.maxZipEntries, maxTotalBytes: this.opts.limits.maxZipBytes, maxRatio: this.opts.limits.maxZipRatio },
      names: this.names,
    };
    await listZip(file, name, ctx);
    if (this.opts.strictZipLimits) {
      const over = ctx.findings.find((f) => f.code === 'ZIP_TOO_MANY_ENTRIES' || f.code === 'ZIP_TOO_LARGE' || f.code === 'ZIP_RATIO_TOO_HIGH');
      if (over?.code === 'ZIP_TOO_MANY_ENTRIES') throw new IngestError('ZIP_TOO_MANY_ENTRIES', { archive: name, limit: this.opts.limits.maxZipEntries });
      if (over?.code === 'ZIP_RATIO_TOO_HIGH') {
        const ratio = this.opts.limits.maxZipRatio;
        throw new IngestError('ZIP_RATIO_TOO_HIGH', { archive: name, ratio, limit: ratio * fs.statSync(file).size });
      }
      if (over) throw new IngestError('ZIP_TOO_LARGE', { archive: name, limit: this.opts.limits.maxZipBytes });
    }
    this.findings.push(...ctx.findings);
    for (const entry of ctx.items) this.sources.push({ kind: 'entry', entry });
  }

  /**
   * Stores what was added since the last call, LANES at a time, and resolves once every blob is durable; the
   * documents are then in `items`, in the order added. On a throw (a disk error) nothing more is handed to
   * onDurable, and the puts under way have settled.
   */
  async store(): Promise<void> {
    const sources = this.sources.splice(0);
    const stored: (IngestedItem | undefined)[] = new Array(sources.length);
    const groups = new DurableGroups(this.writer, this.opts.onDurable, this.opts.group ?? DEFAULT_GROUP);
    let next = 0;
    const errors: unknown[] = [];
    const lane = async (): Promise<void> => {
      // After a failure the other lanes finish the entry they hold and stop, so nothing writes after the throw.
      while (errors.length === 0 && next < sources.length) {
        const index = next++;
        try {
          const item = await this.storeSource(sources[index]);
          stored[index] = item;
          groups.add(item);
        } catch (error) {
          errors.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(LANES, sources.length) }, lane));
    if (errors.length > 0) {
      await groups.abandon();
      throw errors[0];
    }
    await groups.finish();
    // Order added, not completion order: the batch lists documents as the upload and the archive do.
    for (const item of stored) if (item) this.items.push(item);
  }

  private async storeSource(source: Source): Promise<IngestedItem> {
    if (source.kind === 'owned') return { file: source.name, ...(await this.writer.putFile(source.path, { move: true })) };
    if (source.kind === 'foreign') return { file: source.name, ...(await this.writer.putFile(source.path, { move: false })) };
    const bytes = source.entry.memoryBytes;
    if (bytes === undefined) return this.storeEntry(source.entry);
    await this.memory.enter(bytes);
    try {
      return await this.storeEntry(source.entry);
    } finally {
      this.memory.leave(bytes);
    }
  }

  private async storeEntry(entry: DocumentItem): Promise<IngestedItem> {
    let loaded: LoadedJob;
    try {
      loaded = await entry.load();
    } catch {
      // A corrupt or encrypted entry: as in the CLI, the document is still listed and verifies as an empty
      // file (verdict error), so a clerk sees it rather than losing it silently.
      return { file: entry.name, ...(await this.writer.putBuffer(Buffer.alloc(0))) };
    }
    try {
      const job = loaded.job;
      // The sha256 of an entry read into memory was computed as it was read: it is not hashed a second time.
      const stored = 'data' in job ? await this.writer.putBuffer(job.data, job.sha256) : await this.writer.putFile(job.path, { move: true });
      return { file: entry.name, ...stored };
    } finally {
      loaded.dispose();
    }
  }

  close(): void {
    for (const zip of this.open.splice(0)) zip.close();
    this.temp.remove();
  }
}
