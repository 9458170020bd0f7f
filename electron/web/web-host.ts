import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer } from 'ws';
import { CONSOLE_WS_PREFIX } from '../../shared/contract/consoles';
import { VOLUME_TRANSFER_PATH } from '../../shared/contract/storage';
import { WIRE_PATH } from '../../shared/contract/wire';
import type { ConsoleBridge } from '../consoles/console-bridge';
import type { HandlerRegistry } from '../handlers/handler-registry';
import type { EventHub } from '../services/event-hub';
import type { Logger } from '../services/logger';
import type { RendererAssets } from '../services/renderer-assets';
import type { WebAuth } from './web-auth';
import { CLOSE_GOING_AWAY, WireSession } from './wire-session';

export interface WebHostOptions {
  /** Address to bind; 127.0.0.1 unless the user asked otherwise. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  auth: WebAuth;
  assets: RendererAssets;
  registry: HandlerRegistry;
  events: EventHub;
  logger: Logger;
  /** Largest accepted WebSocket message, in bytes. */
  maxPayload?: number;
  /** The console endpoint (`/ws/console/<token>`); absent: no consoles served. */
  consoles?: Pick<ConsoleBridge, 'handleUpgrade' | 'closeAll' | 'terminateAll'>;
  /** Volume uploads/downloads with the browser's files (VOLUME_TRANSFER_PATH); absent: none. */
  volumeTransfers?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
}

const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/**
 * The second host of the handler table: serves the built renderer over HTTP and carries
 * calls and events over one WebSocket. Nothing is served to a request without the token.
 */
export class WebHost {
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<WireSession>();
  private unsubscribe: (() => void) | null = null;
  private nextSession = 1;
  private port = 0;

  private constructor(private readonly options: WebHostOptions) {
    this.server = createServer((req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        options.logger.error(`Serving ${req.url ?? '?'} failed`, err);
        if (!res.headersSent) send(res, 500, 'Internal error');
        else res.destroy();
      });
    });
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
    });
    this.server.on('upgrade', (req, socket) => this.onUpgrade(req, socket));
  }

  static async start(options: WebHostOptions): Promise<WebHost> {
    const host = new WebHost(options);
    await new Promise<void>((resolve, reject) => {
      host.server.once('error', reject);
      host.server.listen(options.port, options.host, () => {
        host.server.off('error', reject);
        resolve();
      });
    });
    host.port = (host.server.address() as AddressInfo).port;
    host.unsubscribe = options.events.subscribe((event) => {
      for (const session of host.sessions) session.sendEvent(event);
    });
    return host;
  }

  /** The origin a browser on this machine uses, e.g. http://127.0.0.1:41234 */
  get origin(): string {
    return `http://${urlHost(browsableHost(this.options.host))}:${this.port}`;
  }

  /** The URL to open, token included. */
  get url(): string {
    return `${this.origin}/?token=${this.options.auth.token}`;
  }

  /** Closes every socket (1001, then forcibly after a grace period) and the server. */
  async stop(graceMs = 1000): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    const clients = [...this.wss.clients];
    const socketsClosed = Promise.all(
      clients.map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve()))),
    );
    for (const session of this.sessions)
      session.close(CLOSE_GOING_AWAY, 'VirtDeck is shutting down');
    this.options.consoles?.closeAll();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([socketsClosed, graceOver]);
    clearTimeout(timer);
    for (const ws of clients) ws.terminate();
    this.options.consoles?.terminateAll();
    this.wss.close();
    await serverClosed;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    if (!url) return send(res, 400, 'Bad request');
    const auth = this.options.auth.authorizeRequest(req, url);
    if (auth.kind === 'denied') {
      return send(res, 401, 'Unauthorized: open the URL the VirtDeck web host printed.');
    }
    if (auth.kind === 'redirect') {
      res.writeHead(303, {
        ...baseHeaders(),
        Location: auth.location,
        'Set-Cookie': auth.setCookie,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    if (this.options.volumeTransfers && url.pathname === VOLUME_TRANSFER_PATH) {
      return this.options.volumeTransfers(req, res, url);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
    }
    const asset = await this.options.assets.resolve(url.pathname);
    if (!asset) return send(res, 404, 'Not found');
    const isHtml = asset.contentType.startsWith('text/html');
    res.writeHead(200, {
      ...baseHeaders(),
      'Content-Security-Policy': this.options.assets.contentSecurityPolicy,
      'Content-Type': asset.contentType,
      'Content-Length': asset.size,
      // Vite names built assets by content hash, so only the page itself must never be cached.
      'Cache-Control': isHtml ? 'no-store' : 'private, no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    try {
      await pipeline(createReadStream(asset.filePath), res);
    } catch (err) {
      // The browser went away mid-file: nothing to answer, nothing to report.
      if (res.destroyed && (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') {
        return;
      }
      throw err;
    }
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex): void {
    // Until ws owns the socket, a reset by the peer must not become an uncaught error.
    const onEarlyError = () => socket.destroy();
    socket.on('error', onEarlyError);
    const url = requestUrl(req);
    if (!url) return refuse(socket, 400, 'Bad Request');
    if (!this.options.auth.authorizeUpgrade(req, url)) return refuse(socket, 401, 'Unauthorized');
    if (this.options.consoles && url.pathname.startsWith(CONSOLE_WS_PREFIX)) {
      // The page's cookie proved who asks; the console's own token says which console.
      if (!this.isOwnOrigin(req.headers.origin, req.headers.host)) {
        return refuse(socket, 403, 'Forbidden');
      }
      return this.options.consoles.handleUpgrade(req, socket, url);
    }
    if (url.pathname !== WIRE_PATH) return refuse(socket, 404, 'Not Found');
    // Cookies ride along with any page's WebSocket to us; only our own page may use them.
    if (!this.isOwnOrigin(req.headers.origin, req.headers.host)) {
      return refuse(socket, 403, 'Forbidden');
    }
    this.wss.handleUpgrade(req, socket, Buffer.alloc(0), (ws) => {
      socket.off('error', onEarlyError);
      const caller = `ws:#${this.nextSession++}`;
      const session = new WireSession(ws, this.options.registry, caller, this.options.logger);
      this.sessions.add(session);
      ws.on('close', () => this.sessions.delete(session));
      ws.on('error', (err) => this.options.logger.warn(`${caller}: ${err.message}`));
    });
  }

  private isOwnOrigin(origin: string | undefined, hostHeader: string | undefined): boolean {
    if (!origin) return false;
    const allowed = new Set([this.origin]);
    const bound = this.options.host;
    if (isLoopback(bound)) {
      for (const name of ['127.0.0.1', 'localhost', '[::1]']) {
        allowed.add(`http://${name}:${this.port}`);
      }
    }
    // Bound to every interface, the page's address is whichever one the user typed. Only an
    // IP literal is trusted: a DNS name could be rebound to us by someone else's page.
    if (isWildcard(bound) && hostHeader) {
      const hostname = hostHeader.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      if (isIP(hostname) !== 0) allowed.add(`http://${hostHeader}`);
    }
    return allowed.has(origin);
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** A wildcard bind is reached through loopback on this machine. */
function browsableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

function requestUrl(req: IncomingMessage): URL | null {
  // Only origin-form targets ("/path?query"): never let an absolute URL pick the base.
  if (!req.url?.startsWith('/') || req.url.startsWith('//')) return null;
  try {
    return new URL(req.url, 'http://virtdeck.invalid');
  } catch {
    return null;
  }
}

function baseHeaders(): OutgoingHttpHeaders {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function send(
  res: ServerResponse,
  status: number,
  text: string,
  extra: OutgoingHttpHeaders = {},
): void {
  const body = `${text}\n`;
  res.writeHead(status, {
    ...baseHeaders(),
    ...extra,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  });
  res.end(body);
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  // end() flushes the answer; destroy if the peer never reads it.
  (socket as Socket).setTimeout?.(1000, () => socket.destroy());
}
