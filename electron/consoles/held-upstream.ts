import type { Duplex } from 'node:stream';

/** How much a held upstream keeps before its WebSocket arrives (serial boot logs fit). */
const HOLD_LIMIT = 1024 * 1024;

export interface HandedOff {
  stream: Duplex;
  /** What arrived while nobody was attached, in order. */
  buffered: Buffer[];
  /** The device already closed (or failed) while held. */
  ended: boolean;
  error: Error | null;
}

/**
 * An upstream opened ahead of its WebSocket (so `console:open` can report a refused port or
 * a busy serial console at once). It is read eagerly: a paused libvirt console stream would
 * stop the whole RPC connection from being read. For a serial console, the oldest bytes
 * go when the buffer is full; a display never sends that much before its client speaks.
 */
export class HeldUpstream {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private ended = false;
  private error: Error | null = null;
  private handedOff = false;
  private readonly waiters = new Set<() => void>();

  constructor(readonly stream: Duplex) {
    stream.on('data', this.onData);
    stream.once('end', this.onEnd);
    stream.once('close', this.onEnd);
    stream.once('error', this.onError);
  }

  /**
   * Resolves once the device has sent something or `quietMs` passed in silence; rejects if it
   * closes or fails before either (a refused nc, a console another client holds).
   */
  settle(quietMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (this.size > 0) {
          resolve();
          return true;
        }
        if (this.error || this.ended) {
          reject(this.error ?? new Error('The device closed the connection at once'));
          return true;
        }
        return false;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve();
      }, quietMs);
      const waiter = (): void => {
        if (check()) {
          clearTimeout(timer);
          this.waiters.delete(waiter);
        }
      };
      this.waiters.add(waiter);
    });
  }

  /** Gives the stream to its WebSocket; this object lets go of it. */
  handOff(): HandedOff {
    this.handedOff = true;
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onError);
    // Keep the stream from throwing on a late error until the new owner listens.
    this.stream.on('error', () => undefined);
    this.stream.pause();
    return {
      stream: this.stream,
      buffered: this.chunks.splice(0),
      ended: this.ended,
      error: this.error,
    };
  }

  /** Nobody came for it: close the device connection. */
  discard(): void {
    if (this.handedOff) return;
    this.handOff();
    this.stream.destroy();
  }

  private readonly onData = (chunk: Buffer): void => {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > HOLD_LIMIT && this.chunks.length > 1) {
      this.size -= (this.chunks.shift() as Buffer).length;
    }
    this.wake();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.wake();
  };

  private readonly onError = (err: Error): void => {
    this.error ??= err;
    this.ended = true;
    this.wake();
  };

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
