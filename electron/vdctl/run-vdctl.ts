import type { Writable } from 'node:stream';
import { appIdentity } from '../config/app-identity';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { LibvirtError } from '../libvirt/errors';
import type { AliasSource } from '../libvirt/uri/resolve-uri';
import { parseCommandArgs, type CommandArgs } from './command-args';
import { findCommand, vdctlCommands } from './command-registry';
import { openVdctlClient, requestedUri } from './connect-vdctl';
import { splitGlobalArgs, type SplitArgs } from './global-args';
import { formatCommandHelp, formatGlobalHelp, usageHint } from './help-text';
import type { CommandContext, VdctlCommand } from './vdctl-command';
import { CommandFailure, UsageError } from './vdctl-errors';
import { VdctlOutput } from './vdctl-output';

export interface VdctlIo {
  stdin: CommandContext['stdin'];
  stdout: Writable;
  stderr: Writable;
  env: Readonly<Record<string, string | undefined>>;
}

export interface RunVdctlOptions {
  /** VirtDeck's saved connection names (consulted after libvirt.conf's uri_aliases). */
  aliases?: AliasSource;
  /** Aborted by Ctrl+C / SIGTERM. */
  signal?: AbortSignal;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

class Interrupted extends Error {}

function raceInterrupt<T>(run: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Interrupted('interrupted'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    run.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The lines to print for a failure: our context first, then each cause's own message. */
function errorMessages(error: unknown): string[] {
  if (error instanceof CommandFailure) {
    return [error.message, ...(error.cause === undefined ? [] : errorMessages(error.cause))];
  }
  if (error instanceof Error) return [error.message];
  return [typeof error === 'string' ? error : JSON.stringify(error)];
}

function libvirtCause(error: unknown): LibvirtError | null {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e instanceof LibvirtError) return e;
  }
  return null;
}

function reportFailure(out: VdctlOutput, stderr: Writable, error: unknown): void {
  const messages = errorMessages(error);
  if (!out.json) {
    for (const message of messages) out.error(message);
    return;
  }
  const lv = libvirtCause(error);
  const libvirt = lv
    ? { code: lv.code, codeName: lv.codeName, domain: lv.domain, domainName: lv.domainName }
    : null;
  stderr.write(
    `${JSON.stringify({ error: { message: messages.join(': '), messages, libvirt } })}\n`,
  );
}

function reportUsage(out: VdctlOutput, error: UsageError, command: VdctlCommand | null): number {
  out.error(error.message);
  out.note(usageHint(command).trimEnd());
  return EXIT_USAGE;
}

/**
 * Runs one vdctl command line and resolves to its exit code: 0 success, 1 failure (libvirt's
 * message on stderr), 2 bad usage, 130 interrupted. Never calls process.exit and never
 * touches process streams itself, so tests run it in-process.
 */
export async function runVdctl(
  argv: readonly string[],
  io: VdctlIo,
  options: RunVdctlOptions = {},
): Promise<number> {
  const plain = new VdctlOutput(io.stdout, io.stderr, false, false);
  let split: SplitArgs;
  try {
    split = splitGlobalArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return reportUsage(plain, error, null);
    throw error;
  }
  const { globals } = split;
  if (globals.version) {
    plain.text(`vdctl ${appIdentity.version}\n`);
    return EXIT_OK;
  }
  if (split.command === null) {
    if (globals.help) {
      plain.text(formatGlobalHelp(vdctlCommands));
      return EXIT_OK;
    }
    return reportUsage(plain, new UsageError('no command given'), null);
  }
  const command = findCommand(split.command);
  if (!command) {
    return reportUsage(plain, new UsageError(`unknown command: '${split.command}'`), null);
  }
  let args: CommandArgs;
  try {
    args = parseCommandArgs(command, split.commandArgs);
  } catch (error) {
    if (error instanceof UsageError) return reportUsage(plain, error, command);
    throw error;
  }
  if (args.flag('help') || globals.help) {
    plain.text(formatCommandHelp(command));
    return EXIT_OK;
  }

  const out = new VdctlOutput(
    io.stdout,
    io.stderr,
    globals.json || args.flag('json'),
    globals.quiet,
  );
  const signal = options.signal ?? new AbortController().signal;
  let opening: Promise<LibvirtClient> | undefined;
  let client: LibvirtClient | undefined;
  let connectFailed = false;
  const ctx: CommandContext = {
    out,
    connect: () =>
      (opening ??= openVdctlClient(requestedUri(globals.connect, io.env), options.aliases).then(
        (c) => (client = c),
        (error: unknown) => {
          connectFailed = true;
          throw error;
        },
      )),
    stdin: io.stdin,
    signal,
    env: io.env,
  };

  let code: number;
  try {
    const run = command.run(ctx, args);
    code = (await (command.handlesInterrupt ? run : raceInterrupt(run, signal))) ?? EXIT_OK;
  } catch (error) {
    if (error instanceof Interrupted) code = EXIT_INTERRUPTED;
    else if (error instanceof UsageError) return reportUsage(out, error, command);
    else {
      reportFailure(out, io.stderr, error);
      code = EXIT_FAILURE;
    }
  } finally {
    if (client) await client.close().catch(() => {});
    // An open still in flight after an interrupt is closed whenever it lands.
    else void opening?.then((c) => c.close()).catch(() => {});
  }
  // virsh ends every command's output with a blank line unless --quiet; so do we (text
  // only). virsh connects before running the command, so a failed connect prints none.
  const ran = !connectFailed && code !== EXIT_INTERRUPTED;
  if (!out.json && !out.quiet && command.name !== 'help' && ran) {
    out.text('\n');
  }
  await out.flush();
  return code;
}
