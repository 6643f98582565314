import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as YauzlTypes from 'yauzl';
import * as yauzl from 'yauzl';
import type { Finding } from '../../worker/report';
import { TempDir } from '../input/temp';
import type { DocumentItem } from '../input/types';
import { listZip, ZIP_LIMITS, type ZipContext } from '../input/zip';
import { batchFinding } from '../messages';
import { matchKey } from '../register/apply';
import type { RegisterRow } from '../register/read';
import type { BatchItem, BlobStore, UploadLimits, VerifyJob } from '../service/types';
import { ApiError } from './errors';

/**
 * Turns uploaded or exported files into a batch's items: every document's bytes go into the blob store first
 * (content-addressed, so a file seen before is stored once), archives are listed with the same code and limits
 * as `kiemky check`, and refused entries become the batch's findings. Used by the upload route and the export
 * pull alike, so the two cannot name or match documents differently.
 */

/** Temporary files under DATA_DIR/tmp rather than /tmp: same filesystem as the blobs, so a move is a rename. */
export class DataTempDir extends TempDir {
  private own: string | null = null;
  private n = 0;
  constructor(private readonly root: string) {
    super();
  }
  override file(suffix: string): string {
    if (!this.own) {
      fs.mkdirSync(this.root, { recursive: true });
      this.own = fs.mkdtempSync(path.join(this.root, 'ingest-'));
    }
    return path.join(this.own, `${++this.n}${suffix}`);
  }
  override remove(): void {
    if (this.own) fs.rmSync(this.own, { recursive: true, force: true });
    this.own = null;
  }
}

export interface IngestOptions {
  blobs: BlobStore;
  limits: Pick<UploadLimits, 'maxZipEntries' | 'maxZipBytes'>;
  /** DATA_DIR/tmp. */
  tmpRoot: string;
  /**
   * Uploads refuse an archive over its limits with a 413 (the client can split it and try again); the export
   * pull, which has no one to answer to, keeps what fits and reports the rest as findings, as the CLI does.
   */
  strictZipLimits: boolean;
}

/** ZIP entries read at once: enough to overlap reading and fsyncing blobs, few enough to bound memory. */
const LANES = 4;

/**
 * BlobStore.putFile "moves or copies"; FileBlobStore takes `{ move }` to say which. Temporary files are moved (no
 * second write), an export's own files never are. A store without the option must copy: the interface promises
 * nothing else, and the export pull must not empty an export folder it reads.
 */
type PutFileWithMode = (file: string, options?: { move?: boolean }) => Promise<{ sha256: string; size: number }>;

function putFile(blobs: BlobStore, file: string, move: boolean): Promise<{ sha256: string; size: number }> {
  return (blobs.putFile as PutFileWithMode).call(blobs, file, { move });
}

export class Ingest {
  readonly items: Omit<BatchItem, 'register'>[] = [];
  readonly findings: Finding[] = [];
  private readonly temp: DataTempDir;
  private readonly open: YauzlTypes.ZipFile[] = [];

  constructor(private readonly opts: IngestOptions) {
    this.temp = new DataTempDir(opts.tmpRoot);
  }

  /** A file that is moved into the blob store (an upload's temporary file). */
  async addOwnedFile(file: string, name: string): Promise<void> {
    const { sha256, size } = await putFile(this.opts.blobs, file, true);
    this.items.push({ file: name, sha256, size });
  }

  /**
   * A file that must stay where it is (an export's PDF): copied into DATA_DIR/tmp first, then moved in. Taking
   * the copy ourselves also keeps clear of FileBlobStore's copying putFile, which (at the time of writing) never
   * resolves: its write stream is made with autoClose off, and the pipeline waits for a 'close' that never comes.
   */
  async addForeignFile(file: string, name: string): Promise<void> {
    const copy = this.temp.file(path.extname(file));
    await fs.promises.copyFile(file, copy);
    await this.addOwnedFile(copy, name);
  }

  /** An archive's PDFs (and those of archives inside it, one level deep) into the blob store. */
  async addZip(file: string, name: string): Promise<void> {
    try {
      const probe = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
      probe.close();
    } catch (err) {
      if (this.opts.strictZipLimits) throw new ApiError('ZIP_UNREADABLE', { archive: name, detail: err instanceof Error ? err.message : String(err) });
      this.findings.push(batchFinding('ZIP_UNREADABLE', { archive: name, detail: err instanceof Error ? err.message : String(err) }));
      return;
    }
    const ctx: ZipContext = {
      items: [],
      findings: [],
      temp: this.temp,
      open: this.open,
      limits: { ...ZIP_LIMITS, maxEntries: this.opts.limits.maxZipEntries, maxTotalBytes: this.opts.limits.maxZipBytes },
    };
    await listZip(file, name, ctx);
    if (this.opts.strictZipLimits) {
      const over = ctx.findings.find((f) => f.code === 'ZIP_TOO_MANY_ENTRIES' || f.code === 'ZIP_TOO_LARGE');
      if (over?.code === 'ZIP_TOO_MANY_ENTRIES') throw new ApiError('ZIP_TOO_MANY_ENTRIES', { archive: name, limit: this.opts.limits.maxZipEntries });
      if (over) throw new ApiError('ZIP_TOO_LARGE', { archive: name, limit: this.opts.limits.maxZipBytes });
    }
    this.findings.push(...ctx.findings);
    await this.storeEntries(ctx.items);
  }

  private async storeEntries(entries: DocumentItem[]): Promise<void> {
    const stored: (Omit<BatchItem, 'register'> | undefined)[] = new Array(entries.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < entries.length) {
        const index = next++;
        stored[index] = await this.storeEntry(entries[index]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(LANES, entries.length) }, lane));
    // Archive order, not completion order: the batch lists documents as the archive does.
    for (const item of stored) if (item) this.items.push(item);
  }

  private async storeEntry(entry: DocumentItem): Promise<Omit<BatchItem, 'register'>> {
    try {
      const loaded = await entry.load();
      try {
        const stored = 'data' in loaded.job ? await this.opts.blobs.putBuffer(loaded.job.data) : await putFile(this.opts.blobs, loaded.job.path, true);
        return { file: entry.name, ...stored };
      } finally {
        loaded.dispose();
      }
    } catch {
      // A corrupt or encrypted entry: as in the CLI, the document is still listed and verifies as an empty
      // file (verdict error), so a clerk sees it rather than losing it silently.
      const stored = await this.opts.blobs.putBuffer(Buffer.alloc(0));
      return { file: entry.name, ...stored };
    }
  }

  close(): void {
    for (const zip of this.open.splice(0)) zip.close();
    this.temp.remove();
  }
}

/**
 * Register rows onto items exactly as `applyRegister` joins them in the CLI (file base name, case-insensitive,
 * with or without `.pdf`; the first row for a file wins), and the rows no document used as batch findings.
 */
export function attachRegister(items: Omit<BatchItem, 'register'>[], rows: RegisterRow[] | null): { items: BatchItem[]; findings: Finding[] } {
  if (!rows) return { items: items.map((item) => ({ ...item, register: null })), findings: [] };
  const byKey = new Map<string, RegisterRow>();
  for (const row of rows) if (row.file && !byKey.has(matchKey(row.file))) byKey.set(matchKey(row.file), row);
  const used = new Set<RegisterRow>();
  const joined = items.map((item): BatchItem => {
    const row = byKey.get(matchKey(item.file)) ?? null;
    if (row) used.add(row);
    return { ...item, register: row };
  });
  const findings = rows
    .filter((row) => !used.has(row))
    .map((row) => batchFinding('REGISTER_ROW_WITHOUT_PDF', { what: [row.file, row.number].filter(Boolean).join(' — '), line: row.line }));
  return { items: joined, findings };
}

/** One job per distinct document: the first name it was seen under is the one its logs use. */
export function jobsFor(pending: string[], items: BatchItem[]): VerifyJob[] {
  const names = new Map<string, string>();
  for (const item of items) if (!names.has(item.sha256)) names.set(item.sha256, item.file);
  return pending.map((sha256) => ({ sha256, fileName: names.get(sha256) ?? sha256 }));
}
