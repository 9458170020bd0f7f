import { formatEndpoint } from './ssh-error';
import { SshSession } from './ssh-session';
import type { SshSessionOptions } from './ssh-session';

export interface SshSessionLease {
  readonly session: SshSession;
  /** Gives the reference back; idempotent. */
  release(): void;
}

/**
 * Hands out shared SSH sessions: one per (user, host, port, jump chain, known_hosts
 * file), so every channel to a host — the RPC tunnel, consoles — rides one TCP connection
 * and one authentication. Concurrent requests for the same host wait for the same connect.
 */
export class SshSessionPool {
  private readonly sessions = new Map<string, SshSession>();
  private readonly opening = new Map<string, Promise<SshSession>>();

  static keyOf(options: SshSessionOptions): string {
    const hop = (h: SshSessionOptions['target']) =>
      `${h.username}@${formatEndpoint(h.host, h.port)}`;
    return [
      hop(options.target),
      ...options.jumpHosts.map(hop),
      options.security.knownHostsFile,
    ].join('|');
  }

  async acquire(options: SshSessionOptions): Promise<SshSessionLease> {
    const key = SshSessionPool.keyOf(options);
    for (;;) {
      const live = this.sessions.get(key);
      if (live && !live.isClosed) return this.lease(live);
      const pending = this.opening.get(key) ?? this.open(key, options);
      const session = await pending;
      // It may have died between its creation and this waiter's turn; then reconnect.
      if (!session.isClosed) return this.lease(session);
    }
  }

  /** Sessions currently open (for tests and diagnostics). */
  get size(): number {
    return this.sessions.size;
  }

  private open(key: string, options: SshSessionOptions): Promise<SshSession> {
    const pending = SshSession.open(options).then(
      (session) => {
        this.opening.delete(key);
        this.sessions.set(key, session);
        session.onClose(() => {
          if (this.sessions.get(key) === session) this.sessions.delete(key);
        });
        return session;
      },
      (err: unknown) => {
        this.opening.delete(key);
        throw err;
      },
    );
    this.opening.set(key, pending);
    return pending;
  }

  private lease(session: SshSession): SshSessionLease {
    session.retain();
    let released = false;
    return {
      session,
      release: () => {
        if (released) return;
        released = true;
        session.release();
      },
    };
  }
}

/** The process-wide pool the transports use. */
export const sshSessionPool = new SshSessionPool();
