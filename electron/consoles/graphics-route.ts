import { isIP } from 'node:net';
import type { ConsoleProblem } from '../../shared/contract/consoles';
import { formatEndpoint } from '../ssh/ssh-error';
import type { GraphicsFacts } from './console-devices';

/** How the host's libvirt is reached; it decides how a display is reached too. */
export type HostTransport = 'local' | 'ssh' | 'tcp' | 'tls';

export type GraphicsTarget =
  { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

export type GraphicsPlan =
  | {
      ok: true;
      kind: 'vnc' | 'spice';
      target: GraphicsTarget;
      /** local: connect from this machine; ssh: through the host's SSH session. */
      via: 'local' | 'ssh';
    }
  | { ok: false; problem: ConsoleProblem; message: string };

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackAddress(address: string): boolean {
  return LOOPBACK.has(address) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '';
}

/**
 * Where to connect to reach a display, virt-manager's rules made SSH-native: on this machine
 * connect to the listen address (a wildcard via loopback); over SSH let the host's sshd
 * connect (loopback listens included, unix sockets as streamlocal); over plain TCP/TLS only
 * an address this machine can route to works.
 */
export function planGraphicsRoute(
  facts: GraphicsFacts,
  host: { transport: HostTransport; uriHost: string | null; active: boolean },
): GraphicsPlan {
  const { type } = facts;
  if (type !== 'vnc' && type !== 'spice') {
    return {
      ok: false,
      problem: 'unsupported-type',
      message: `The VM's display is of type "${type}", which a viewer cannot connect to`,
    };
  }
  if (!host.active) {
    return { ok: false, problem: 'not-running', message: 'The VM is not running' };
  }
  if (facts.listenType === 'none') {
    return {
      ok: false,
      problem: 'listen-none',
      message:
        "The display listens nowhere (listen type 'none'): only viewers that libvirt hands a " +
        'file descriptor can show it. Give it a listen address (127.0.0.1) or a socket to view it here.',
    };
  }
  if (facts.listenType === 'socket') {
    if (!facts.socket) {
      return {
        ok: false,
        problem: 'unreachable',
        message: 'The display listens on a unix socket whose path libvirt does not report',
      };
    }
    if (host.transport === 'local' || host.transport === 'ssh') {
      return {
        ok: true,
        kind: type,
        target: { kind: 'unix', path: facts.socket },
        via: host.transport,
      };
    }
    return {
      ok: false,
      problem: 'unreachable',
      message: `The display listens on the unix socket ${facts.socket} on the host; over a ${host.transport.toUpperCase()} connection it cannot be reached. Connect to this host over SSH to view it.`,
    };
  }
  const port = facts.port;
  if (port === null) {
    if (type === 'spice' && facts.tlsPort !== null) {
      return {
        ok: false,
        problem: 'tls-only',
        message: `The SPICE display only offers a TLS port (${facts.tlsPort}); the viewer here speaks plain SPICE. Use "Open in external viewer".`,
      };
    }
    return {
      ok: false,
      problem: 'unreachable',
      message: 'The display has no port assigned (libvirt reports none for the running VM)',
    };
  }
  const listen = facts.address ?? '127.0.0.1';
  if (host.transport === 'local' || host.transport === 'ssh') {
    const address = isWildcard(listen) ? (listen === '::' ? '::1' : '127.0.0.1') : listen;
    return {
      ok: true,
      kind: type,
      target: { kind: 'tcp', host: address, port },
      via: host.transport,
    };
  }
  if (isLoopbackAddress(listen)) {
    return {
      ok: false,
      problem: 'unreachable',
      message: `The display listens only on the host's loopback (${formatEndpoint(listen, port)}); over a ${host.transport.toUpperCase()} connection it cannot be reached. Connect to this host over SSH, or make the display listen on an address this computer can reach.`,
    };
  }
  const address = isWildcard(listen) ? (host.uriHost ?? '') : listen;
  if (address === '' || (isIP(address) === 0 && !/^[A-Za-z0-9.-]{1,253}$/.test(address))) {
    return {
      ok: false,
      problem: 'unreachable',
      message: `The display's listen address "${listen}" cannot be turned into an address to connect to`,
    };
  }
  return { ok: true, kind: type, target: { kind: 'tcp', host: address, port }, via: 'local' };
}

export function describeTarget(target: GraphicsTarget): string {
  return target.kind === 'tcp' ? formatEndpoint(target.host, target.port) : target.path;
}
