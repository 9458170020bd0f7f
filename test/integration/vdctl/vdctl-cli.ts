import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCommand, type CommandResult } from '../../harness/run-command';
import { runVirsh } from '../../harness/run-virsh';
import { waitFor } from '../../harness/wait-for';

/** The BUILT CLI: tests run exactly what users run. */
export const VDCTL_BUNDLE = fileURLToPath(
  new URL('../../../dist/electron/vdctl.cjs', import.meta.url),
);
const VITE_CONFIG = fileURLToPath(
  new URL('../../../build/vite.electron.config.ts', import.meta.url),
);

/** Builds the main-process bundles if vdctl.cjs is missing (a fresh clone, `npm run test:integration`). */
export async function ensureVdctlBuilt(): Promise<void> {
  if (existsSync(VDCTL_BUNDLE)) return;
  const { build } = await import('vite');
  await build({ configFile: VITE_CONFIG, logLevel: 'warn' });
  if (!existsSync(VDCTL_BUNDLE)) throw new Error(`vite build did not produce ${VDCTL_BUNDLE}`);
}

/**
 * The environment both vdctl and virsh get: C locale, no daemon autostart, and no default
 * URI inherited from the developer's shell (each test says what it connects to).
 */
export function cliEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LIBVIRT_AUTOSTART: '0' };
  delete env.LIBVIRT_DEFAULT_URI;
  delete env.VIRSH_DEFAULT_CONNECT_URI;
  return { ...env, ...extra };
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  uid?: number;
  gid?: number;
  timeoutMs?: number;
}

export function vdctl(args: readonly string[], options: CliOptions = {}): Promise<CommandResult> {
  return runCommand(process.execPath, [VDCTL_BUNDLE, ...args], {
    env: options.env ?? cliEnvironment(),
    input: options.input,
    uid: options.uid,
    gid: options.gid,
    timeoutMs: options.timeoutMs ?? 60_000,
  });
}

/** `vdctl -c URI …` next to `virsh -c URI …`, for side-by-side comparisons. */
export async function both(
  uri: string,
  args: readonly string[],
): Promise<{ ours: CommandResult; theirs: CommandResult }> {
  const ours = await vdctl(['-c', uri, ...args]);
  const theirs = await runVirsh(uri, args);
  return { ours, theirs };
}

/** A long-running child (event, console) whose output the test watches as it comes. */
export class LiveProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number>;

  constructor(file: string, args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(file, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (c: Buffer) => (this.stdout += c.toString('utf8')));
    this.child.stderr?.on('data', (c: Buffer) => (this.stderr += c.toString('utf8')));
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => resolve(code ?? (signal ? -1 : 0)));
      this.child.once('error', () => resolve(-1));
    });
  }

  static vdctl(args: readonly string[], env = cliEnvironment()): LiveProcess {
    return new LiveProcess(process.execPath, [VDCTL_BUNDLE, ...args], env);
  }

  /** Waits until stdout (or stderr) contains `text`; fails early if the process ended. */
  async waitFor(text: string, stream: 'stdout' | 'stderr' = 'stdout', timeoutMs = 30_000) {
    let ended = false;
    void this.exited.then(() => (ended = true));
    return waitFor(
      () => {
        if (this[stream].includes(text)) return true;
        if (ended) throw new Error(`process ended before printing ${JSON.stringify(text)}`);
        return undefined;
      },
      {
        what: `${JSON.stringify(text)} on ${stream}`,
        timeoutMs,
        intervalMs: 20,
        describeTimeout: () => `stdout:\n${this.stdout}\nstderr:\n${this.stderr}`,
      },
    );
  }

  write(data: string | Buffer): void {
    this.child.stdin?.write(data);
  }

  /** Ends the process if it is still running (test cleanup). */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
