import { isIP } from 'node:net';
import { shellQuote } from '../ssh/shell-quote';
import type { GraphicsTarget } from './graphics-route';

/** Exit status of the fallback when the host has no nc (the shell's "not found"). */
export const NETCAT_MISSING_EXIT = 127;

const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const SOCKET_PATH = /^\/[^\0\n]{1,4095}$/;

/**
 * The remote command that carries a display's bytes when the SSH server refuses forwarding:
 * `nc` on the host, run by `sh` whatever the user's login shell is. The address and socket
 * come from the domain XML (the host's word), so they are checked and quoted.
 */
export function netcatCommand(target: GraphicsTarget): string {
  let args: string;
  if (target.kind === 'tcp') {
    if (isIP(target.host) === 0 && !HOST_NAME.test(target.host)) {
      throw new Error(`"${target.host}" is not an address nc could connect to`);
    }
    if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
      throw new Error(`${target.port} is not a TCP port`);
    }
    args = `${shellQuote(target.host)} ${target.port}`;
  } else {
    if (!SOCKET_PATH.test(target.path)) throw new Error(`"${target.path}" is not a socket path`);
    args = `-U ${shellQuote(target.path)}`;
  }
  const script =
    `command -v nc >/dev/null 2>&1 || { echo 'nc: not found' >&2; exit ${NETCAT_MISSING_EXIT}; }; ` +
    `exec nc ${args}`;
  return `sh -c ${shellQuote(script)}`;
}
