import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InvalidUriError } from '../errors';
import type { LibvirtUri, RemoteMode } from '../uri/libvirt-uri';
import { connectSocket } from './connect-socket';
import type { Transport } from './transport-types';

/** libvirt uses $LOCALSTATEDIR/run, never /run: a remote host may lack /run, never /var/run. */
export const SYSTEM_SOCKET_DIR = '/var/run/libvirt';

export interface UnixSocketEnvironment {
  euid?: number;
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** For tests: does a socket path exist? */
  exists?: (path: string) => boolean;
}

export interface UnixSocketChoice {
  readonly path: string;
  /** 'explicit' for ?socket=. */
  readonly mode: 'explicit' | 'legacy' | 'direct';
  /** Every path considered, in order (for error messages). */
  readonly considered: readonly string[];
  /** The per-user (session) daemon directory was used. */
  readonly session: boolean;
}

/**
 * Per-user runtime directory as GLib computes it: $XDG_RUNTIME_DIR, else the cache dir
 * ($XDG_CACHE_HOME or ~/.cache), plus "libvirt".
 */
function userRuntimeDir(env: NodeJS.ProcessEnv, home: string): string {
  const base = env.XDG_RUNTIME_DIR || env.XDG_CACHE_HOME || join(home, '.cache');
  return join(base, 'libvirt');
}

/**
 * The socket libvirt's remote driver would use for a unix-transport URI (remoteGetUNIXSocket):
 * ?socket= wins; the per-user daemon serves /session URIs and test+… URIs when not root;
 * mode 'auto' takes the modular `virt<driver>d-sock` if it exists, else `libvirt-sock`.
 */
export function chooseUnixSocket(
  uri: LibvirtUri,
  mode: RemoteMode,
  readOnly: boolean,
  environment: UnixSocketEnvironment = {},
): UnixSocketChoice {
  const explicit = uri.client.socket;
  if (explicit !== undefined) {
    if (!explicit.startsWith('/')) {
      throw new InvalidUriError(uri.text, `socket path '${explicit}' must be absolute`);
    }
    return { path: explicit, mode: 'explicit', considered: [explicit], session: false };
  }
  const euid = environment.euid ?? process.geteuid?.() ?? 0;
  const exists = environment.exists ?? existsSync;
  const session =
    euid > 0 && (uri.path === '/session' || uri.scheme.toLowerCase().startsWith('test+'));
  const dir = session
    ? userRuntimeDir(environment.env ?? process.env, environment.home ?? homedir())
    : SYSTEM_SOCKET_DIR;
  const suffix = !session && readOnly ? 'sock-ro' : 'sock';
  // The 'remote' driver means "whatever the daemon serves": virtproxyd's libvirt-sock.
  const direct = uri.driver === 'remote' ? null : join(dir, `virt${uri.driver}d-${suffix}`);
  const legacy = join(dir, `libvirt-${suffix}`);

  if (mode === 'direct') {
    if (!direct) {
      throw new InvalidUriError(uri.text, 'Cannot use direct socket mode if no URI is set');
    }
    return { path: direct, mode: 'direct', considered: [direct], session };
  }
  if (mode === 'legacy') return { path: legacy, mode: 'legacy', considered: [legacy], session };
  const considered = direct ? [direct, legacy] : [legacy];
  if (direct && exists(direct)) return { path: direct, mode: 'direct', considered, session };
  return { path: legacy, mode: 'legacy', considered, session };
}

/** Connects to a daemon's unix socket; the error names the path (and what else was tried). */
export async function openUnixTransport(
  choice: Pick<UnixSocketChoice, 'path' | 'considered'>,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Transport> {
  const hint = choice.considered.length > 1 ? `(tried ${choice.considered.join(', ')})` : undefined;
  const socket = await connectSocket(
    { path: choice.path },
    { what: `'${choice.path}'`, hint },
    options,
  );
  return {
    stream: socket,
    description: `unix:${choice.path}`,
    close: () => socket.destroy(),
  };
}
