import type { DocumentReport, Finding, UnitSummary } from '../../worker/report';
import type { UnitRegistry } from '../../worker/registry';
import type { QueryStore } from './queries';

/**
 * The service's seams. The API, the queue workers and the export pull meet only here, so each side can run on its own
 * machine: bytes in the blob store, state in the Store (PostgreSQL or embedded PGlite, one schema), work in the
 * JobQueue (BullMQ on Redis, or in-process).
 */

export interface ServiceConfig {
  port: number;
  /**
   * The interface the API listens on: HOST / --host, default 127.0.0.1, so a server started by hand is not on the
   * network until someone says so (docker-compose says 0.0.0.0: the container's own loopback is no use).
   */
  host: string;
  /** Blobs (content-addressed uploads), the embedded database, temporary files. */
  dataDir: string;
  certsDir: string;
  /**
   * KIEMKY_REVOCATION: `online` fetches the CRLs and OCSP responses the certificates name, cached under
   * DATA_DIR/cache/revocation until their nextUpdate; `offline` (default) uses only what documents and certs/crl/ carry.
   */
  revocation: 'online' | 'offline';
  /**
   * KIEMKY_REVOCATION_REFRESH_HOURS (online only; default 24, 0: never): how often serve judges every stored
   * document again with its revocation fetched anew, so a CRL published since a document was verified counts.
   */
  revocationRefreshHours: number;
  redisUrl: string | null;
  databaseUrl: string | null;
  exportDir: string | null;
  adminToken: string | null;
  /**
   * Verification threads per process (`kiemky worker`, or `kiemky serve` without Redis): documents verified at
   * once. KIEMKY_CONCURRENCY; default the CPU cores.
   */
  concurrency: number;
  /**
   * Jobs a process takes from the queue at once (the BullMQ worker's concurrency), at least `concurrency`. More
   * jobs than threads wait in the thread pool's queue, so a thread never idles while a finished document's report
   * is being written; and their reports, finishing together, are stored in one transaction (SqlStore groups the
   * saves that wait). A waiting job holds only its blob's path. KIEMKY_JOBS_IN_FLIGHT; default concurrency × 32.
   */
  jobsInFlight: number;
  /** Redis key prefix for BullMQ (tests use their own). */
  queuePrefix: string;
  /** Seconds between export-folder scans. */
  exportIntervalSeconds: number;
  /** A browser session ends after this many minutes without a request (KIEMKY_SESSION_IDLE_MINUTES, default 30). */
  sessionIdleMinutes: number;
  /**
   * The reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (KIEMKY_TRUST_PROXY: a number of
   * hops, or addresses and subnets such as `loopback` or `10.0.0.1`), as Express's "trust proxy" reads it. Behind a
   * TLS proxy it makes the session cookie Secure and throttles sign-ins by the client's address rather than the
   * proxy's. Null (default): nothing forwarded is believed.
   */
  trustProxy: number | string | null;
  limits: UploadLimits;
  /** UNITS_FILE: a unit registry loaded into the store at each `serve` start (absent: the store's is kept). */
  unitsFile?: string | null;
}

export interface UploadLimits {
  /** Largest single uploaded file (PDF, ZIP or register). */
  maxFileBytes: number;
  /** Largest whole request. */
  maxRequestBytes: number;
  /** Most files in one request. */
  maxFiles: number;
  /** Most entries in one ZIP (nested ZIPs included). */
  maxZipEntries: number;
  /** Most uncompressed bytes in one ZIP (nested ZIPs included). */
  maxZipBytes: number;
  /**
   * Most uncompressed bytes of a ZIP (nested ZIPs included) per byte of the archive: a month of PDFs barely
   * compresses, a ZIP bomb expands a thousandfold.
   */
  maxZipRatio: number;
  /** Largest register file; for an XLSX also the most text its cells may hold, in characters. */
  maxRegisterBytes: number;
  /** Most rows in a register's sheet. */
  maxRegisterRows: number;
}

export type Role = 'admin' | 'clerk' | 'inspector' | 'leader';

export interface TokenRecord {
  id: string;
  role: Role;
  /** Units a clerk may see (empty for other roles). */
  units: string[];
  label: string | null;
  createdAt: string;
}

/** Who is calling, as the routes see it: a token's record, or a signed-in user's (then `username` is set). */
export interface Caller extends TokenRecord {
  username?: string;
}

export type BatchStatus = 'queued' | 'running' | 'done';

export interface BatchStatusView {
  id: string;
  status: BatchStatus;
  total: number;
  done: number;
  errors: number;
  createdAt: string;
  source: string;
}

/** A row of the sổ đăng ký văn bản đi as read (register/table.ts), and as kept with the document it names. */
export interface RegisterRow {
  /** 1-based row of the sheet, for messages that point the clerk at it. */
  line: number;
  file: string | null;
  number: string | null;
  /** ISO YYYY-MM-DD when it could be read as a date, else the text as written. */
  date: string | null;
  summary: string | null;
  signer: string | null;
  unit: string | null;
}

/** One file of a batch, before verification: the blob it is, its name in the upload, its register row. */
export interface BatchItem {
  file: string;
  sha256: string;
  size: number;
  register: RegisterRow | null;
}

export interface NewBatch {
  id: string;
  /** 'upload', 'export:<name>' … */
  source: string;
  items: BatchItem[];
  /** Batch-level findings known at creation (register rows without a PDF, refused ZIP entries …). */
  findings: Finding[];
  /** A register was given: documents without a row get DOCUMENT_NOT_IN_REGISTER. */
  hasRegister: boolean;
  createdBy: string | null;
  /**
   * The units of the clerk token that uploaded the batch: its rows count only for these (store/scoped-row.ts), and
   * a clerk of these units sees the whole batch, its findings included. Absent or null for an admin's upload or an
   * export: not limited.
   */
  units?: string[] | null;
}

export interface UnitQuery {
  /** Inclusive months 'YYYY-MM'. */
  from?: string;
  to?: string;
  /** Restrict to these units (a clerk's); undefined = all. */
  units?: string[];
}

export interface ProviderRow {
  unit: string | null;
  provider: string;
  /** The category of the CA the provider's certificates chain to (government, public, …, untrusted). */
  category: string;
  documents: number;
}

export interface Store extends AccountStore, QueryStore, UnitRegistryStore {
  migrate(): Promise<void>;
  close(): Promise<void>;

  /** Creates the batch and its rows in one transaction; returns the sha256s that still need verifying. */
  createBatch(batch: NewBatch): Promise<{ pending: string[] }>;
  /** Stores the verification of one document (by sha256) once, and completes every batch row waiting for it. */
  saveDocumentReport(sha256: string, report: DocumentReport): Promise<void>;
  /** sha256s of rows still waiting, oldest first (the reconciler re-enqueues them after a crash). */
  pendingDocuments(limit: number): Promise<string[]>;
  /** Those of these sha256s that have a stored report already (they need no verification). */
  knownDocuments(sha256s: string[]): Promise<string[]>;
  /**
   * When the document has a stored report, completes the rows still waiting for it from that report and returns
   * true: a job for it has nothing to verify (it was verified after the job was enqueued). False otherwise.
   * (VerifyJob.skipIfVerified.)
   */
  completeFromStoredReport(sha256: string): Promise<boolean>;

  /**
   * A batch's status. With `units` (a clerk's), what that clerk may see of it: a batch uploaded by a clerk of
   * those units whole; another batch only when it holds done rows of those units, counting only those rows (total
   * = done = those rows; the status stays the batch's, so a report is not taken for final too early); else null,
   * as for no such batch.
   */
  getBatch(id: string, units?: string[]): Promise<BatchStatusView | null>;
  /**
   * The batch's BatchReport, documents as seen in this batch (register applied), read a page at a time in
   * file-name order: a batch may be too large to hold (a province's month), so the caller counts the unit summary
   * as they pass (SummaryTally) and writes each document on. Null for no such batch. With `units` (a clerk's): a
   * batch uploaded by a clerk of those units whole, with its findings; another batch only its rows of those units,
   * without findings, and null when it has none.
   */
  streamBatchReport(id: string, units?: string[]): Promise<BatchReportStream | null>;
  /**
   * Without `units`: the last report of a document, as verified (register not applied, under the name it was first
   * verified under). With `units` (a clerk's): the document as the clerk's latest row of it shows it — a row of a
   * batch a clerk of those units uploaded, or a row counted for one of those units — and null when there is none,
   * exactly as for bytes never uploaded: another unit's row of the same bytes is never read.
   */
  getDocument(sha256: string, units?: string[]): Promise<DocumentReport | null>;
  /**
   * The documents of a period (months and units as `q` says), for its inspection report: each (unit, document) the
   * unit summaries of the same range count, once, with the numbers they count (its latest verification) and as its
   * latest row of the range shows it (file name, register row). Read a page at a time, units in Vietnamese order
   * (the unknown unit last), each unit's documents in file-name order. No findings: a period is not one upload.
   */
  streamPeriodReport(q: UnitQuery): Promise<BatchReportStream>;
  /** Per-unit summaries over documents by document month (SQL aggregates). */
  unitSummaries(q: UnitQuery): Promise<UnitSummary[]>;
  /** Units × CA providers with document counts (SQL aggregate). */
  providers(q: UnitQuery): Promise<ProviderRow[]>;

  createToken(hash: string, record: Omit<TokenRecord, 'createdAt'>): Promise<TokenRecord>;
  findToken(hash: string): Promise<TokenRecord | null>;

  /** Records an export as taken; false when it already was (so it becomes one batch, once). */
  claimExport(name: string, fingerprint: string, batchId: string): Promise<boolean>;
}

/** A batch report whose documents are read as they are iterated (Store.streamBatchReport). */
export interface BatchReportStream {
  generatedAt: Date;
  /** The batch's own findings; none for a clerk reading a batch another uploaded (they name rows of every unit). */
  findings: Finding[];
  /** In file-name order (compareFileNames). */
  documents: AsyncIterable<DocumentReport>;
}

/** One verification job: the document's sha256 (the blob is in the BlobStore). */
export interface VerifyJob {
  sha256: string;
  /** A name for logs and for the report's file field when the document is first seen. */
  fileName: string;
  /**
   * Look for a stored report first, and verify only without one (the reconciler's jobs: the document may have
   * been verified since its rows were read). Other jobs skip that query: their documents were unverified when
   * enqueued, and a query per document costs more than the rare duplicate it would save.
   */
  skipIfVerified?: boolean;
}

export interface JobQueue {
  /**
   * Enqueues once per sha256 (a job already waiting or running is not duplicated). A finished job is forgotten, so
   * its document can be enqueued again: see VerifyJob.skipIfVerified.
   */
  enqueue(jobs: VerifyJob[]): Promise<void>;
  close(): Promise<void>;
}

// -- Accounts, sessions and sign-in throttling ----------------------------------------------------------------------

/** scrypt's cost parameters, kept with each hash so that raising them later leaves the old hashes readable. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/** A password as stored: never the password, only its scrypt under a salt of its own (base64). */
export interface PasswordHash {
  salt: string;
  hash: string;
  params: ScryptParams;
}

export interface UserRecord {
  /** As the admin wrote it (NFC); compared without case (shared/accounts.ts usernameKey). */
  username: string;
  role: Role;
  /** Units a clerk may see (empty for other roles). */
  units: string[];
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface NewUser {
  username: string;
  role: Role;
  units: string[];
  password: PasswordHash;
}

export interface UserPatch {
  role?: Role;
  units?: string[];
  disabled?: boolean;
  password?: PasswordHash;
}

export interface NewSession {
  /** sha256 of the cookie value: the value itself is never stored. */
  hash: string;
  username: string;
  csrfToken: string;
  createdAt: Date;
  /** The absolute end, whatever the activity. */
  expiresAt: Date;
}

export interface SessionRecord {
  user: UserRecord;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

/** Failed sign-ins under one key (an account, an address) since a time. */
export interface FailureCount {
  key: string;
  count: number;
  /** The latest failure, or null when there was none. */
  last: string | null;
}

/** An E-office export taken as a batch. */
export interface TakenExport {
  name: string;
  batchId: string;
  takenAt: string;
}

/**
 * Accounts and what goes with them, kept in the Store so that they survive restarts and are shared by every
 * `serve` on one database: a sign-in throttled by one copy is throttled by all. Times are given by the caller
 * (the API's clock), so the rules about expiry live in one place, server/api/sessions.ts.
 */
export interface AccountStore {
  /** Null when the name (compared without case) is taken. */
  createUser(user: NewUser, at: Date): Promise<UserRecord | null>;
  /** The user and the stored password hash, for a sign-in; null when there is no such user. */
  userCredentials(username: string): Promise<{ user: UserRecord; password: PasswordHash } | null>;
  listUsers(): Promise<UserRecord[]>;
  /** Null for no such user. Disabling the account or setting its password ends its sessions, in one transaction. */
  updateUser(username: string, patch: UserPatch): Promise<UserRecord | null>;
  recordLogin(username: string, at: Date): Promise<void>;

  /** Also forgets the sessions that have ended: idle since before `prune.idleBefore`, or past their end at `prune.now`. */
  createSession(session: NewSession, prune: { idleBefore: Date; now: Date }): Promise<void>;
  findSession(hash: string): Promise<SessionRecord | null>;
  touchSession(hash: string, at: Date): Promise<void>;
  deleteSession(hash: string): Promise<void>;

  listTokens(): Promise<TokenRecord[]>;
  /** False when there was no such token. */
  deleteToken(id: string): Promise<boolean>;

  /** Records one failure under each key, and forgets failures older than `forgetBefore`. */
  recordLoginFailure(keys: string[], at: Date, forgetBefore: Date): Promise<void>;
  loginFailures(keys: string[], since: Date): Promise<FailureCount[]>;
  clearLoginFailures(key: string): Promise<void>;

  /** The exports taken, newest first. */
  takenExports(limit: number): Promise<TakenExport[]>;
}

/** A certificate of the trust store the service judges with (GET /api/trust); declared beside the store in worker/pki. */
export type { TrustEntry } from '../../worker/pki/trust-entry';

/** The unit registry as stored: what it is, its version hash, who set it (`api:<user>`, `file:<path>`) and when. */
export interface StoredUnitRegistry {
  registry: UnitRegistry;
  version: string;
  source: string;
  updatedAt: string;
}

/** The service's unit registry (store/unit-registry.ts): one current, the earlier ones kept. */
export interface UnitRegistryStore {
  /** The current registry, or null when none was ever set. */
  unitRegistry(): Promise<StoredUnitRegistry | null>;
  /** The current registry's version (cheap: what a verifier polls), or null. */
  unitRegistryVersion(): Promise<string | null>;
  /** Makes `registry` (already validated) current; nothing is written when its version is the current one. */
  putUnitRegistry(registry: UnitRegistry, source: string, at: Date): Promise<StoredUnitRegistry>;
}

// -- Stored facts and the history of verdicts (re-judging) ------------------------------------------------------------

/** A facts record as stored (worker/facts-record.ts FactsRecord, held here as plain JSON the store need not read). */
export interface StoredFactsRecord {
  version: number;
  facts: unknown;
  certificates: Record<string, string>;
  revocation: Record<string, { type: 'crl' | 'ocsp'; der: string }>;
  /**
   * The revocation fetched online for the document (references into `revocation`; worker/facts-record.ts
   * StoredFetched, spelled here without it: this file is read by the browser's build, which has no Node types).
   */
  fetched?: { crls: string[]; ocsps: string[]; problems: { code: string; certificate: string; url: string; reason: string }[]; at: string };
}

/** Which stored documents to judge again. */
export type RejudgeScope =
  | { batchId: string }
  /** Documents with a row in these months (YYYY-MM, inclusive). */
  | { from: string; to: string }
  /** Documents whose report was judged with anything but this judgedWith key (the service after a change). */
  | { notJudgedWith: string }
  | { all: true };

export interface StoredFacts {
  sha256: string;
  record: StoredFactsRecord;
  collectedAt: Date;
  /** The document's current report, or null when none is stored (its verification was never saved). */
  report: DocumentReport | null;
}

export interface VerdictHistoryEntry {
  judgedAt: string;
  reason: 'verified' | 'rejudged';
  verdict: DocumentReport['verdict'];
  checks: DocumentReport['checks'];
  findings: string[];
  trustStore: string | null;
  revocation: string | null;
  units: string | null;
}

/**
 * What re-judging needs of the store (SqlStore implements it). A separate interface from Store: the queue and the API
 * are tested against fakes of Store that hold no facts.
 */
export interface FactsStore {
  /** Saves a document's facts (their DER once per hash), and its verification as the first row of its history. */
  saveFacts(sha256: string, record: StoredFactsRecord, collectedAt: Date, report: DocumentReport, judgedWithKey: string | null): Promise<void>;
  /** A page of stored facts in the scope, in sha256 order, after `after` (exclusive). */
  factsPage(scope: RejudgeScope, after: string | null, limit: number): Promise<StoredFacts[]>;
  /** Records that these documents' reports were judged again and did not change: only the versions move on. */
  /**
   * Documents judged again with nothing changed: their reports name the shared versions and time they were judged
   * with now, and keep the revocation version they name unless `revocation` gives the one of data fetched again.
   */
  markJudged(items: { sha256: string; revocation?: string }[], versions: { trustStore: string; units: string | null }, at: Date, judgedWithKey: string): Promise<void>;
  /** Saves a re-judged report that changed, with its history row. */
  /**
   * Reports changed by judging again, a page at once: stored (and moved in the unit figures), written into the batch
   * rows that hold them, each with a history row. One at a time, each save would wait out the group commit's window.
   */
  saveRejudged(items: { sha256: string; report: DocumentReport }[], judgedWithKey: string): Promise<void>;
  /** The document's record with revocation fetched again added (judging again online); its facts stay. */
  saveFetched(sha256: string, record: StoredFactsRecord): Promise<void>;
  /** A document's verdicts, oldest first. */
  verdictHistory(sha256: string): Promise<VerdictHistoryEntry[]>;
}
