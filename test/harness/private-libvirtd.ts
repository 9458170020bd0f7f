import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDaemonUser, type DaemonUser } from './daemon-user';
import { findExecutable } from './find-executable';
import { probeLibvirtSocket } from './libvirt-ready-probe';
import {
  chownTree,
  daemonEnvironment,
  privateLibvirtdLayout,
  writePrivateLibvirtdFiles,
  type PrivateLibvirtdLayout,
} from './private-libvirtd-layout';
import {
  findProcessesWithEnvironment,
  isProcessRunning,
  readCommandLine,
  terminateProcess,
} from './process-control';
import { saveQemuCapabilities, seedQemuCapabilities } from './qemu-capabilities-cache';
import type { CommandResult } from './run-command';
import { runVirsh, virshEnvironment } from './run-virsh';
import { assertReachableByOthers } from './test-cache-dir';
import { waitFor } from './wait-for';

export type LibvirtDriver = 'qemu' | 'test';

export interface PrivateLibvirtdOptions {
  /** Written as `host_uuid` in the private libvirtd.conf (two daemons = two "hosts"). */
  hostUuid?: string;
  /** `--timeout` for both daemons: they exit by themselves when idle this long. */
  idleTimeoutSec?: number;
  /** Where the mkdtemp folder goes (default: the OS temp folder). */
  parentDir?: string;
  startTimeoutMs?: number;
  /** Reuse QEMU capability probes from earlier runs (default true; saves ~4 s). */
  reuseQemuCapabilities?: boolean;
}

export interface DaemonExit {
  daemon: 'libvirtd' | 'virtlogd';
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface PrivateLibvirtd {
  /** The private folder; owned by the daemon user, so guests may write files in it. */
  dir: string;
  socketPath: string;
  /** libvirtd's PID (a new one after startLibvirtd). */
  readonly pid: number;
  virtlogdPid: number;
  /** The account both daemons (and their QEMU guests) run as. */
  user: string;
  uri(driver: LibvirtDriver): string;
  /** Environment for a virsh child (LIBVIRT_DEFAULT_URI = the qemu URI, no autostart). */
  env: NodeJS.ProcessEnv;
  /** Runs `virsh -c <uri> …args` — the reference tool for tests, never for app code. */
  virsh(args: readonly string[], driver?: LibvirtDriver): Promise<CommandResult>;
  /** Last lines of both daemons' logs, for failure messages. */
  logTail(lines?: number): string;
  /** Settles when either daemon first exits (idle timeout, crash, or killLibvirtd). */
  exited: Promise<DaemonExit>;
  /**
   * Kills libvirtd alone, as a crash would (default SIGKILL; virtlogd stays), and resolves
   * once it is gone. Its socket file stays behind, as after a real crash.
   */
  killLibvirtd(signal?: NodeJS.Signals): Promise<DaemonExit>;
  /**
   * Starts libvirtd again in the same folders and on the same socket (after killLibvirtd),
   * resolving once it answers; `pid` then names the new process.
   */
  startLibvirtd(): Promise<void>;
  /** Destroys guests, stops both daemons by PID, removes `dir`. Safe to call twice. */
  stop(): Promise<void>;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// sockaddr_un.sun_path is 108 bytes including the terminating NUL.
const MAX_SOCKET_PATH = 107;
const DAEMON_GRACE_MS = 10_000;

interface Spawned {
  name: DaemonExit['daemon'];
  child: ChildProcess;
  pid: number;
  exit: Promise<DaemonExit>;
}

function spawnDaemon(
  name: DaemonExit['daemon'],
  args: string[],
  layout: PrivateLibvirtdLayout,
  user: DaemonUser,
): Spawned {
  const log = openSync(join(layout.logs, `${name}.log`), 'a', 0o644);
  try {
    const child = spawn(findExecutable(name, 'install libvirt-daemon'), args, {
      cwd: layout.home,
      env: daemonEnvironment(layout, user.name),
      // Own process group: a Ctrl+C meant for the test runner reaches us, not the daemon,
      // so stop() still runs in order (guests first).
      detached: true,
      stdio: ['ignore', log, log],
      ...(user.switchUser ? { uid: user.uid, gid: user.gid } : {}),
    });
    const exit = new Promise<DaemonExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ daemon: name, code, signal }));
      child.once('error', () => resolve({ daemon: name, code: -1, signal: null }));
    });
    if (child.pid === undefined) throw new Error(`could not spawn ${name}`);
    return { name, child, pid: child.pid, exit };
  } finally {
    closeSync(log);
  }
}

function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** `?socket=` value: libvirt unescapes the query, so escape all but path characters. */
function socketQuery(path: string): string {
  return encodeURIComponent(path).replaceAll('%2F', '/');
}

async function qemuPidsFromFiles(layout: PrivateLibvirtdLayout): Promise<number[]> {
  const names = await readdir(layout.qemuPidDir).catch(() => [] as string[]);
  const pids: number[] = [];
  for (const name of names.filter((n) => n.endsWith('.pid') && n !== 'driver.pid')) {
    const text = await readFile(join(layout.qemuPidDir, name), 'utf8').catch(() => '');
    const pid = Number(text.trim());
    // Only a live QEMU that names our private folder is ours; a stale file may name a
    // PID the system has since given to someone else.
    if (Number.isInteger(pid) && pid > 0 && readCommandLine(pid)?.includes(layout.dir)) {
      pids.push(pid);
    }
  }
  return pids;
}

/**
 * Starts virtlogd + libvirtd as an unprivileged user with every runtime, config, state and
 * cache folder inside a fresh temp folder. Never touches a system daemon: root hands both
 * to `virtdeck-test` (or `nobody`), since a root libvirtd ignores XDG and acts as the
 * system daemon. Root still connects to the private socket (it bypasses the 0700 modes).
 */
export async function startPrivateLibvirtd(
  options: PrivateLibvirtdOptions = {},
): Promise<PrivateLibvirtd> {
  if (options.hostUuid !== undefined && !UUID_PATTERN.test(options.hostUuid)) {
    throw new Error(`hostUuid must be a UUID like 8-4-4-4-12 hex digits, got ${options.hostUuid}`);
  }
  const user = await resolveDaemonUser();
  const parent = options.parentDir ?? tmpdir();
  if (user.switchUser) assertReachableByOthers(parent, `the daemon runs as ${user.name}`);
  const layout = privateLibvirtdLayout(await mkdtemp(join(parent, 'vd-libvirtd-')));
  const spawned: Spawned[] = [];
  // Everything the daemons start inherits this HOME: how stop() recognises their leftovers.
  const daemonHome = `HOME=${layout.home}`;
  const timeout = String(options.idleTimeoutSec ?? 600);

  const logTail = (lines = 15): string =>
    ['libvirtd', 'virtlogd']
      .map(
        (name) =>
          `--- ${name}.log (last ${lines} lines) ---\n${tail(join(layout.logs, `${name}.log`), lines)}`,
      )
      .join('\n');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= stopDaemons());

  const uri = (driver: LibvirtDriver): string =>
    driver === 'qemu'
      ? `qemu+unix:///session?socket=${socketQuery(layout.socketPath)}`
      : `test+unix:///default?socket=${socketQuery(layout.socketPath)}`;
  const virsh = (args: readonly string[], driver: LibvirtDriver = 'qemu', timeoutMs?: number) =>
    runVirsh(uri(driver), args, timeoutMs);

  const spawnLibvirtd = (): Spawned =>
    spawnDaemon('libvirtd', ['--timeout', timeout, '--config', layout.libvirtdConf], layout, user);

  const currentLibvirtd = (): Spawned => {
    const found = spawned.findLast((s) => s.name === 'libvirtd');
    if (!found) throw new Error('libvirtd was never started');
    return found;
  };

  /** Until the sockets answer; a watched daemon that exits meanwhile ends the wait at once. */
  async function waitUntilAnswering(watch: Spawned[], timeoutMs: number): Promise<void> {
    let earlyExit: DaemonExit | undefined;
    void Promise.race(watch.map((s) => s.exit)).then((exit) => (earlyExit ??= exit));
    await waitFor(
      async () => {
        if (earlyExit) {
          throw new Error(
            `${earlyExit.daemon} exited during start-up (code ${earlyExit.code}, signal ${earlyExit.signal})`,
          );
        }
        if (!existsSync(layout.socketPath) || !existsSync(layout.virtlogdSocketPath))
          return undefined;
        return probeLibvirtSocket(layout.socketPath, 2_000).catch(() => undefined);
      },
      {
        what: `private libvirtd at ${layout.socketPath} (as ${user.name})`,
        timeoutMs,
        describeTimeout: () => logTail(),
      },
    );
  }

  async function killLibvirtd(signal: NodeJS.Signals = 'SIGKILL'): Promise<DaemonExit> {
    const daemon = currentLibvirtd();
    if (isProcessRunning(daemon.pid)) process.kill(daemon.pid, signal);
    return daemon.exit;
  }

  async function startLibvirtd(): Promise<void> {
    const previous = currentLibvirtd();
    if (isProcessRunning(previous.pid)) {
      throw new Error(`libvirtd (pid ${previous.pid}) is still running; killLibvirtd() first`);
    }
    await previous.exit; // reaped, so the old PID is gone before the new one binds
    const daemon = spawnLibvirtd();
    spawned.push(daemon);
    await waitUntilAnswering([daemon], options.startTimeoutMs ?? 15_000);
  }

  async function stopDaemons(): Promise<void> {
    const libvirtd = spawned.findLast((s) => s.name === 'libvirtd');
    if (libvirtd && isProcessRunning(libvirtd.pid) && existsSync(layout.socketPath)) {
      // Session guests outlive their libvirtd, so destroy them while it still answers.
      // A wedged daemon must not stall stop(): short timeouts, leftovers are killed below.
      const list = await virsh(['list', '--name'], 'qemu', 10_000);
      const names = list.code === 0 ? list.stdout.split('\n').filter(Boolean) : [];
      await Promise.all(names.map((name) => virsh(['destroy', name], 'qemu', 20_000)));
    }
    await Promise.all(spawned.map((s) => terminateProcess(s.pid, DAEMON_GRACE_MS)));
    await Promise.all(spawned.map((s) => s.exit)); // reaped, so the PIDs are truly gone
    const leftovers = new Set([
      ...(await qemuPidsFromFiles(layout)),
      ...findProcessesWithEnvironment(daemonHome, user.uid),
    ]);
    for (const pid of leftovers) {
      const command = readCommandLine(pid)?.slice(0, 160);
      process.stderr.write(`private libvirtd: killing leftover ${pid}: ${command}…\n`);
      await terminateProcess(pid, 2_000);
    }
    if (options.reuseQemuCapabilities !== false) {
      // Losing the probe cache only costs the next run ~4 s: warn, do not fail the stop.
      await saveQemuCapabilities(layout.cache).catch((error: Error) => {
        process.stderr.write(`private libvirtd: QEMU capabilities not kept: ${error.message}\n`);
      });
    }
    await rm(layout.dir, { recursive: true, force: true, maxRetries: 3 });
    const survivors = findProcessesWithEnvironment(daemonHome, user.uid);
    if (survivors.length > 0) {
      throw new Error(`processes still running after stop: ${survivors.join(', ')}`);
    }
  }

  try {
    if (layout.socketPath.length > MAX_SOCKET_PATH) {
      throw new Error(
        `socket path too long for a unix socket (${layout.socketPath}); use a shorter TMPDIR`,
      );
    }
    await writePrivateLibvirtdFiles(layout, options.hostUuid);
    if (options.reuseQemuCapabilities !== false) await seedQemuCapabilities(layout.cache);
    if (user.switchUser) await chownTree(layout.dir, user.uid, user.gid);

    spawned.push(
      spawnDaemon(
        'virtlogd',
        ['--timeout', timeout, '--config', layout.virtlogdConf],
        layout,
        user,
      ),
    );
    spawned.push(spawnLibvirtd());
    const [virtlogd, libvirtd] = spawned as [Spawned, Spawned];
    await waitUntilAnswering([virtlogd, libvirtd], options.startTimeoutMs ?? 15_000);
    return {
      dir: layout.dir,
      socketPath: layout.socketPath,
      get pid() {
        return currentLibvirtd().pid;
      },
      virtlogdPid: virtlogd.pid,
      user: user.name,
      uri,
      env: virshEnvironment(uri('qemu')),
      virsh,
      logTail,
      exited: Promise.race([virtlogd.exit, libvirtd.exit]),
      killLibvirtd,
      startLibvirtd,
      stop,
    };
  } catch (error) {
    const logs = logTail();
    await stop().catch(() => undefined);
    const message = error instanceof Error ? error.message : JSON.stringify(error);
    throw new Error(`Could not start a private libvirtd: ${message}\n${logs}`, { cause: error });
  }
}
