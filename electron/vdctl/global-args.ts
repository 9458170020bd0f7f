import { parseArgs } from 'node:util';
import { UsageError } from './vdctl-errors';

/** Options that come before the command, as with virsh (`vdctl -c URI list`). */
export interface GlobalOptions {
  /** `-c`/`--connect`: a URI or an alias. */
  connect: string | undefined;
  json: boolean;
  /** `-q`: no table headers and no blank line after the output (virsh --quiet). */
  quiet: boolean;
  help: boolean;
  version: boolean;
}

export interface SplitArgs {
  globals: GlobalOptions;
  /** null when the command line has only global options. */
  command: string | null;
  commandArgs: string[];
}

const GLOBAL_OPTIONS = {
  connect: { type: 'string', short: 'c' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

// Global options that consume the next word: the command starts after their value.
const TAKES_VALUE = new Set(['-c', '--connect']);

/** Index of the command word: the first argument that is not a global option or its value. */
function commandIndex(argv: readonly string[]): number {
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i] ?? '';
    if (arg === '--') return i + 1;
    if (!arg.startsWith('-') || arg === '-') return i;
    i += TAKES_VALUE.has(arg) ? 2 : 1;
  }
  return argv.length;
}

/**
 * Splits `vdctl [globals] COMMAND [args]`: the globals are parsed strictly here, the rest
 * belongs to the command's own parser, so `vdctl list -c x` is an error as in virsh.
 */
export function splitGlobalArgs(argv: readonly string[]): SplitArgs {
  const index = commandIndex(argv);
  const head = argv.slice(0, index).filter((arg) => arg !== '--');
  let values: {
    connect?: string;
    json?: boolean;
    quiet?: boolean;
    help?: boolean;
    version?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: head,
      options: GLOBAL_OPTIONS,
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.connect !== undefined && values.connect.trim() === '') {
    throw new UsageError('option -c/--connect needs a URI or an alias');
  }
  return {
    globals: {
      connect: values.connect,
      json: values.json ?? false,
      quiet: values.quiet ?? false,
      help: values.help ?? false,
      version: values.version ?? false,
    },
    command: argv[index] ?? null,
    commandArgs: argv.slice(index + 1),
  };
}
