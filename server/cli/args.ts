import { CSV_SEPARATOR_NAMES, csvSeparatorNamed, type CsvSeparator } from '../report/format-csv';
import type { ReportIssuer } from '../report/format';
import { DEFAULT_CLI_FORMAT, formatNames, type ReportFormatName } from '../report/formats';
import { parseMonth } from '../shared/months';
import { t, type Lang, type Params, type TextKey } from '../shared/messages';
import { visible } from '../shared/safe-text';
import type { ConfigFlags } from '../shared/config';
import type { Role } from '../shared/types';

/** The command line, parsed: `kiemky check <inputs>... [options]`, `--help`, `--version`. */

const LANGS = ['vi', 'en'] as const;

export interface CheckArgs {
  command: 'check';
  inputs: string[];
  certs: string | null;
  register: string | null;
  units: string | null;
  /** A name from the format registry (report/formats.ts). */
  format: ReportFormatName;
  out: string | null;
  lang: Lang;
  jobs: number | null;
  /** `--revocation online`: fetch CRLs and OCSP responses named by the certificates (default offline). */
  revocation: 'online' | 'offline';
  /** `--revocation-cache DIR`; null: the user's cache folder (main.ts, defaultRevocationCache). */
  revocationCache: string | null;
  /** `--csv-separator`; null: the language's (report/format-csv.ts). */
  csvSeparator: CsvSeparator | null;
  /** The inspection report's issuing body and signer (`--agency` …); empty: blanks for the inspector to fill. */
  issuer: ReportIssuer;
}

/**
 * `kiemky report --from YYYY-MM --to YYYY-MM [--unit U]... [--format F] --out FILE`: the report of a period of
 * months from the store serve keeps; with `--summary`, the leader's one page (PDF).
 */
export interface ReportArgs {
  command: 'report';
  lang: Lang;
  flags: ConfigFlags;
  from: string;
  to: string;
  /** The units to report on; empty: all. */
  units: string[];
  /** The leader's page instead of the inspection report. */
  summary: boolean;
  format: ReportFormatName;
  out: string | null;
  csvSeparator: CsvSeparator | null;
  issuer: ReportIssuer;
}

/**
 * `kiemky rejudge [--from YYYY-MM --to YYYY-MM | --batch ID] [--certs DIR] [--units FILE]`: the stored documents judged
 * again from their facts, without their PDFs (service/rejudge-cmd.ts).
 */
export interface RejudgeArgs {
  command: 'rejudge';
  lang: Lang;
  flags: ConfigFlags;
  from: string | null;
  to: string | null;
  batch: string | null;
  units: string | null;
}

/** `kiemky serve` and `kiemky worker`: flags that override the environment (see server/shared/config.ts). */
export interface ServiceArgs {
  command: 'serve' | 'worker';
  lang: Lang;
  flags: ConfigFlags;
}

/** `kiemky token create --role R [--unit U]... [--label L]`. */
export interface TokenArgs {
  command: 'token';
  lang: Lang;
  flags: ConfigFlags;
  role: Role;
  units: string[];
  label: string | null;
}

/** `kiemky user create --username NAME --role R [--unit U]... --password-stdin`. */
export interface UserArgs {
  command: 'user';
  lang: Lang;
  flags: ConfigFlags;
  username: string;
  role: Role;
  units: string[];
}

export type ParsedArgs = CheckArgs | ReportArgs | RejudgeArgs | ServiceArgs | TokenArgs | UserArgs | { command: 'help'; lang: Lang } | { command: 'version'; lang: Lang };

export class UsageError extends Error {
  constructor(
    readonly key: TextKey,
    readonly params: Params = {},
    /** Parameters that are themselves catalog texts, put in the same language as the message. */
    readonly textParams: Record<string, TextKey> = {},
  ) {
    super(`${key}`);
    this.name = 'UsageError';
  }
  /**
   * The message for the terminal. Its values (a path, an option, an error's own message) may be a file name the
   * shell expanded or a line of a register: their control and bidi characters are shown as escapes.
   */
  text(lang: Lang): string {
    const values = Object.fromEntries(Object.entries(this.params).map(([name, v]) => [name, typeof v === 'string' ? visible(v) : v]));
    const translated = Object.fromEntries(Object.entries(this.textParams).map(([name, key]) => [name, t(lang, key)]));
    return t(lang, this.key, { ...values, ...translated });
  }
}

/** The inspection report's header and signature block, for `check` and `report`: option → ReportIssuer's field. */
const ISSUER_OPTIONS = {
  '--agency': 'agency',
  '--parent-agency': 'parentAgency',
  '--place': 'place',
  '--signer-title': 'signerTitle',
  '--signer-name': 'signerName',
} as const satisfies Record<string, keyof ReportIssuer>;
type IssuerOption = keyof typeof ISSUER_OPTIONS;

/** Longer is no agency's name, and would only push the report's header off its page. */
export const MAX_ISSUER_LENGTH = 200;

function isIssuerOption(name: string): name is IssuerOption {
  return Object.hasOwn(ISSUER_OPTIONS, name);
}

function issuerField(issuer: ReportIssuer, option: IssuerOption, value: string): void {
  const text = value.normalize('NFC').trim();
  // A line break or a control character in a header line is a mistake (or a trick): the field is one line.
  if (text === '' || text.length > MAX_ISSUER_LENGTH || /[\u0000-\u001f\u007f-\u009f]/.test(text)) {
    throw new UsageError('badValue', { option, value, allowed: `1–${MAX_ISSUER_LENGTH}` });
  }
  issuer[ISSUER_OPTIONS[option]] = text;
}

const VALUE_OPTIONS = ['--certs', '--register', '--units', '--format', '--out', '--lang', '--jobs', '--revocation', '--revocation-cache', '--csv-separator', ...Object.keys(ISSUER_OPTIONS)] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];

function isValueOption(name: string): name is ValueOption {
  return (VALUE_OPTIONS as readonly string[]).includes(name);
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value);
  if (!found) throw new UsageError('badValue', { option, value, allowed: allowed.join(', ') });
  return found;
}

/** The language is looked for first, so that even an error about another option is shown in it. */
export function requestedLang(argv: string[]): Lang {
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i] === '--lang' ? argv[i + 1] : argv[i].startsWith('--lang=') ? argv[i].slice(7) : undefined;
    if (value === 'en' || value === 'vi') return value;
  }
  return 'vi';
}

export function parseArgs(argv: string[]): ParsedArgs {
  const lang = requestedLang(argv);
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return { command: 'help', lang };
  if (argv.includes('--version') || argv.includes('-V')) return { command: 'version', lang };
  if (argv.length === 0) throw new UsageError('noInput');
  const [command, ...rest] = argv;
  if (command === 'serve' || command === 'worker') return parseService(command, rest, lang);
  if (command === 'token') return parseToken(rest, lang);
  if (command === 'user') return parseUser(rest, lang);
  if (command === 'report') return parseReport(rest, lang);
  if (command === 'rejudge') return parseRejudge(rest, lang);
  if (command !== 'check') throw new UsageError(command.startsWith('-') ? 'unknownOption' : 'unknownCommand', { command, option: command });

  const args: CheckArgs = { command: 'check', inputs: [], certs: null, register: null, units: null, format: DEFAULT_CLI_FORMAT, out: null, lang, jobs: null, revocation: 'offline', revocationCache: null, csvSeparator: null, issuer: {} };
  let optionsEnded = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (optionsEnded || !arg.startsWith('-') || arg === '-') {
      args.inputs.push(arg);
      continue;
    }
    if (arg === '--') {
      optionsEnded = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!isValueOption(name)) throw new UsageError('unknownOption', { option: name });
    const value = eq >= 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError('missingValue', { option: name });
    if (isIssuerOption(name)) {
      issuerField(args.issuer, name, value);
      continue;
    }
    switch (name) {
      case '--certs':
        args.certs = value;
        break;
      case '--register':
        args.register = value;
        break;
      case '--units':
        args.units = value;
        break;
      case '--out':
        args.out = value;
        break;
      case '--format':
        args.format = oneOf(name, value, formatNames());
        break;
      case '--lang':
        args.lang = oneOf(name, value, LANGS);
        break;
      case '--csv-separator':
        args.csvSeparator = csvSeparatorNamed(oneOf(name, value, Object.keys(CSV_SEPARATOR_NAMES)))!;
        break;
      case '--revocation':
        args.revocation = oneOf(name, value, ['online', 'offline'] as const);
        break;
      case '--revocation-cache':
        args.revocationCache = value;
        break;
      case '--jobs': {
        const jobs = Number(value);
        if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) throw new UsageError('badValue', { option: name, value, allowed: '1–256' });
        args.jobs = jobs;
        break;
      }
    }
  }
  if (args.inputs.length === 0) throw new UsageError('noInput');
  return args;
}

const ROLES: readonly Role[] = ['admin', 'clerk', 'inspector', 'leader'];
const SERVICE_OPTIONS = ['--port', '--host', '--data-dir', '--certs', '--redis-url', '--database-url', '--export-dir', '--concurrency', '--lang'];
const TOKEN_OPTIONS = ['--role', '--unit', '--label', '--data-dir', '--database-url', '--lang'];
const REPORT_OPTIONS = ['--from', '--to', '--unit', '--format', '--out', '--csv-separator', '--data-dir', '--database-url', '--lang', ...Object.keys(ISSUER_OPTIONS)];
const REJUDGE_OPTIONS = ['--from', '--to', '--batch', '--certs', '--units', '--data-dir', '--database-url', '--revocation', '--lang'];
const USER_OPTIONS = ['--username', '--role', '--unit', '--data-dir', '--database-url', '--lang'];

/** `--name value` and `--name=value` pairs of the service commands; they take no positional arguments. */
function eachOption(rest: string[], allowed: string[], take: (name: string, value: string) => void): void {
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) throw new UsageError('unknownOption', { option: arg });
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!allowed.includes(name)) throw new UsageError('unknownOption', { option: name });
    const value = eq >= 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError('missingValue', { option: name });
    take(name, value);
  }
}

function wholeNumber(option: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError('badValue', { option, value, allowed: `${min}–${max}` });
  return n;
}

function serviceFlag(flags: ConfigFlags, name: string, value: string): void {
  switch (name) {
    case '--port':
      flags.port = wholeNumber(name, value, 0, 65535);
      break;
    case '--host':
      flags.host = value;
      break;
    case '--concurrency':
      flags.concurrency = wholeNumber(name, value, 1, 1024);
      break;
    case '--data-dir':
      flags.dataDir = value;
      break;
    case '--certs':
      flags.certsDir = value;
      break;
    case '--redis-url':
      flags.redisUrl = value;
      break;
    case '--database-url':
      flags.databaseUrl = value;
      break;
    case '--export-dir':
      flags.exportDir = value;
      break;
  }
}

function parseService(command: 'serve' | 'worker', rest: string[], lang: Lang): ServiceArgs {
  const flags: ConfigFlags = {};
  eachOption(rest, SERVICE_OPTIONS, (name, value) => serviceFlag(flags, name, value));
  return { command, lang, flags };
}

function parseToken(rest: string[], lang: Lang): TokenArgs {
  const [sub, ...options] = rest;
  if (sub !== 'create') throw new UsageError('unknownCommand', { command: `token ${sub ?? ''}`.trim() });
  const flags: ConfigFlags = {};
  let role: Role | null = null;
  const units: string[] = [];
  let label: string | null = null;
  eachOption(options, TOKEN_OPTIONS, (name, value) => {
    if (name === '--role') role = oneOf(name, value, ROLES);
    else if (name === '--unit') units.push(value);
    else if (name === '--label') label = value;
    else serviceFlag(flags, name, value);
  });
  if (role === null) throw new UsageError('missingValue', { option: '--role' });
  if (role === 'clerk' && units.length === 0) throw new UsageError('clerkNeedsUnit');
  return { command: 'token', lang, flags, role, units, label };
}

function month(option: string, value: string): string {
  const parsed = parseMonth(value);
  if (parsed === null) throw new UsageError('badValue', { option, value, allowed: 'YYYY-MM, MM/YYYY' });
  return parsed;
}

function parseReport(rest: string[], lang: Lang): ReportArgs {
  const summary = rest.includes('--summary');
  const flags: ConfigFlags = {};
  // Set from inside the callback, so held in an object the compiler does not narrow to its first value.
  const given: { from?: string; to?: string; format?: ReportFormatName } = {};
  const args: Omit<ReportArgs, 'from' | 'to' | 'format'> = { command: 'report', lang, flags, units: [], summary, out: null, csvSeparator: null, issuer: {} };
  eachOption(
    rest.filter((a) => a !== '--summary'),
    REPORT_OPTIONS,
    (name, value) => {
      if (name === '--from') given.from = month(name, value);
      else if (name === '--to') given.to = month(name, value);
      else if (name === '--unit') args.units.push(value.normalize('NFC').trim());
      else if (name === '--format') given.format = oneOf(name, value, formatNames());
      else if (name === '--out') args.out = value;
      else if (name === '--csv-separator') args.csvSeparator = csvSeparatorNamed(oneOf(name, value, Object.keys(CSV_SEPARATOR_NAMES)))!;
      else if (isIssuerOption(name)) issuerField(args.issuer, name, value);
      else if (name === '--lang') oneOf(name, value, LANGS);
      else serviceFlag(flags, name, value);
    },
  );
  const { from, format } = given;
  if (from === undefined) throw new UsageError('missingValue', { option: '--from' });
  // One month when only --from is given: the most usual report is a month's.
  const end = given.to ?? from;
  if (end < from) throw new UsageError('reportRangeReversed', { from, to: end });
  // The leader's page is a PDF and nothing else.
  if (summary && format !== undefined && format !== 'pdf') throw new UsageError('badValue', { option: '--format', value: format, allowed: 'pdf (--summary)' });
  return { ...args, from, to: end, format: format ?? (summary ? 'pdf' : 'docx') };
}

/**
 * The password is read from stdin only: on the command line it would sit in the shell's history and in every
 * process listing. `--password-stdin` is required so that a script says so, and `--password` is refused by name.
 */
function parseUser(rest: string[], lang: Lang): UserArgs {
  const [sub, ...given] = rest;
  if (sub !== 'create') throw new UsageError('unknownCommand', { command: `user ${sub ?? ''}`.trim() });
  if (given.some((a) => a === '--password' || a.startsWith('--password='))) throw new UsageError('passwordOnlyStdin');
  const options = given.filter((a) => a !== '--password-stdin');
  if (options.length === given.length) throw new UsageError('passwordOnlyStdin');
  const flags: ConfigFlags = {};
  let username: string | null = null;
  let role: Role | null = null;
  const units: string[] = [];
  eachOption(options, USER_OPTIONS, (name, value) => {
    if (name === '--username') username = value;
    else if (name === '--role') role = oneOf(name, value, ROLES);
    else if (name === '--unit') units.push(value);
    else serviceFlag(flags, name, value);
  });
  if (username === null) throw new UsageError('missingValue', { option: '--username' });
  if (role === null) throw new UsageError('missingValue', { option: '--role' });
  if (role === 'clerk' && units.length === 0) throw new UsageError('clerkNeedsUnit');
  return { command: 'user', lang, flags, username, role, units };
}

function parseRejudge(rest: string[], lang: Lang): RejudgeArgs {
  const args: RejudgeArgs = { command: 'rejudge', lang, flags: {}, from: null, to: null, batch: null, units: null };
  eachOption(rest, REJUDGE_OPTIONS, (name, value) => {
    if (name === '--from') args.from = month(name, value);
    else if (name === '--to') args.to = month(name, value);
    else if (name === '--batch') args.batch = value;
    else if (name === '--units') args.units = value;
    else if (name === '--revocation') args.flags.revocation = oneOf(name, value, ['online', 'offline'] as const);
    else if (name === '--lang') oneOf(name, value, LANGS);
    else serviceFlag(args.flags, name, value);
  });
  if (args.batch !== null && (args.from !== null || args.to !== null)) throw new UsageError('badValue', { option: '--batch', value: args.batch, allowed: '--batch or --from/--to, not both' });
  if (args.to !== null && args.from === null) throw new UsageError('missingValue', { option: '--from' });
  if (args.from !== null) {
    args.to ??= args.from;
    if (args.to < args.from) throw new UsageError('reportRangeReversed', { from: args.from, to: args.to });
  }
  return args;
}
