import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  CONSOLE_WS_PREFIX,
  CONSOLE_WS_PROTOCOL,
  type ConsoleEndReason,
  type ConsoleKind,
} from '../../shared/contract/consoles';
import type { Logger } from '../services/logger';
import { ConsoleTicketRegistry, type TicketBinding } from './console-ticket-registry';
import type { HeldUpstream } from './held-upstream';

export interface ConsoleEnd {
  reason: ConsoleEndReason;
  message: string;
}

export interface ConsoleSessionSpec {
  kind: ConsoleKind;
  /** WebSockets the token admits at once (SPICE: one per channel). */
  maxConnections: number;
  /** New WebSockets are refused this long after issue, unless one is still open. */
  ttlMs: number;
  /** The upstream `console:open` already opened; the first WebSocket gets it. */
  held: HeldUpstream | null;
  /** A fresh upstream for each further WebSocket (SPICE channels). */
  openUpstream(): Promise<Duplex>;
  /** Why the device went away; asked once per session, for its first upstream to end. */
  classifyEnd(error: Error | null): Promise<ConsoleEnd>;
  /** Called once when the session is over (all sockets closed, expired, or ended). */
  onEnded(end: ConsoleEnd): void;
}

export interface IssuedConsole {
  id: string;
  token: string;
  path: string;
  expiresAt: number;
}

/** WebSocket close codes the renderer maps back to a reason (4000 + index). */
export const CLOSE_CODES: Readonly<Record<ConsoleEndReason, number>> = {
  'vm-stopped': 4000,
  'host-disconnected': 4001,
  'taken-over': 4002,
  'upstream-closed': 4003,
  'upstream-failed': 4004,
  expired: 4005,
  closed: 1000,
};

// Above this much unsent data the device is paused (TCP backpressure reaches the guest's
// display server); reading resumes below LOW.
const HIGH_WATER = 4 * 1024 * 1024;
const LOW_WATER = 512 * 1024;
/** A serial console cannot be paused (it shares the RPC link): a browser this far behind is gone. */
const UNPAUSABLE_LIMIT = 64 * 1024 * 1024;
const MAX_MESSAGE = 16 * 1024 * 1024;

class BridgeSession {
  readonly sockets = new Set<WebSocket>();
  /** Upgrades accepted but not yet open: they count against maxConnections. */
  pending = 0;
  attachedOnce = false;
  ended = false;
  held: HeldUpstream | null;
  private classified: Promise<ConsoleEnd> | null = null;
  private firstEnd: ConsoleEnd | null = null;
  readonly expiresAt: number;
  private readonly expiry: NodeJS.Timeout;

  constructor(
    readonly binding: TicketBinding,
    readonly spec: ConsoleSessionSpec,
    private readonly finish: (session: BridgeSession) => void,
  ) {
    this.held = spec.held;
    this.expiresAt = Date.now() + spec.ttlMs;
    this.expiry = setTimeout(() => {
      if (this.sockets.size === 0 && this.pending === 0) {
        this.end({ reason: 'expired', message: 'No viewer used the console ticket in time' });
      }
    }, spec.ttlMs);
    this.expiry.unref();
  }

  admits(now: number): boolean {
    if (this.ended) return false;
    return now < this.expiresAt || this.sockets.size > 0;
  }

  get full(): boolean {
    return this.sockets.size + this.pending >= this.spec.maxConnections;
  }

  classify(error: Error | null): Promise<ConsoleEnd> {
    this.classified ??= this.spec.classifyEnd(error).then(
      (end) => {
        this.firstEnd ??= end;
        return end;
      },
      (err: unknown) => {
        const end: ConsoleEnd = {
          reason: 'upstream-closed',
          message: err instanceof Error ? err.message : 'The console closed',
        };
        this.firstEnd ??= end;
        return end;
      },
    );
    return this.classified;
  }

  /** A socket went away; the session ends with its last one. */
  release(ws: WebSocket): void {
    this.sockets.delete(ws);
    if (this.sockets.size === 0 && this.pending === 0 && this.attachedOnce) {
      void (this.classified ?? Promise.resolve(null)).then(() =>
        this.end(this.firstEnd ?? { reason: 'closed', message: 'The viewer closed the console' }),
      );
    }
  }

  end(end: ConsoleEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.firstEnd ??= end;
    clearTimeout(this.expiry);
    this.held?.discard();
    this.held = null;
    const code = CLOSE_CODES[end.reason];
    for (const ws of this.sockets) ws.close(code, end.reason);
    this.finish(this);
    this.spec.onEnded(this.firstEnd);
  }
}

/**
 * The console WebSocket endpoint behind `/ws/console/<token>`, shared by the web host and
 * Electron's loopback console server (each checks Origin before handing an upgrade here).
 * Bytes pass unchanged in both directions as binary messages; the `binary` subprotocol is
 * echoed when asked for. One upstream per WebSocket.
 */
export class ConsoleBridge {
  private readonly registry = new ConsoleTicketRegistry<BridgeSession>();
  private readonly wss: WebSocketServer;
  /** Every open console WebSocket, for a host's hard stop. */
  private readonly live = new Set<WebSocket>();

  constructor(private readonly logger: Logger) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_MESSAGE,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: (protocols) =>
        protocols.has(CONSOLE_WS_PROTOCOL) ? CONSOLE_WS_PROTOCOL : false,
    });
  }

  register(binding: Omit<TicketBinding, 'id'>, spec: ConsoleSessionSpec): IssuedConsole {
    const issued = this.registry.issue(
      (full) => new BridgeSession(full, spec, (s) => this.registry.revoke(s.binding.id)),
      binding,
    );
    return {
      id: issued.entry.binding.id,
      token: issued.token,
      path: issued.path,
      expiresAt: issued.entry.expiresAt,
    };
  }

  /** True when the request targets the console endpoint (hosts route it here). */
  static isConsolePath(pathname: string): boolean {
    return pathname.startsWith(CONSOLE_WS_PREFIX);
  }

  /**
   * Takes an upgrade whose Origin the host has checked. Refused with an HTTP status before
   * any WebSocket exists: 401 for a missing, unknown, revoked or expired token, 409 when the
   * console already has all the connections it admits.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, url: URL): void {
    const token = url.pathname.slice(CONSOLE_WS_PREFIX.length);
    const session = this.registry.lookup(token);
    if (!session || !session.admits(Date.now())) return refuse(socket, 401, 'Unauthorized');
    if (session.full) return refuse(socket, 409, 'Conflict');
    session.pending++;
    this.wss.handleUpgrade(req, socket, Buffer.alloc(0), (ws) => {
      session.pending--;
      if (session.ended) {
        ws.close(CLOSE_CODES.closed, 'closed');
        return;
      }
      session.sockets.add(ws);
      session.attachedOnce = true;
      this.live.add(ws);
      ws.once('close', () => this.live.delete(ws));
      void this.connect(session, ws);
    });
  }

  /** Ends a console: its sockets close, its token stops working. */
  end(id: string, end: ConsoleEnd = { reason: 'closed', message: 'Closed' }): boolean {
    const session = this.registry.byId(id);
    if (!session) return false;
    session.end(end);
    return true;
  }

  /** Whether the id names a live session (for tests and diagnostics). */
  has(id: string): boolean {
    return this.registry.byId(id) !== null;
  }

  /** Open WebSockets of one session. */
  connectionCount(id: string): number {
    return this.registry.byId(id)?.sockets.size ?? 0;
  }

  /** Every session of a connection (or all) ends now. */
  closeAll(end: ConsoleEnd = { reason: 'closed', message: 'VirtDeck is shutting down' }): void {
    for (const session of this.registry.entries()) session.end(end);
  }

  /** Drops every console socket without a closing handshake (after closeAll's grace). */
  terminateAll(): void {
    for (const ws of this.live) ws.terminate();
    this.live.clear();
  }

  /** Sessions matching a predicate end (a VM removed, a connection deleted). */
  endWhere(match: (binding: TicketBinding) => boolean, end: ConsoleEnd): void {
    for (const session of this.registry.entries()) if (match(session.binding)) session.end(end);
  }

  private async connect(session: BridgeSession, ws: WebSocket): Promise<void> {
    let upstream: Duplex;
    let buffered: Buffer[] = [];
    let endedEarly: { error: Error | null } | null = null;
    const held = session.held;
    session.held = null;
    if (held) {
      const handed = held.handOff();
      upstream = handed.stream;
      buffered = handed.buffered;
      if (handed.ended) endedEarly = { error: handed.error };
    } else {
      // Messages may arrive while the upstream opens; hold the socket until it is there.
      ws.pause();
      try {
        upstream = await session.spec.openUpstream();
      } catch (err) {
        const message = err instanceof Error ? err.message : 'The console could not be opened';
        this.logger.warn(`console ${session.binding.id}: ${message}`);
        if (ws.readyState === ws.OPEN) ws.close(CLOSE_CODES['upstream-failed'], 'upstream-failed');
        session.release(ws);
        return;
      }
      if (ws.readyState !== ws.OPEN) {
        upstream.destroy();
        session.release(ws);
        return;
      }
      ws.resume();
    }
    pipeConsole(session, ws, upstream, buffered, endedEarly);
  }
}

function pipeConsole(
  session: BridgeSession,
  ws: WebSocket,
  upstream: Duplex,
  buffered: Buffer[],
  endedEarly: { error: Error | null } | null,
): void {
  const pausable = session.spec.kind !== 'serial';
  let clientGone = false;
  let upstreamGone = false;
  (upstream as Partial<Socket>).setNoDelay?.(true);

  const afterSend = (): void => {
    if (upstream.isPaused() && !upstreamGone && ws.bufferedAmount < LOW_WATER) upstream.resume();
  };
  const toClient = (chunk: Buffer): void => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(chunk, { binary: true }, afterSend);
    if (ws.bufferedAmount > HIGH_WATER) {
      if (pausable) upstream.pause();
      else if (ws.bufferedAmount > UNPAUSABLE_LIMIT) ws.terminate();
    }
  };
  for (const chunk of buffered) toClient(chunk);

  const onUpstreamGone = (error: Error | null): void => {
    if (upstreamGone) return;
    upstreamGone = true;
    if (clientGone) return;
    void session.classify(error).then((end) => {
      if (ws.readyState === ws.OPEN) ws.close(CLOSE_CODES[end.reason], end.reason);
    });
  };

  if (endedEarly) {
    onUpstreamGone(endedEarly.error);
  } else {
    upstream.on('data', toClient);
    upstream.once('end', () => onUpstreamGone(null));
    upstream.once('close', () => onUpstreamGone(null));
    upstream.on('error', (err: Error) => onUpstreamGone(err));
    upstream.resume();
  }

  ws.on('message', (data: RawData) => {
    if (upstreamGone) return;
    const chunk = toBuffer(data);
    if (!upstream.write(chunk) && pausable) {
      ws.pause();
      upstream.once('drain', () => ws.resume());
    }
  });
  ws.on('error', () => undefined);
  ws.once('close', () => {
    clientGone = true;
    session.release(ws);
    if (upstreamGone) return;
    upstreamGone = true;
    // A clean goodbye first (a libvirt console stream finishes with STREAM/OK), then force.
    upstream.end();
    setTimeout(() => upstream.destroy(), 2000).unref();
  });
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  (socket as Partial<Socket>).setTimeout?.(1000, () => socket.destroy());
}
