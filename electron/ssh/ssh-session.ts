import type { Client, ClientChannel } from 'ssh2';
import type { Duplex } from 'node:stream';
import { connectHop } from './connect-hop';
import type { HopSecurity, HopTarget } from './connect-hop';
import { SshError, formatEndpoint } from './ssh-error';

export interface SshSessionOptions {
  target: HopTarget;
  /** Outermost first (ProxyJump order). */
  jumpHosts: HopTarget[];
  security: HopSecurity;
}

type CloseListener = (error: SshError | undefined) => void;

/** SSH_MSG_CHANNEL_OPEN_FAILURE reason codes (RFC 4254 §5.1). */
const OPEN_ADMINISTRATIVELY_PROHIBITED = 1;
const OPEN_CONNECT_FAILED = 2;

/**
 * One authenticated SSH connection (through any jump hosts) that many channels share:
 * the libvirt RPC tunnel, console forwards, helper commands. Reference-counted; it closes
 * when the last user releases it, and tells listeners when it dies on its own.
 */
export class SshSession {
  readonly description: string;
  private refs = 0;
  private closed = false;
  private closeError: SshError | undefined;
  private readonly closeListeners = new Set<CloseListener>();
  private readonly memos = new Map<string, Promise<unknown>>();

  private constructor(
    private readonly clients: Client[],
    readonly target: HopTarget,
    jumpHosts: HopTarget[],
  ) {
    const via = jumpHosts.map((j) => `${j.username}@${formatEndpoint(j.host, j.port)}`);
    this.description =
      `${target.username}@${formatEndpoint(target.host, target.port)}` +
      (via.length ? ` via ${via.join(' → ')}` : '');
    const last = this.client;
    last.on('close', () => this.markClosed(undefined));
    last.on('error', (err: Error) => {
      this.closeError ??= new SshError(
        'connection-lost',
        `SSH connection ${this.description} failed: ${err.message}`,
        { cause: err },
      );
    });
    for (const hop of clients.slice(0, -1)) {
      hop.on('error', () => undefined);
      hop.on('close', () => this.shutdown());
    }
  }

  /** Connects every hop in turn; each hop's host key and credentials are checked. */
  static async open(options: SshSessionOptions): Promise<SshSession> {
    const hops = [...options.jumpHosts, options.target];
    const clients: Client[] = [];
    try {
      let sock: Duplex | undefined;
      for (const [i, hop] of hops.entries()) {
        const previous = clients[i - 1];
        if (previous) sock = await forwardThroughJump(previous, hops[i - 1] as HopTarget, hop);
        clients.push(await connectHop(hop, options.security, sock));
      }
    } catch (err) {
      for (const c of clients.reverse()) c.end();
      throw err;
    }
    return new SshSession(clients, options.target, options.jumpHosts);
  }

  get client(): Client {
    return this.clients[this.clients.length - 1] as Client;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  retain(): void {
    if (this.closed) throw new SshError('connection-lost', `${this.description} is closed`);
    this.refs++;
  }

  /** Drops one reference; the connection ends with the last one. */
  release(): void {
    if (this.refs > 0 && --this.refs === 0) this.shutdown();
  }

  get referenceCount(): number {
    return this.refs;
  }

  /** Called once when the connection is gone; the error is set if it died unexpectedly. */
  onClose(listener: CloseListener): () => void {
    if (this.closed) {
      queueMicrotask(() => listener(this.closeError));
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Per-session cache for facts about the remote host (probes); failures are not kept. */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const known = this.memos.get(key) as Promise<T> | undefined;
    if (known) return known;
    const pending = compute();
    this.memos.set(key, pending);
    pending.catch(() => this.memos.delete(key));
    return pending;
  }

  exec(command: string): Promise<ClientChannel> {
    return this.openChannel(`exec ${command.slice(0, 60)}`, (cb) => this.client.exec(command, cb));
  }

  /** direct-tcpip: a TCP connection made by the server (VNC/SPICE ports). */
  forwardOut(
    srcHost: string,
    srcPort: number,
    dstHost: string,
    dstPort: number,
  ): Promise<ClientChannel> {
    return this.openChannel(`forward to ${formatEndpoint(dstHost, dstPort)}`, (cb) =>
      this.client.forwardOut(srcHost, srcPort, dstHost, dstPort, cb),
    );
  }

  /** direct-streamlocal@openssh.com: a unix socket connection made by the server. */
  openStreamLocal(socketPath: string): Promise<ClientChannel> {
    return this.openChannel(`unix socket ${socketPath}`, (cb) =>
      this.client.openssh_forwardOutStreamLocal(socketPath, cb),
    );
  }

  /** Ends the connection now, whatever the reference count. */
  shutdown(): void {
    if (this.closed) return;
    for (const c of [...this.clients].reverse()) c.end();
    this.markClosed(undefined);
  }

  private markClosed(error: SshError | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError ??= error;
    const wasInUse = this.refs > 0;
    this.refs = 0;
    for (const c of this.clients) c.end();
    const reason =
      this.closeError ??
      (wasInUse ? new SshError('connection-lost', `${this.description} closed`) : undefined);
    for (const listener of this.closeListeners) listener(reason);
    this.closeListeners.clear();
  }

  private openChannel(
    what: string,
    start: (cb: (err: Error | undefined, channel: ClientChannel) => void) => void,
  ): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new SshError('connection-lost', `${this.description} is closed (${what})`));
        return;
      }
      try {
        start((err, channel) =>
          err ? reject(channelError(err, what, this.description)) : resolve(channel),
        );
      } catch (err) {
        reject(channelError(err, what, this.description));
      }
    });
  }
}

function channelError(err: unknown, what: string, session: string): SshError {
  const e = err as Error & { reason?: unknown };
  const message = e instanceof Error ? e.message : 'unknown error';
  if (e.reason === OPEN_ADMINISTRATIVELY_PROHIBITED) {
    return new SshError(
      'channel-refused',
      `${session} refused to open ${what}: administratively prohibited (forwarding disabled in sshd_config?)`,
      { cause: err },
    );
  }
  if (e.reason === OPEN_CONNECT_FAILED) {
    // OpenSSH answers "open failed" both when forwarding is disabled and when the target
    // is missing or not accessible; its log says which, the protocol does not.
    return new SshError(
      'channel-refused',
      `${session} could not open ${what}: ${message.replace(/^\(SSH\) Channel open failure: /, '')} ` +
        `(forwarding disabled in sshd_config, or the target is missing or not accessible)`,
      { cause: err },
    );
  }
  if (/Not connected|No response from server/.test(message)) {
    return new SshError('connection-lost', `${session} is no longer connected (${what})`, {
      cause: err,
    });
  }
  return new SshError('channel-refused', `${session} could not open ${what}: ${message}`, {
    cause: err,
  });
}

function forwardThroughJump(
  jump: Client,
  jumpHop: HopTarget,
  next: HopTarget,
): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    const fail = (err: unknown): void => {
      const why =
        err instanceof Error ? err.message.replace(/^\(SSH\) Channel open failure: /, '') : 'error';
      reject(
        new SshError(
          'jump-forward',
          `Jump host ${jumpHop.username}@${formatEndpoint(jumpHop.host, jumpHop.port)} could not ` +
            `connect to ${formatEndpoint(next.host, next.port)}: ${why}`,
          { cause: err },
        ),
      );
    };
    try {
      jump.forwardOut('127.0.0.1', 0, next.host, next.port, (err, channel) =>
        err ? fail(err) : resolve(channel),
      );
    } catch (err) {
      fail(err);
    }
  });
}
