import WebSocket from 'ws';
import type { WireToClient } from '../../../shared/contract/wire';

export interface WireClient {
  socket: WebSocket;
  /** Sends a raw text frame. */
  sendText(text: string): void;
  call(channel: string, input: unknown): Promise<WireToClient & { type: 'result' }>;
  /** Resolves with the next message matching `match` (already received ones count). */
  next(match: (message: WireToClient) => boolean): Promise<WireToClient>;
  closed: Promise<{ code: number; reason: string }>;
}

/** A `ws` client on the web host's wire, with the headers a test chooses. */
export function connectWire(url: string, headers: Record<string, string>): Promise<WireClient> {
  const socket = new WebSocket(url, { headers });
  const received: WireToClient[] = [];
  const waiters: Array<{
    match: (m: WireToClient) => boolean;
    resolve: (m: WireToClient) => void;
  }> = [];
  let nextId = 1;
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as WireToClient;
    const waiter = waiters.find((w) => w.match(message));
    if (waiter) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    } else {
      received.push(message);
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const client: WireClient = {
    socket,
    closed,
    sendText: (text) => socket.send(text),
    next(match) {
      const index = received.findIndex(match);
      if (index >= 0) return Promise.resolve(received.splice(index, 1)[0]!);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    async call(channel, input) {
      const id = nextId++;
      socket.send(JSON.stringify({ type: 'call', id, channel, input }));
      return (await client.next((m) => m.type === 'result' && m.id === id)) as WireToClient & {
        type: 'result';
      };
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode })),
    );
    socket.once('error', reject);
  });
}
