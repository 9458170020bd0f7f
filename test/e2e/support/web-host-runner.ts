import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const webHostScript = path.join(repoRoot, 'dist/electron/web.cjs');

const READY_LINE = /^VirtDeck web host: (http:\/\/[^/\s]+)\/\?token=(\S+)$/;

export interface WebHostRunOptions {
  /** Extra command-line arguments (the runner always passes `--port 0`). */
  args?: string[];
  env?: Record<string, string>;
  /** Use this config folder (kept afterwards); default: a fresh temp folder, removed on stop. */
  configDir?: string;
  readyTimeoutMs?: number;
}

export interface RunningWebHost {
  /** The printed URL, token included. */
  url: string;
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  token: string;
  configDir: string;
  child: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** SIGTERM, wait for the exit (SIGKILL after 10 s), remove a temp config folder. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the built web host (`dist/electron/web.cjs`, as `npm run web` does) on a free
 * loopback port with its own config folder, and waits for its one stdout line.
 */
export async function startWebHost(options: WebHostRunOptions = {}): Promise<RunningWebHost> {
  if (!existsSync(webHostScript)) {
    throw new Error(`${webHostScript} is missing: run npm run build first`);
  }
  const ownDir = options.configDir === undefined;
  const configDir =
    options.configDir ?? (await mkdtemp(path.join(os.tmpdir(), 'virtdeck-web-config-')));
  const child = spawn(process.execPath, [webHostScript, '--port', '0', ...(options.args ?? [])], {
    cwd: repoRoot,
    env: { ...process.env, VIRTDECK_CONFIG_DIR: configDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const cleanup = async () => {
    if (ownDir) await rm(configDir, { recursive: true, force: true });
  };

  let match: RegExpMatchArray;
  try {
    match = await waitForReadyLine(
      child,
      () => out,
      () => err,
      options.readyTimeoutMs ?? 20_000,
    );
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    await cleanup();
    throw error;
  }
  const [, origin, token] = match as [string, string, string];

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    configDir,
    child,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const result = await exited;
      clearTimeout(killer);
      await cleanup();
      return result;
    },
  };
}

function waitForReadyLine(
  child: ChildProcess,
  stdout: () => string,
  stderr: () => string,
  timeoutMs: number,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const firstLine = stdout().split('\n')[0] ?? '';
      if (!stdout().includes('\n')) return;
      finish();
      const match = firstLine.match(READY_LINE);
      if (match) resolve(match);
      else reject(new Error(`Unexpected first stdout line from the web host: ${firstLine}`));
    };
    const onExit = (code: number | null, signal: string | null) => {
      finish();
      reject(
        new Error(`The web host exited (${code ?? signal}) before it was ready:\n${stderr()}`),
      );
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`The web host printed no URL within ${timeoutMs} ms:\n${stderr()}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}
