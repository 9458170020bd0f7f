import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';

/**
 * Exact-length reads over whatever carries console bytes (a TCP socket, a console
 * WebSocket), so a test can speak RFB the same way over both and compare.
 */
export class BytePipe {
  private buffered = Buffer.alloc(0);
  private ended: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly sendBytes: (bytes: Buffer) => void,
    private readonly closeFn: () => void,
  ) {}

  push(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    this.wake?.();
  }

  end(error: Error): void {
    this.ended ??= error;
    this.wake?.();
  }

  write(bytes: Buffer | string): void {
    this.sendBytes(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** Everything received so far, without consuming it. */
  peekText(): string {
    return this.buffered.toString('latin1');
  }

  async read(length: number, timeoutMs = 20_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffered.length < length) {
      if (this.ended) throw this.ended;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${length} bytes (have ${this.buffered.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    const out = this.buffered.subarray(0, length);
    this.buffered = this.buffered.subarray(length);
    return Buffer.from(out);
  }

  /** Waits until the received text matches, consuming nothing. */
  async waitForText(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.peekText();
      if (pattern.test(text)) return text;
      if (this.ended) throw this.ended;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${pattern}; got: ${JSON.stringify(text.slice(-400))}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  close(): void {
    this.closeFn();
  }
}

export function tcpPipe(port: number, host = '127.0.0.1'): Promise<BytePipe> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, host);
    const pipe = new BytePipe(
      (b) => socket.write(b),
      () => socket.destroy(),
    );
    socket.on('data', (chunk: Buffer) => pipe.push(chunk));
    socket.on('close', () => pipe.end(new Error('TCP connection closed')));
    socket.once('error', reject);
    socket.once('connect', () => resolve(pipe));
  });
}

export interface OpenedWs {
  pipe: BytePipe;
  ws: WebSocket;
  protocol: string;
  closed: Promise<{ code: number; reason: string }>;
}

/** A console WebSocket as a browser would open it (Origin, `binary` subprotocol). */
export function wsPipe(
  url: string,
  options: { origin?: string; cookie?: string; protocols?: string[] } = {},
): Promise<OpenedWs> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.Cookie = options.cookie;
    const ws = new WebSocket(url, options.protocols ?? ['binary'], {
      ...(options.origin ? { origin: options.origin } : {}),
      headers,
    });
    ws.binaryType = 'nodebuffer';
    const pipe = new BytePipe(
      (b) => ws.send(b),
      () => ws.close(),
    );
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      ws.once('close', (code, reason) => {
        pipe.end(new Error(`WebSocket closed ${code} ${reason.toString()}`));
        done({ code, reason: reason.toString() });
      }),
    );
    ws.on('message', (data: Buffer) => pipe.push(data));
    ws.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
    );
    ws.once('error', reject);
    ws.once('open', () => resolve({ pipe, ws, protocol: ws.protocol, closed }));
  });
}

/** The HTTP status a refused upgrade answered (throws if it was accepted). */
export async function refusedStatus(
  url: string,
  options: { origin?: string; cookie?: string } = {},
): Promise<number> {
  try {
    const opened = await wsPipe(url, options);
    opened.ws.terminate();
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status !== undefined) return status;
    throw err;
  }
  throw new Error(`${url} was accepted`);
}
