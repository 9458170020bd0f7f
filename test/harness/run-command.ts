import { spawn } from 'node:child_process';

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** Exit code; -1 when the process ended by a signal or could not be started. */
  code: number;
}

export interface RunCommandOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Bytes written to the child's stdin, which is then closed. */
  input?: string | Buffer;
  /** The child gets SIGKILL after this long (it is reported, not thrown). */
  timeoutMs?: number;
  uid?: number;
  gid?: number;
}

/**
 * Runs a program with an argument vector (never a shell, so no argument is ever
 * re-parsed) and collects its output. A non-zero exit is a result, not an exception:
 * callers decide what a failure means and keep stderr for their message.
 */
export function runCommand(
  file: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      uid: options.uid,
      gid: options.gid,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ stdout: '', stderr: `cannot run ${file}: ${error.message}`, code: -1 });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) stderr += `\n${file} killed after ${options.timeoutMs} ms`;
      else if (signal !== null) stderr += `\n${file} ended by ${signal}`;
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr, code: code ?? -1 });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Shortens a failed command into one line for an error message. */
export function describeFailure(what: string, result: CommandResult): string {
  const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-8).join('\n');
  return `${what} failed (exit ${result.code})${detail ? `:\n${detail}` : ''}`;
}
