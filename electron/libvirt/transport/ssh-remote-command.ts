import { shellQuote } from '../../ssh/shell-quote';
import { SshError } from '../../ssh/ssh-error';
import type { SshTransportOptions } from './transport-types';

export type RemoteDaemonSpec = SshTransportOptions['remote'];

/** Where libvirt's daemons put their sockets on a (remote) Linux host. */
export const REMOTE_RUN_DIR = '/var/run/libvirt';

/** RFC 3986 characters minus the quote; plus a scheme and "://". */
const DRIVER_URI = /^[a-z][a-z0-9+.-]*:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&()*+,;=%]*$/;
/** Absolute path of plain characters; sun_path holds 107 bytes plus NUL. */
const SOCKET_PATH = /^\/[A-Za-z0-9._/@+=,:-]*$/;
const NETCAT_BINARY = /^[A-Za-z0-9._/+-]+$/;

export function validateDriverUri(uri: string): string {
  if (uri.length > 1024 || !DRIVER_URI.test(uri)) {
    throw new SshError(
      'invalid-input',
      `Invalid libvirt driver URI ${JSON.stringify(uri.slice(0, 200))}: expected e.g. qemu:///system`,
    );
  }
  return uri;
}

export function validateSocketPath(path: string): string {
  if (
    Buffer.byteLength(path) > 107 ||
    !SOCKET_PATH.test(path) ||
    path.split('/').some((seg) => seg === '..')
  ) {
    throw new SshError(
      'invalid-input',
      `Invalid remote socket path ${JSON.stringify(path.slice(0, 200))}: it must be an absolute ` +
        `path of letters, digits and ._/@+=,:- (at most 107 bytes)`,
    );
  }
  return path;
}

export function validateNetcatBinary(binary: string): string {
  if (binary.length > 255 || !NETCAT_BINARY.test(binary) || binary.startsWith('-')) {
    throw new SshError(
      'invalid-input',
      `Invalid netcat binary name ${JSON.stringify(binary.slice(0, 200))}`,
    );
  }
  return binary;
}

/** The driver name and whether the URI is a per-user (session) one. */
export function describeDriverUri(uri: string): { driver: string; session: boolean } {
  const match = /^([a-z][a-z0-9.-]*)(?:\+[a-z0-9.-]+)?:\/\/[^/]*(\/[^?#]*)?/.exec(
    validateDriverUri(uri),
  );
  return { driver: match?.[1] ?? '', session: (match?.[2] ?? '') === '/session' };
}

/**
 * The socket libvirt's client would give `nc -U` when no socket= is set: the legacy
 * libvirtd socket, or with mode=direct the driver's modular daemon (virtqemud-sock…).
 */
export function defaultRemoteSocket(spec: RemoteDaemonSpec): string {
  const { driver } = describeDriverUri(spec.driverUri);
  const suffix = spec.readOnly ? '-sock-ro' : '-sock';
  if (spec.mode === 'direct' && driver !== 'test' && /^[a-z]+$/.test(driver)) {
    return `${REMOTE_RUN_DIR}/virt${driver}d${suffix}`;
  }
  return `${REMOTE_RUN_DIR}/libvirt${suffix}`;
}

/** libvirt's netcat script: Debian/SUSE netcat needs -q0 to exit when stdin closes. */
export function netcatScript(socketPath: string, netcat = 'nc'): string {
  const nc = shellQuote(validateNetcatBinary(netcat));
  const socket = shellQuote(validateSocketPath(socketPath));
  return (
    `if ${nc} -q 2>&1 | grep "requires an argument" >/dev/null 2>&1; then ARG=-q0;else ARG=;fi;` +
    `${nc} $ARG -U ${socket}`
  );
}

export function helperScript(driverUri: string, readOnly: boolean): string {
  return `virt-ssh-helper ${readOnly ? '-r ' : ''}${shellQuote(validateDriverUri(driverUri))}`;
}

export interface RemoteCommand {
  /** Goes to `exec`: always `sh -c '<script>'`, whatever the user's login shell is. */
  command: string;
  /** Short form for Transport.description. */
  label: string;
}

/**
 * The command libvirt's qemu+ssh transport runs remotely (libvirt-rpc.md 2.2), with every
 * inserted value validated and single-quoted. proxy=auto: virt-ssh-helper if installed,
 * else netcat; proxy=netcat or socket=: netcat only; proxy=native, and session URIs under
 * auto (their socket lives in the remote user's runtime dir): virt-ssh-helper only.
 */
export function buildRemoteCommand(spec: RemoteDaemonSpec): RemoteCommand {
  checkChoices(spec);
  // Checked whatever the proxy, since a streamlocal channel may still go to it.
  if (spec.socket !== undefined) validateSocketPath(spec.socket);
  const readOnly = spec.readOnly === true;
  const proxy = spec.proxy ?? 'auto';
  const { session } = describeDriverUri(spec.driverUri);
  const wrap = (script: string, label: string): RemoteCommand => ({
    command: `sh -c ${shellQuote(script)}`,
    label,
  });
  if (
    proxy === 'native' ||
    (proxy === 'auto' && session && spec.socket === undefined && spec.netcat === undefined)
  ) {
    return wrap(helperScript(spec.driverUri, readOnly), 'virt-ssh-helper');
  }
  if (proxy === 'netcat' || spec.socket !== undefined || spec.netcat !== undefined) {
    if (session && spec.socket === undefined) {
      throw new SshError(
        'invalid-input',
        'A session URI over netcat needs socket=: the remote per-user socket path cannot be guessed',
      );
    }
    const socket = spec.socket ?? defaultRemoteSocket(spec);
    return wrap(netcatScript(socket, spec.netcat), `nc -U ${socket}`);
  }
  const script =
    `which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then ` +
    `${helperScript(spec.driverUri, readOnly)}; else ` +
    `${netcatScript(defaultRemoteSocket(spec))}; fi`;
  return wrap(script, 'virt-ssh-helper or nc');
}

/** The enum-like fields come from URI text at run time; the type system cannot vouch for them. */
function checkChoices(spec: RemoteDaemonSpec): void {
  const choices: Array<[string, unknown, readonly string[]]> = [
    ['mode', spec.mode, ['auto', 'legacy', 'direct']],
    ['proxy', spec.proxy, ['auto', 'netcat', 'native']],
    ['channel', spec.channel, ['auto', 'exec', 'streamlocal']],
  ];
  for (const [name, value, allowed] of choices) {
    if (value !== undefined && !allowed.includes(value as string)) {
      throw new SshError(
        'invalid-input',
        `Invalid ${name}=${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`,
      );
    }
  }
}
