import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { CONSOLE_WS_PREFIX } from '../../shared/contract/consoles';
import type { ConsoleBridge } from './console-bridge';

export interface ConsoleServerOptions {
  bridge: Pick<ConsoleBridge, 'handleUpgrade' | 'closeAll' | 'terminateAll'>;
  /** Origins whose pages may open consoles, e.g. `app://virtdeck`. */
  allowedOrigins: readonly string[];
}

/**
 * Electron's console endpoint: a loopback HTTP server that serves nothing but console
 * WebSocket upgrades for the app's own pages (checked Origin) holding a valid token.
 */
export class ConsoleServer {
  private constructor(
    private readonly server: Server,
    private readonly options: ConsoleServerOptions,
  ) {}

  static async start(options: ConsoleServerOptions): Promise<ConsoleServer> {
    const server = createServer((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
      res.end('Not found\n');
    });
    const host = new ConsoleServer(server, options);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex) => host.onUpgrade(req, socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return host;
  }

  /** `ws://127.0.0.1:PORT` — what the renderer prefixes a ticket's path with. */
  get wsOrigin(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.options.bridge.closeAll();
    this.options.bridge.terminateAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex): void {
    socket.on('error', () => socket.destroy());
    const path = req.url ?? '';
    if (!path.startsWith(CONSOLE_WS_PREFIX) || path.includes('?')) {
      return refuse(socket, 404, 'Not Found');
    }
    const origin = req.headers.origin;
    if (!origin || !this.options.allowedOrigins.includes(origin)) {
      return refuse(socket, 403, 'Forbidden');
    }
    this.options.bridge.handleUpgrade(req, socket, new URL(path, 'http://virtdeck.invalid'));
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  (socket as Partial<Socket>).setTimeout?.(1000, () => socket.destroy());
}
