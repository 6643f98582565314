import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DocumentReport, Finding } from '../../worker/report';
import type { UnitRegistry } from '../../worker/verify';
import { parseArgs, requestedLang, UsageError, type CheckArgs, type RejudgeArgs, type ReportArgs, type ServiceArgs, type TokenArgs, type UserArgs } from './args';
import { checkEach } from './check';
import { collectInputs } from '../ingest/collect';
import { InputError } from '../ingest/types';
import { t, type Lang } from '../shared/messages';
import { defaultCertsDir, version } from '../shared/paths';
import { VerifyPool, type PoolOptions, type VerifyFn } from '../pool/verify-pool';
import { Progress } from './progress';
import { RegisterJoin } from '../register/apply';
import { registerLimits, RegisterLimitError, type RegisterLimits } from '../shared/register-limits';
import { readRegister, RegisterFormatError, type RegisterRow } from '../register/read';
import { OutputClosed, ReportOutput, type OutStream } from '../report/output';
import { tableWidth } from './table-width';
import { openReport, type ReportFormat, type ReportWriter, type WriterOptions } from '../report/format';
import { formatNamed } from '../report/formats';
import { SpoolError } from '../report/row-spool';
import { SummaryTally } from '../report/summary';
import { ConfigError, loadConfig, loadRegisterLimitSettings, type Env } from '../shared/config';
import type { ServiceConfig } from '../shared/types';
import { visible, visibleLines } from '../shared/safe-text';
import { readUnitRegistry } from './unit-registry';
import { UnitRegistryError } from '../../worker/registry-parse';
import { usageText } from './usage';

/**
 * `kiemky check`: inputs in, one batch report out, and an exit code a script can act on —
 * 0 every document compliant, 1 some document not (or the batch itself has an error finding), 2 a usage error.
 */

export type { OutStream };

export interface CliDeps {
  stdout: OutStream;
  stderr: OutStream;
  /** Verify in-process with this function instead of verification threads running verifyDocument (tests). */
  verify?: VerifyFn;
  /** Pool settings a caller may override (timeouts in tests). */
  pool?: Partial<PoolOptions>;
  now?: () => Date;
  /** Environment of `serve`, `worker`, `token` and `user` (default: process.env). */
  env?: Env;
  /** Where `user create --password-stdin` reads the password (default: process.stdin). */
  stdin?: NodeJS.ReadableStream;
}

export const EXIT_OK = 0;
export const EXIT_NONCOMPLIANT = 1;
export const EXIT_USAGE = 2;
/** The reader of the report went away (`| head`): what a shell reports for a program ended by SIGPIPE. */
export const EXIT_OUTPUT_CLOSED = 141;

/**
 * Ctrl-C (or a SIGTERM) during `check` ends the process with the code a shell gives for that signal, but through
 * process.exit, so the temporary folders are removed on the way out (see TempDir) rather than left in /tmp.
 */
function exitOnInterrupt(): () => void {
  const onInt = (): never => process.exit(130);
  const onTerm = (): never => process.exit(143);
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}

/**
 * A message on stderr, with its line break. Whatever it quotes (a path, a unit, an error's message) has its control
 * and bidi characters shown as escapes; the line breaks the message itself holds stay (safe-text.ts).
 */
function say(stream: OutStream, text: string): void {
  stream.write(`${visibleLines(text)}\n`);
}

function errorDetail(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A registry's fault in the reader's language (the parser says it in both); any other failure as it came. */
function registryErrorDetail(err: unknown, lang: Lang): string {
  return err instanceof UnitRegistryError && lang === 'vi' ? err.vi : errorDetail(err);
}

function readableDir(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.R_OK);
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The service's register limits, from the same environment variables: a register refused by one is by the other. */
function cliRegisterLimits(deps: CliDeps): RegisterLimits {
  try {
    return registerLimits(loadRegisterLimitSettings(deps.env ?? process.env));
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError('configInvalid', { detail: err.message });
    throw err;
  }
}

async function loadRegister(file: string, limits: RegisterLimits): Promise<RegisterRow[]> {
  try {
    return await readRegister(file, limits);
  } catch (err) {
    if (err instanceof RegisterLimitError) throw new UsageError('registerOverLimit', { path: file, kind: err.kind, limit: err.limit, line: err.line });
    if (err instanceof RegisterFormatError) {
      const detail = err.reason === 'noHeader' ? 'registerNoHeader' : 'registerNoFileColumn';
      throw new UsageError('registerUnreadable', { path: file }, { detail });
    }
    throw new UsageError('registerUnreadable', { path: file, detail: errorDetail(err) });
  }
}

/** A full or unwritable temporary folder: the clerk is told where, and how to choose another, not shown a stack. */
function spoolUnwritable(format: ReportFormat, err: SpoolError): UsageError {
  return new UsageError('spoolUnwritable', { format: format.name.toUpperCase(), path: os.tmpdir(), detail: errorDetail(err) });
}

function exitCode(tally: SummaryTally, batchFindings: Finding[]): number {
  // An archive whose every entry was refused verified nothing: that is not "every document compliant".
  const allCompliant = tally.documents > 0 && tally.compliant === tally.documents && !batchFindings.some((f) => f.severity === 'error');
  return allCompliant ? EXIT_OK : EXIT_NONCOMPLIANT;
}

/**
 * What `check` does with each report as it comes, in file-name order, keeping only the unit counts: a province's
 * month needs no more memory than a day's. The format's writer (report/formats.ts) gives the text to write now —
 * JSON and CSV a document at a time, the table all at the end — or keeps the document (the XLSX spools its rows to
 * temporary files and streams the workbook at the end).
 */
class ReportSink {
  readonly tally = new SummaryTally();
  private readonly writer: ReportWriter;

  constructor(
    private readonly format: ReportFormat,
    options: Pick<WriterOptions, 'lang' | 'csvSeparator' | 'width' | 'scope' | 'issuer'>,
    private readonly output: ReportOutput,
    generatedAt: Date,
    private readonly register: RegisterJoin | null,
  ) {
    this.writer = openReport(format, { ...options, generatedAt, compact: false });
  }

  add(verified: DocumentReport): void {
    const doc = this.register ? this.register.join(verified) : verified;
    this.tally.add(doc);
    try {
      for (const piece of this.writer.document(doc)) this.output.write(piece);
    } catch (err) {
      throw err instanceof SpoolError ? spoolUnwritable(this.format, err) : err;
    }
  }

  /** Writes what is left of the report; returns the batch's findings, the register's unmatched rows among them. */
  async finish(inputFindings: Finding[]): Promise<Finding[]> {
    const findings = [...inputFindings, ...(this.register?.unmatched() ?? [])];
    try {
      await this.writer.end(this.tally.result(), findings, this.output);
    } catch (err) {
      // The output's own failures already say so (a usage error naming it, or its reader gone).
      throw err instanceof SpoolError ? spoolUnwritable(this.format, err) : err;
    }
    this.output.flush();
    return findings;
  }

  /** Removes what the writer spooled, when the batch ends before its report does. */
  dispose(): void {
    this.writer.dispose();
  }
}

async function check(args: CheckArgs, deps: CliDeps): Promise<number> {
  const certsDir = args.certs ?? defaultCertsDir();
  if (!readableDir(certsDir)) throw new UsageError('certsUnreadable', { path: certsDir });
  const format = formatNamed(args.format);
  if (!format.toTerminal && !args.out && deps.stdout.isTTY) throw new UsageError('notForTerminal', { format: format.name, extension: format.extension });
  let registry: UnitRegistry | undefined;
  if (args.units) {
    const file = args.units;
    try {
      registry = readUnitRegistry(file);
    } catch (err) {
      throw new UsageError('unitsUnreadable', { path: file, detail: registryErrorDetail(err, args.lang) });
    }
  }
  // The report is dated when the check begins: its JSON form is written from the first document on.
  const generatedAt = deps.now?.() ?? new Date();
  // The threads boot while the register is read and the inputs are listed: a folder of thousands of files takes
  // about as long to walk as a thread takes to load the core.
  const revocation = args.revocation === 'online' ? { mode: 'online' as const, cacheDir: args.revocationCache ?? defaultRevocationCache() } : undefined;
  const pool = new VerifyPool({ certsDir, registry, jobs: args.jobs ?? undefined, verify: deps.verify, ...(revocation ? { revocation } : {}), ...deps.pool });
  pool.start();
  const output = new ReportOutput(args.out, deps.stdout, (err) => new UsageError('outUnwritable', { path: args.out ?? 'stdout', detail: errorDetail(err) }));
  let closing: Promise<void> | null = null;
  let sink: ReportSink | null = null;
  const stopWatchingSignals = exitOnInterrupt();
  try {
    const rows = args.register ? await loadRegister(args.register, cliRegisterLimits(deps)) : null;
    const plan = await collectInputs(args.inputs);
    try {
      if (plan.items.length === 0 && plan.findings.length === 0) throw new UsageError('noDocuments');
      // The inspection report's scope line names what was checked, as the clerk gave it.
      const scope = { kind: 'batch' as const, label: args.inputs.map((i) => path.basename(i) || i).join(', ') };
      const width = tableWidth(deps.stdout, !!args.out, deps.env ?? process.env);
      const writerOptions = { lang: args.lang, csvSeparator: args.csvSeparator ?? undefined, width, scope, issuer: args.issuer };
      const reports = (sink = new ReportSink(format, writerOptions, output, generatedAt, rows ? new RegisterJoin(rows) : null));
      // JSON or CSV to a terminal scrolls by as it is verified, and a progress line redrawn among it would garble it.
      const streamedToTerminal = format.incremental && !args.out && deps.stdout.isTTY === true;
      const progress = streamedToTerminal ? null : new Progress(deps.stderr, plan.items.length, args.lang);
      try {
        await checkEach(plan.items, pool, (report) => reports.add(report), { onProgress: (done) => progress?.update(done) });
      } finally {
        progress?.clear();
      }
    } finally {
      await plan.close();
    }
    // Every document is verified: the threads wind down while the rest of the report is written.
    closing = pool.close();
    const batchFindings = await sink.finish(plan.findings);
    return exitCode(sink.tally, batchFindings);
  } finally {
    sink?.dispose();
    output.close();
    await (closing ?? pool.close());
    stopWatchingSignals();
  }
}

// The service commands below load Express, BullMQ and the database drivers with require() when they run, not at
// the top: `kiemky check` never needs them, and loading them cost every batch about 0.15 s (measured).

function serviceConfig(args: ServiceArgs | TokenArgs | UserArgs | ReportArgs | RejudgeArgs, deps: CliDeps): ServiceConfig {
  try {
    return loadConfig(deps.env ?? process.env, args.flags);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError('configInvalid', { detail: err.message });
    throw err;
  }
}

/** `kiemky serve`: runs until SIGTERM/SIGINT, then exits 0 once the running work is finished. */
async function serve(args: ServiceArgs, deps: CliDeps): Promise<number> {
  const cfg = serviceConfig(args, deps);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startServer } = require('../service/serve') as typeof import('../service/serve');
  const handle = await startServer(cfg);
  // An IPv6 address goes in brackets in a URL.
  const host = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
  say(deps.stderr, t(args.lang, 'serveListening', { host, port: handle.port }));
  if (!cfg.adminToken) say(deps.stderr, t(args.lang, 'serveNoAdminToken'));
  await handle.closed;
  return EXIT_OK;
}

/** `kiemky worker`: needs REDIS_URL; runs until a signal has let the running jobs finish. */
async function queueWorker(args: ServiceArgs, deps: CliDeps): Promise<number> {
  const cfg = serviceConfig(args, deps);
  if (!cfg.redisUrl) throw new UsageError('configInvalid', { detail: 'REDIS_URL / --redis-url' });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runQueueWorker } = require('../service/queue-worker') as typeof import('../service/queue-worker');
  const handle = await runQueueWorker(cfg);
  say(deps.stderr, t(args.lang, 'queueWorkerStarted'));
  // runQueueWorker closes itself on SIGTERM/SIGINT; the process then ends when nothing is left open. Wait for that
  // by wrapping close(), which both the signal handler and any embedder call.
  await new Promise<void>((resolve) => {
    const close = handle.close.bind(handle);
    handle.close = () => close().finally(resolve);
  });
  return EXIT_OK;
}

/** What `token create` and `user create` say after writing: where, so a wrong DATA_DIR shows at once. */
function sayWhere(lang: Lang, deps: CliDeps, written: { servePort: number | null; dataDir: string; database: string }, wasNew: boolean): void {
  const p = { port: written.servePort ?? '', dataDir: visible(written.dataDir), database: visible(written.database) };
  say(deps.stderr, t(lang, written.servePort === null ? 'writtenToStore' : 'writtenThroughServe', p));
  if (wasNew && written.servePort === null) say(deps.stderr, t(lang, 'newDatabase', p));
}

/** The embedded database of DATA_DIR does not exist yet: the command is about to make one (a likely wrong folder). */
function noDatabaseYet(cfg: ServiceConfig): boolean {
  return cfg.databaseUrl === null && !fs.existsSync(path.join(cfg.dataDir, 'db', 'PG_VERSION'));
}

async function token(args: TokenArgs, deps: CliDeps): Promise<number> {
  const cfg = serviceConfig(args, deps);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createTokenCommand } = require('../service/token-cmd') as typeof import('../service/token-cmd');
  const wasNew = noDatabaseYet(cfg);
  const written = await createTokenCommand(cfg, { role: args.role, units: args.units, label: args.label });
  const issued = written.result;
  say(deps.stderr, t(args.lang, 'tokenCreated', { role: issued.role, units: visible(issued.units.join(', ')) || null, id: issued.id }));
  // The token alone on stdout, so a script can capture it: TOKEN=$(kiemky token create --role inspector).
  deps.stdout.write(`${issued.token}\n`);
  sayWhere(args.lang, deps, written, wasNew);
  return EXIT_OK;
}

/**
 * `kiemky report`: the report of a period from the store (service/report-cmd.ts), to `--out` or stdout, and a line
 * on stderr saying what it holds. Exit 0 once written: a report of a period judges no single check.
 */
async function report(args: ReportArgs, deps: CliDeps): Promise<number> {
  const cfg = serviceConfig(args, deps);
  const format = formatNamed(args.format);
  if (!format.toTerminal && !args.out && deps.stdout.isTTY) throw new UsageError('notForTerminal', { format: format.name, extension: format.extension });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { periodReportCommand } = require('../service/report-cmd') as typeof import('../service/report-cmd');
  const output = new ReportOutput(args.out, deps.stdout, (err) => new UsageError('outUnwritable', { path: args.out ?? 'stdout', detail: errorDetail(err) }));
  try {
    const written = await periodReportCommand(cfg, {
      lang: args.lang,
      from: args.from,
      to: args.to,
      units: args.units,
      summary: args.summary,
      format,
      csvSeparator: args.csvSeparator ?? undefined,
      issuer: args.issuer,
      generatedAt: deps.now?.() ?? new Date(),
    }, output);
    output.flush();
    const period = args.from === args.to ? args.from : `${args.from} – ${args.to}`;
    const out = visible(args.out ?? 'stdout');
    if (written.servePort !== null) say(deps.stderr, t(args.lang, 'reportWrittenThroughServe', { period, port: written.servePort, out }));
    else say(deps.stderr, t(args.lang, 'reportWritten', { period, documents: written.documents ?? 0, units: written.units ?? 0, out }));
    return EXIT_OK;
  } finally {
    output.close();
  }
}

/**
 * `kiemky rejudge`: stored documents judged again from their facts (service/rejudge-cmd.ts); a line on stderr says
 * how many and how many changed. Exit 0 once done (or handed to a running serve).
 */
async function rejudge(args: RejudgeArgs, deps: CliDeps): Promise<number> {
  const cfg = serviceConfig(args, deps);
  let registry: UnitRegistry | undefined;
  if (args.units) {
    try {
      registry = readUnitRegistry(args.units);
    } catch (err) {
      throw new UsageError('unitsUnreadable', { path: args.units, detail: registryErrorDetail(err, args.lang) });
    }
  }
  const scope = args.batch !== null ? { batchId: args.batch } : args.from !== null && args.to !== null ? { from: args.from, to: args.to } : { all: true as const };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { rejudgeCommand } = require('../service/rejudge-cmd') as typeof import('../service/rejudge-cmd');
  const done = await rejudgeCommand(cfg, scope, registry);
  if (done.through === 'serve') say(deps.stderr, t(args.lang, 'rejudgeThroughServe', { port: done.port, id: done.job.id }));
  else {
    const r = done.result;
    say(deps.stderr, t(args.lang, 'rejudgeDone', { judged: r.judged, changed: r.changed, failed: r.failed.length, trust: done.trustStore.slice(0, 12) }));
  }
  return EXIT_OK;
}

/** All of stdin, less the line end `echo` or a here-string adds: a password may hold spaces, not a final newline. */
async function readPassword(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function user(args: UserArgs, deps: CliDeps): Promise<number> {
  const cfg = serviceConfig(args, deps);
  const password = await readPassword(deps.stdin ?? process.stdin);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createUserCommand } = require('../service/user-cmd') as typeof import('../service/user-cmd');
  const wasNew = noDatabaseYet(cfg);
  const written = await createUserCommand(cfg, { username: args.username, password, role: args.role, units: args.units });
  const made = written.result;
  say(deps.stderr, t(args.lang, 'userCreated', { username: visible(made.username), role: made.role, units: visible(made.units.join(', ')) || null }));
  sayWhere(args.lang, deps, written, wasNew);
  return EXIT_OK;
}

/** What serve or the store refused (a name taken, a short password): its own message, exit code 1. */
function refused(err: unknown, lang: Lang, deps: CliDeps): number | null {
  const e = err as { name?: unknown; messageVi?: unknown; messageEn?: unknown };
  if (e?.name !== 'CommandRefused' || typeof e.messageVi !== 'string' || typeof e.messageEn !== 'string') return null;
  say(deps.stderr, `kiemky: ${visible(lang === 'en' ? e.messageEn : e.messageVi)}`);
  return EXIT_NONCOMPLIANT;
}

export async function run(argv: string[], deps: CliDeps): Promise<number> {
  const lang = requestedLang(argv);
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') {
      deps.stdout.write(`${usageText(args.lang)}\n`);
      return EXIT_OK;
    }
    if (args.command === 'version') {
      deps.stdout.write(`kiemky ${version()}\n`);
      return EXIT_OK;
    }
    switch (args.command) {
      case 'serve':
        return await serve(args, deps);
      case 'worker':
        return await queueWorker(args, deps);
      case 'token':
        return await token(args, deps);
      case 'user':
        return await user(args, deps);
      case 'check':
        return await check(args, deps);
      case 'report':
        return await report(args, deps);
      case 'rejudge':
        return await rejudge(args, deps);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      say(deps.stderr, `kiemky: ${err.text(lang)}\n${t(lang, 'usageHint')}`);
      return EXIT_USAGE;
    }
    if (err instanceof InputError) {
      say(deps.stderr, `kiemky: ${t(lang, 'inputNotFound', { path: visible(err.path) })}`);
      return EXIT_USAGE;
    }
    if (err instanceof OutputClosed) return EXIT_OUTPUT_CLOSED;
    const code = refused(err, lang, deps);
    if (code !== null) return code;
    throw err;
  }
}

/**
 * Entry point of bin/kiemky.js. An error nobody expected is shown with its stack and exit code 2, through `say`
 * like every other message: its text may quote a file name.
 */
export function main(argv: string[]): Promise<number> {
  return run(argv, { stdout: process.stdout, stderr: process.stderr }).catch((err: unknown) => {
    say(process.stderr, err instanceof Error ? (err.stack ?? err.message) : String(err));
    return EXIT_USAGE;
  });
}

/** Fetched CRLs and OCSP responses outlive one `check`: the user's cache folder (XDG), shared by later runs. */
function defaultRevocationCache(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'kiemky', 'revocation');
}
