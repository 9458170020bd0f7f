import type { Readable } from 'node:stream';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import type { CommandArgs, CommandLineSpec } from './command-args';
import type { VdctlOutput } from './vdctl-output';

/** What a running command may use; nothing else reaches the process. */
export interface CommandContext {
  out: VdctlOutput;
  /** Opens the connection on first use (so `help` never connects) and reuses it after. */
  connect(): Promise<LibvirtClient>;
  /** The user's input: keystrokes for `console` (a TTY or a pipe). */
  stdin: Readable & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  /** Aborted on SIGINT/SIGTERM: long-running commands (event, console) end cleanly. */
  signal: AbortSignal;
  env: Readonly<Record<string, string | undefined>>;
}

export type CommandGroup = 'Domain' | 'Monitoring' | 'Network' | 'Storage' | 'Host' | 'vdctl';

export interface VdctlCommand extends CommandLineSpec {
  group: CommandGroup;
  /** One line for `vdctl help`. */
  summary: string;
  /** The usage line after `vdctl`, e.g. 'list [--all] [--name]'. */
  synopsis: string;
  /**
   * The command ends by itself on `ctx.signal` (event, console). Others are cut short by
   * the runner on Ctrl+C: the connection is closed and vdctl exits with 130.
   */
  handlesInterrupt?: boolean;
  /** Resolves to the exit code (0 when undefined). Throws for failures. */
  run(ctx: CommandContext, args: CommandArgs): Promise<number | void>;
}
