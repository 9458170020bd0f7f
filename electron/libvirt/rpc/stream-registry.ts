import type { Duplex } from 'node:stream';
import { encodePacket, headerFor } from './packet';
import type { LibvirtStream, StreamPort } from './libvirt-stream';
import type { RpcLogger } from './rpc-logger';

/** What the registry needs from its connection. */
export interface StreamRegistryHost {
  readonly logger: RpcLogger;
  /** The transport's byte stream (paused for backpressure, watched for drain). */
  readonly socket: Duplex;
  /** Writes a packet; throws the close reason once the connection is gone. */
  write(packet: Buffer): boolean;
  closeReason(): Error | null;
  /** Keepalive must not count silence while we deliberately stop reading. */
  setKeepaliveSuspended(suspended: boolean): void;
}

/**
 * The open streams of one connection, by the serial of the call that opened each, and
 * the connection side of their packets: sending, write backpressure (drain) and read
 * backpressure (pausing the socket while any stream's reader is full).
 */
export class StreamRegistry implements StreamPort {
  private readonly streams = new Map<number, LibvirtStream>();
  private readonly pausedBy = new Set<LibvirtStream>();
  private readonly drainWaiters = new Set<{ resolve(): void; reject(err: Error): void }>();

  constructor(private readonly host: StreamRegistryHost) {
    host.socket.on('drain', () => this.settleDrainWaiters(null));
  }

  get logger(): RpcLogger {
    return this.host.logger;
  }

  has(serial: number): boolean {
    return this.streams.has(serial);
  }

  get(serial: number): LibvirtStream | undefined {
    return this.streams.get(serial);
  }

  register(serial: number, stream: LibvirtStream): void {
    stream.serial = serial;
    this.streams.set(serial, stream);
  }

  /** The link is gone: every open stream fails with `err`, every drain wait too. */
  failAll(err: Parameters<LibvirtStream['failTransport']>[0]): void {
    for (const stream of [...this.streams.values()]) stream.failTransport(err);
    this.streams.clear();
    this.settleDrainWaiters(err);
  }

  sendStreamPacket(
    stream: LibvirtStream,
    type: number,
    status: number,
    payload?: Uint8Array,
  ): boolean {
    if (stream.serial === null) throw new Error('stream used before its call was sent');
    return this.host.write(
      encodePacket(headerFor(stream.procedure, type, stream.serial, status), payload),
    );
  }

  waitForDrain(): Promise<void> {
    const closed = this.host.closeReason();
    if (closed) return Promise.reject(closed);
    if (!this.host.socket.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve, reject) => this.drainWaiters.add({ resolve, reject }));
  }

  setReadPaused(stream: LibvirtStream, paused: boolean): void {
    if (paused) this.pausedBy.add(stream);
    else this.pausedBy.delete(stream);
    const pause = this.pausedBy.size > 0;
    if (pause === this.host.socket.isPaused()) return;
    this.host.setKeepaliveSuspended(pause);
    if (pause) this.host.socket.pause();
    else this.host.socket.resume();
  }

  release(stream: LibvirtStream): void {
    if (stream.serial !== null && this.streams.get(stream.serial) === stream) {
      this.streams.delete(stream.serial);
    }
    this.setReadPaused(stream, false);
  }

  private settleDrainWaiters(err: Error | null): void {
    for (const waiter of this.drainWaiters) {
      if (err) waiter.reject(err);
      else waiter.resolve();
    }
    this.drainWaiters.clear();
  }
}
