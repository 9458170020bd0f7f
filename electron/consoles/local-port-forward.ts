import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger } from '../services/logger';
import type { UpstreamOpener } from './console-upstreams';

/**
 * A port on 127.0.0.1 for an external viewer (remote-viewer): every connection to it is
 * carried to the display by a fresh upstream (an SSH channel on the host's one session, or
 * a unix socket), so the viewer needs no SSH of its own. It closes after `idleMs` with no
 * connection open.
 */
export class LocalPortForward {
  private readonly sockets = new Set<Socket>();
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private deadline = 0;

  private constructor(
    private readonly server: Server,
    private readonly opener: UpstreamOpener,
    private readonly idleMs: number,
    private readonly logger: Logger,
    private readonly onClosed: () => void,
  ) {
    server.on('connection', (socket) => this.accept(socket));
    this.armIdle();
  }

  static async start(options: {
    opener: UpstreamOpener;
    idleMs: number;
    logger: Logger;
    onClosed: () => void;
  }): Promise<LocalPortForward> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new LocalPortForward(
      server,
      options.opener,
      options.idleMs,
      options.logger,
      options.onClosed,
    );
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** When it closes unless a viewer connects (epoch ms); 0 while connections are open. */
  get closesAt(): number {
    return this.sockets.size > 0 ? 0 : this.deadline;
  }

  /** Keeps it open for another idle period (a new .vv file was handed out). */
  touch(): void {
    if (this.sockets.size === 0) this.armIdle();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    this.onClosed();
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.deadline = Date.now() + this.idleMs;
    this.idleTimer = setTimeout(() => this.close(), this.idleMs);
    this.idleTimer.unref();
  }

  private accept(socket: Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    socket.setNoDelay(true);
    socket.pause();
    socket.on('error', () => undefined);
    socket.once('close', () => {
      this.sockets.delete(socket);
      if (this.sockets.size === 0 && !this.closed) this.armIdle();
    });
    this.opener().then(
      ({ stream }) => {
        if (socket.destroyed) {
          stream.destroy();
          return;
        }
        stream.on('error', () => socket.destroy());
        socket.once('close', () => stream.destroy());
        stream.once('close', () => socket.destroy());
        socket.pipe(stream);
        stream.pipe(socket);
        socket.resume();
      },
      (err: unknown) => {
        this.logger.warn(
          `External viewer forward on port ${this.port}: ${err instanceof Error ? err.message : 'failed'}`,
        );
        socket.destroy();
      },
    );
  }
}
