import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Result, WireCall, WireToClient } from '../../../../shared/contract';

/**
 * A stand-in for the web host's WebSocket endpoint, on loopback: it records calls and lets a
 * test answer them (or not), push events, refuse handshakes and drop links — the edge cases
 * the real host cannot be made to produce on demand.
 */
export class StandInWebHost {
  readonly calls: WireCall[] = [];
  accepting = true;
  refusedHandshakes = 0;
  /** Path and query of the latest handshake, to check what the client sent along. */
  lastRequestUrl: string | undefined;
  /** Answers a call at once; returning undefined leaves it unanswered. */
  answer: (call: WireCall) => Result<unknown> | undefined = () => undefined;
  private readonly sockets = new Set<WebSocket>();

  private readonly server: WebSocketServer;

  private constructor() {
    this.server = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      path: '/ws',
      verifyClient: (info, done) => {
        this.lastRequestUrl = info.req.url;
        if (this.accepting) return done(true);
        this.refusedHandshakes++;
        done(false, 503, 'not yet');
      },
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('message', (data) => {
        const call = JSON.parse(String(data)) as WireCall;
        this.calls.push(call);
        const result = this.answer(call);
        if (result) this.send({ type: 'result', id: call.id, result });
      });
    });
  }

  static async start(): Promise<StandInWebHost> {
    const host = new StandInWebHost();
    await new Promise<void>((resolve) => host.server.once('listening', resolve));
    return host;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/ws`;
  }

  get openLinks(): number {
    return this.sockets.size;
  }

  send(message: WireToClient | Record<string, unknown>): void {
    for (const socket of this.sockets) socket.send(JSON.stringify(message));
  }

  reply(id: number, result: Result<unknown>): void {
    this.send({ type: 'result', id, result });
  }

  /** Kills every link without a closing handshake, like a crashed or restarted host. */
  dropLinks(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  async stop(): Promise<void> {
    this.dropLinks();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }
}
