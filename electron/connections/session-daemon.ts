import { existsSync } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransportError } from '../libvirt/errors';
import { chooseUnixSocket } from '../libvirt/transport/unix-transport';
import type { LibvirtUri, RemoteMode } from '../libvirt/uri/libvirt-uri';
import type { LocalLibvirtEnvironment, SpawnedDaemon } from './local-libvirt';

/** Idle timeout libvirt gives a daemon it starts for a session URI. */
const AUTOSTART_TIMEOUT_ARG = '--timeout=120';
/** Variables libvirt passes to the daemon it forks (virNetSocketForkDaemon). */
const PASSED_ENV = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LC_ALL',
  'TMPDIR',
  'XDG_CACHE_HOME',
  'XDG_CONFIG_HOME',
  'XDG_RUNTIME_DIR',
] as const;

export interface StartedSessionDaemon {
  binary: string;
  pid: number | undefined;
  socketPath: string;
}

/**
 * libvirt's client starts the per-user daemon when a local `…:///session` URI finds no
 * socket: not as root, not with ?socket=, not with LIBVIRT_AUTOSTART=0.
 */
export function wantsSessionAutostart(uri: LibvirtUri, local: LocalLibvirtEnvironment): boolean {
  return (
    uri.transport === 'unix' &&
    uri.host === null &&
    uri.client.socket === undefined &&
    uri.path === '/session' &&
    uri.driver !== 'remote' &&
    local.euid > 0 &&
    local.env.LIBVIRT_AUTOSTART !== '0'
  );
}

export async function findDaemonBinary(
  name: string,
  dirs: readonly string[],
): Promise<string | null> {
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Resolves true when something accepts connections on `socketPath`. */
export function socketAnswers(socketPath: string, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path: socketPath });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Makes sure the per-user daemon for `uri` runs, starting it the way libvirt's client does
 * (remoteGetUNIXSocket + virNetSocketForkDaemon): `virt<driver>d --timeout=120` when the
 * modular daemon is installed, else `libvirtd --timeout=120`, with the user's XDG folders.
 * Returns what it started, or null when nothing was needed.
 */
export async function ensureSessionDaemon(
  uri: LibvirtUri,
  local: LocalLibvirtEnvironment,
  mode: RemoteMode = 'auto',
): Promise<StartedSessionDaemon | null> {
  if (!wantsSessionAutostart(uri, local)) return null;
  const choice = chooseUnixSocket(uri, mode, false, local);
  if (await socketAnswers(choice.path)) return null;
  const modular = `virt${uri.driver}d`;
  // remoteGetUNIXSocket, mode auto: an existing socket decides; with none, the modular
  // daemon if it is installed, else the monolithic one.
  const [direct, legacy] =
    choice.considered.length > 1 ? choice.considered : [choice.path, choice.path];
  let useDirect = choice.mode === 'direct';
  const modularBinary = await findDaemonBinary(modular, local.daemonDirs);
  if (mode === 'auto' && !useDirect && legacy !== undefined && !existsSync(legacy)) {
    useDirect = modularBinary !== null;
  }
  const binary = useDirect ? modularBinary : await findDaemonBinary('libvirtd', local.daemonDirs);
  const socketPath = (useDirect ? direct : legacy) ?? choice.path;
  if (!binary) {
    throw new TransportError(
      `Failed to connect socket to '${choice.path}': no per-user daemon answers there, and ` +
        `${useDirect ? modular : 'libvirtd'} was not found in ${local.daemonDirs.join(', ')} ` +
        'to start one',
      'connect',
    );
  }
  const env: Record<string, string> = {};
  for (const name of PASSED_ENV) {
    const value = local.env[name];
    if (value !== undefined) env[name] = value;
  }
  env.HOME ??= local.home;
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin';
  const daemon = local.spawnDaemon(binary, [AUTOSTART_TIMEOUT_ARG], env);
  await waitForSocket(binary, daemon, socketPath, local.daemonStartTimeoutMs);
  return { binary, pid: daemon.pid, socketPath };
}

async function waitForSocket(
  binary: string,
  daemon: SpawnedDaemon,
  socketPath: string,
  timeoutMs: number,
): Promise<void> {
  let exit: string | undefined;
  void daemon.exited.then((how) => (exit = how));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await socketAnswers(socketPath, 1_000)) return;
    if (exit !== undefined) {
      throw new TransportError(
        `Started ${binary} ${AUTOSTART_TIMEOUT_ARG} for the per-user daemon, but it ${exit} ` +
          `before '${socketPath}' appeared`,
        'connect',
      );
    }
    await sleep(50);
  }
  throw new TransportError(
    `Started ${binary} ${AUTOSTART_TIMEOUT_ARG} (pid ${String(daemon.pid)}), but '${socketPath}' ` +
      `did not accept connections within ${timeoutMs} ms`,
    'connect',
  );
}
