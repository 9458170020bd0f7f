import { parseArgs } from 'node:util';
import { UsageError } from './vdctl-errors';

export interface OptionSpec {
  type: 'boolean' | 'string';
  short?: string;
  /** Shown by `vdctl help COMMAND`; for string options the value's name comes first. */
  help: string;
  /** Name of the value in the help text (string options), e.g. 'SECONDS'. */
  valueName?: string;
}

export interface ArgSpec {
  /** Also accepted as `--<name> VALUE`, as virsh accepts `dominfo --domain x`. */
  name: string;
  help: string;
  required?: boolean;
  /** Takes every remaining word (only the last argument). */
  variadic?: boolean;
}

/** What a command declares about its command line. */
export interface CommandLineSpec {
  name: string;
  options?: Readonly<Record<string, OptionSpec>>;
  args?: readonly ArgSpec[];
}

type Value = string | boolean | undefined;

/** A command's parsed command line, with typed accessors that never return `any`. */
export class CommandArgs {
  constructor(
    readonly command: string,
    private readonly values: ReadonlyMap<string, Value>,
    private readonly lists: ReadonlyMap<string, readonly string[]>,
  ) {}

  flag(name: string): boolean {
    return this.values.get(name) === true;
  }

  string(name: string): string | undefined {
    const value = this.values.get(name);
    return typeof value === 'string' ? value : undefined;
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw new UsageError(`missing ${name.toUpperCase()}`, this.command);
    return value;
  }

  list(name: string): readonly string[] {
    return this.lists.get(name) ?? [];
  }

  /** A whole number of seconds ≥ 0, or undefined when the option is absent. */
  seconds(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!/^\d{1,9}$/.test(text)) {
      throw new UsageError(
        `--${name} needs a whole number of seconds, got '${text}'`,
        this.command,
      );
    }
    return Number(text);
  }
}

/** Options every command takes. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  json: { type: 'boolean', help: 'print machine-readable JSON' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

/**
 * Parses a command's words strictly: unknown options, missing values, too many or too few
 * arguments are UsageErrors. Positional arguments fill the declared args in order; an arg
 * given as `--name value` is skipped by the positional fill.
 */
export function parseCommandArgs(spec: CommandLineSpec, argv: readonly string[]): CommandArgs {
  const declaredArgs = spec.args ?? [];
  const options: Record<string, { type: 'boolean' | 'string'; short?: string }> = {};
  for (const [name, option] of Object.entries({ ...COMMON_OPTIONS, ...spec.options })) {
    options[name] = option.short
      ? { type: option.type, short: option.short }
      : { type: option.type };
  }
  for (const arg of declaredArgs) {
    if (!arg.variadic) options[arg.name] = { type: 'string' };
  }

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message, spec.name);
  }

  const values = new Map<string, Value>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string' || typeof value === 'boolean') values.set(name, value);
  }
  const lists = new Map<string, readonly string[]>();
  const positionals = [...parsed.positionals];
  if (values.get('help') === true) return new CommandArgs(spec.name, values, lists);

  for (const arg of declaredArgs) {
    if (arg.variadic) {
      lists.set(arg.name, positionals.splice(0));
      if (arg.required && (lists.get(arg.name)?.length ?? 0) === 0) {
        throw new UsageError(`missing ${arg.name.toUpperCase()}`, spec.name);
      }
      continue;
    }
    if (!values.has(arg.name)) {
      const next = positionals.shift();
      if (next !== undefined) values.set(arg.name, next);
    }
    if (arg.required && values.get(arg.name) === undefined) {
      throw new UsageError(`missing ${arg.name.toUpperCase()}`, spec.name);
    }
    if (values.get(arg.name) === '') {
      throw new UsageError(`${arg.name.toUpperCase()} must not be empty`, spec.name);
    }
  }
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument '${positionals[0] ?? ''}'`, spec.name);
  }
  return new CommandArgs(spec.name, values, lists);
}
