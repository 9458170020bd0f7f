import { connect, type NetConnectOpts, type Socket } from 'node:net';
import { TransportError } from '../errors';

// The C library's wording, which is what libvirt (and its users' searches) show.
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  ECONNREFUSED: 'Connection refused',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ECONNRESET: 'Connection reset by peer',
  ENOTSOCK: 'Socket operation on non-socket',
  ENOTFOUND: 'Name or service not known',
  EAI_AGAIN: 'Temporary failure in name resolution',
};

export function describeSocketError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && STRERROR[code]) ?? err.message;
}

export interface ConnectOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface ConnectTarget {
  /** How the error names the target, e.g. "'/var/run/libvirt/libvirt-sock'". */
  what: string;
  /** Appended to the error, e.g. other paths considered. */
  hint?: string;
}

/**
 * Opens a stream socket (unix or TCP) and resolves once connected. Every failure is a
 * TransportError('connect') naming the target: "Failed to connect socket to '<target>': <why>".
 */
export function connectSocket(
  target: NetConnectOpts,
  { what, hint }: ConnectTarget,
  { timeoutMs = 30_000, signal }: ConnectOptions = {},
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const fail = (why: string, cause?: unknown): void => {
      cleanup();
      socket.destroy();
      const message = `Failed to connect socket to ${what}: ${why}${hint ? ` ${hint}` : ''}`;
      reject(new TransportError(message, 'connect', { cause }));
    };
    const onError = (err: Error): void => fail(describeSocketError(err), err);
    const onAbort = (): void => fail('aborted', signal?.reason);
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const socket = connect(target, () => {
      cleanup();
      resolve(socket);
    });
    socket.on('error', onError);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
