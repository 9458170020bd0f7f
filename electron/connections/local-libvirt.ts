import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import path from 'node:path';
import { SYSTEM_SOCKET_DIR } from '../libvirt/transport/unix-transport';

/** A daemon we started; it outlives us, as with libvirt's own client. */
export interface SpawnedDaemon {
  readonly pid: number | undefined;
  /** Resolves with a description if the process ends (or fails to start). */
  readonly exited: Promise<string>;
}

export type SpawnDaemon = (
  binary: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
) => SpawnedDaemon;

/**
 * What "this machine's libvirt" means for first launch and local session connections.
 * Every part is injectable so tests can point it at the harness daemon.
 */
export interface LocalLibvirtEnvironment {
  euid: number;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  /** Where a system daemon puts its sockets (libvirt: /var/run/libvirt). */
  systemSocketDir: string;
  /** Folders searched for virtqemud / libvirtd, in order. */
  daemonDirs: readonly string[];
  spawnDaemon: SpawnDaemon;
  /** How long to wait for a started daemon's socket. */
  daemonStartTimeoutMs: number;
  /** For the install hint: which distribution this is. */
  osReleaseFile: string;
}

/** Detached, no shell, no inherited stdio: a per-user daemon started like libvirt does it. */
export const spawnDetachedDaemon: SpawnDaemon = (binary, args, env) => {
  const child = spawn(binary, [...args], { detached: true, stdio: 'ignore', env: { ...env } });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) =>
      resolve(signal ? `killed by ${signal}` : `exited with code ${String(code)}`),
    );
    child.once('error', (err) => resolve(`could not start: ${err.message}`));
  });
  child.unref();
  return { pid: child.pid, exited };
};

export function defaultLocalLibvirtEnvironment(): LocalLibvirtEnvironment {
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d.startsWith('/'));
  return {
    euid: process.geteuid?.() ?? 0,
    env: process.env,
    home: homedir(),
    systemSocketDir: SYSTEM_SOCKET_DIR,
    // Daemons live in sbin, which a normal user's PATH often lacks.
    daemonDirs: [...new Set(['/usr/sbin', '/usr/local/sbin', '/sbin', ...pathDirs])],
    spawnDaemon: spawnDetachedDaemon,
    daemonStartTimeoutMs: 30_000,
    osReleaseFile: '/etc/os-release',
  };
}
