import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ConsoleRoute } from '../../shared/contract/consoles';
import { ExecChannelStream, type ExecFailure } from '../ssh/exec-channel-stream';
import { SshError } from '../ssh/ssh-error';
import type { SshSession } from '../ssh/ssh-session';
import type { GraphicsTarget } from './graphics-route';
import { describeTarget } from './graphics-route';
import { netcatCommand, NETCAT_MISSING_EXIT } from './netcat-command';

const CONNECT_TIMEOUT_MS = 10_000;

export interface OpenedUpstream {
  stream: Duplex;
  route: ConsoleRoute;
}

/** Why an upstream could not be opened, in the words the console window shows. */
export class UpstreamError extends Error {
  constructor(
    readonly problem: 'unreachable' | 'forwarding-refused' | 'host-disconnected',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpstreamError';
  }
}

/** A TCP or unix socket connection from this machine. */
export function openDirect(target: GraphicsTarget): Promise<OpenedUpstream> {
  return new Promise((resolve, reject) => {
    const socket: Socket =
      target.kind === 'tcp' ? connect(target.port, target.host) : connect(target.path);
    socket.setTimeout(CONNECT_TIMEOUT_MS, () =>
      socket.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
    );
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.setNoDelay(true);
      socket.removeListener('error', onError);
      resolve({ stream: socket, route: 'direct' });
    });
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(
        new UpstreamError(
          'unreachable',
          `Could not connect to the display at ${describeTarget(target)}: ${err.code ?? err.message}` +
            (err.code === 'EACCES' ? ' (no permission on the socket)' : ''),
          { cause: err },
        ),
      );
    };
    socket.once('error', onError);
  });
}

/**
 * A channel on the host's SSH session: direct-tcpip to the listen address, or streamlocal to
 * the display's unix socket. If the server refuses (forwarding disabled in sshd_config), `nc`
 * on the host carries the bytes instead, as virt-manager does — still on the same session.
 */
export async function openThroughSsh(
  session: SshSession,
  target: GraphicsTarget,
): Promise<OpenedUpstream> {
  let refusal: SshError;
  try {
    if (target.kind === 'tcp') {
      return {
        stream: await session.forwardOut('127.0.0.1', 0, target.host, target.port),
        route: 'ssh-forward',
      };
    }
    return { stream: await session.openStreamLocal(target.path), route: 'ssh-streamlocal' };
  } catch (err) {
    if (!(err instanceof SshError) || err.reason !== 'channel-refused') {
      throw new UpstreamError(
        'host-disconnected',
        err instanceof Error ? err.message : 'The SSH session failed',
        { cause: err },
      );
    }
    refusal = err;
  }
  const command = netcatCommand(target);
  let channel;
  try {
    channel = await session.exec(command);
  } catch (err) {
    throw new UpstreamError(
      'forwarding-refused',
      `${refusal.message}; running nc on the host failed too: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const explain = (f: ExecFailure): Error =>
    f.exitCode === NETCAT_MISSING_EXIT
      ? new UpstreamError(
          'forwarding-refused',
          `${session.description} refuses port forwarding, and nc (the fallback) is not installed ` +
            `there. Allow forwarding (AllowTcpForwarding / AllowStreamLocalForwarding in ` +
            `sshd_config) or install netcat on the host.`,
        )
      : new UpstreamError(
          'unreachable',
          `nc on ${session.description} could not connect to the display at ` +
            `${describeTarget(target)}${f.stderr ? `: ${f.stderr}` : ` (exit status ${String(f.exitCode)})`}`,
        );
  return { stream: new ExecChannelStream(channel, explain), route: 'ssh-nc' };
}
