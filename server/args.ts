import { t, type Lang, type Params, type TextKey } from './messages';

/** The command line, parsed: `kiemky check <inputs>... [options]`, `--help`, `--version`. */

export const FORMATS = ['table', 'json', 'csv', 'xlsx'] as const;
export type Format = (typeof FORMATS)[number];
const LANGS = ['vi', 'en'] as const;

export interface CheckArgs {
  command: 'check';
  inputs: string[];
  certs: string | null;
  register: string | null;
  units: string | null;
  format: Format;
  out: string | null;
  lang: Lang;
  jobs: number | null;
}

export type ParsedArgs = CheckArgs | { command: 'help'; lang: Lang } | { command: 'version'; lang: Lang };

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
  text(lang: Lang): string {
    const translated = Object.fromEntries(Object.entries(this.textParams).map(([name, key]) => [name, t(lang, key)]));
    return t(lang, this.key, { ...this.params, ...translated });
  }
}

const VALUE_OPTIONS = ['--certs', '--register', '--units', '--format', '--out', '--lang', '--jobs'] as const;
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
  if (command !== 'check') throw new UsageError(command.startsWith('-') ? 'unknownOption' : 'unknownCommand', { command, option: command });

  const args: CheckArgs = { command: 'check', inputs: [], certs: null, register: null, units: null, format: 'table', out: null, lang, jobs: null };
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
        args.format = oneOf(name, value, FORMATS);
        break;
      case '--lang':
        args.lang = oneOf(name, value, LANGS);
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
