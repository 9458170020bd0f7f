import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket from 'ws';

const READ_TIMEOUT_MS = 30_000;

/**
 * Exact-length reads over a stream of chunks without copying everything each time (the
 * throughput runs move hundreds of MB).
 */
export class ByteChannel {
  private readonly chunks: Buffer[] = [];
  private available = 0;
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;

  constructor(
    readonly write: (bytes: Buffer) => void,
    readonly close: () => void,
  ) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.available += chunk.length;
    this.waiter?.();
  }

  fail(error: Error): void {
    this.failure ??= error;
    this.waiter?.();
  }

  /** Reads exactly `length` bytes; `keep` false only counts them (throughput runs). */
  async read(length: number, keep = true): Promise<Buffer> {
    const deadline = Date.now() + READ_TIMEOUT_MS;
    while (this.available < length) {
      if (this.failure) throw this.failure;
      if (Date.now() > deadline) throw new Error(`no ${length} bytes within ${READ_TIMEOUT_MS} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
    const parts: Buffer[] = [];
    let left = length;
    while (left > 0) {
      const head = this.chunks[0] as Buffer;
      if (head.length <= left) {
        this.chunks.shift();
        if (keep) parts.push(head);
        left -= head.length;
      } else {
        if (keep) parts.push(head.subarray(0, left));
        this.chunks[0] = head.subarray(left);
        left = 0;
      }
    }
    this.available -= length;
    return keep ? Buffer.concat(parts, length) : Buffer.alloc(0);
  }
}

export function streamChannel(stream: Duplex): ByteChannel {
  const channel = new ByteChannel(
    (b) => stream.write(b),
    () => stream.destroy(),
  );
  stream.on('data', (chunk: Buffer) => channel.push(chunk));
  stream.on('error', (err: Error) => channel.fail(err));
  stream.on('close', () => channel.fail(new Error('stream closed')));
  return channel;
}

export function tcpChannel(port: number): Promise<ByteChannel> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.setNoDelay(true);
      socket.off('error', reject);
      resolve(streamChannel(socket));
    });
    socket.once('error', reject);
  });
}

/**
 * A console WebSocket. `masked` false sends with an all-zero mask, which ws then skips on
 * both ends: Node's JavaScript masking is the bench client's cost, not the bridge's (a
 * browser masks natively). `masked` true shows what real masks cost the bridge to undo.
 */
export function wsChannel(url: string, origin: string, masked: boolean): Promise<ByteChannel> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['binary'], {
      origin,
      perMessageDeflate: false,
      ...(masked ? {} : { generateMask: (mask: Buffer) => mask.fill(0) }),
    });
    ws.binaryType = 'nodebuffer';
    const channel = new ByteChannel(
      (b) => ws.send(b),
      () => ws.close(),
    );
    ws.on('message', (data: Buffer) => channel.push(data));
    ws.on('close', () => channel.fail(new Error('WebSocket closed')));
    ws.once('error', reject);
    ws.once('open', () => resolve(channel));
  });
}
