import { EventEmitter } from 'node:events';
import { VirNetMessageType } from '../protocol/virnet.gen';
import { KEEPALIVE_PROGRAM, keepaliveProcedures } from '../protocol/keepalive.gen';
import { REMOTE_PROGRAM, remoteEventsByNumber, remoteProcedures } from '../protocol/remote.gen';
import { QEMU_PROGRAM, qemuEventsByNumber } from '../protocol/qemu.gen';
import { TransportError } from '../errors';
import { describeSocketError } from '../transport/connect-socket';
import type { Transport } from '../transport/transport-types';
import { CallQueue } from './call-queue';
import { EventRouter, type EventTables, type RpcEvent } from './event-router';
import { KeepaliveMonitor } from './keepalive-monitor';
import { LibvirtStream } from './libvirt-stream';
import { decodePacket, encodePacket, headerFor, type PacketHeader } from './packet';
import { PacketFramer } from './packet-framer';
import {
  abortError,
  PendingCall,
  type CallOptions,
  type StreamCallOptions,
  type StreamCallResult,
} from './pending-call';
import { decodeReply, encodeArgs } from './procedure-codec';
import type { EventInfo, ProcedureInfo, RpcCaller } from './procedure';
import { consoleRpcLogger, type RpcLogger } from './rpc-logger';
import { StreamRegistry } from './stream-registry';

export type { CallOptions, StreamCallOptions, StreamCallResult } from './pending-call';

export interface RpcConnectionOptions {
  /** Calls in flight at once (daemon's max_client_requests is 5; keep one for keepalive). */
  maxInFlight?: number;
  /** Our PING after this much silence (ms). */
  keepaliveIntervalMs?: number;
  /** Peer declared dead after this many silent intervals. */
  keepaliveCount?: number;
  /** How long close() waits for the CONNECT_CLOSE reply (ms). */
  closeTimeoutMs?: number;
  /** Event procedures per program; defaults to the generated REMOTE and QEMU tables. */
  eventTables?: EventTables;
  logger?: RpcLogger;
}

const DEFAULTS = {
  maxInFlight: 4,
  keepaliveIntervalMs: 5000,
  keepaliveCount: 3,
  closeTimeoutMs: 3000,
};

const defaultEventTables: EventTables = new Map([
  [REMOTE_PROGRAM, remoteEventsByNumber],
  [QEMU_PROGRAM, qemuEventsByNumber],
]);

/**
 * One libvirt RPC connection over a transport: calls matched to replies by serial (any
 * order, at most `maxInFlight` at once), events routed by procedure, streams by serial,
 * keepalive answered and sent. When the link drops, every pending call and open stream
 * fails at once with a TransportError saying why, and 'closed' is emitted once.
 */
export class RpcConnection extends EventEmitter<{ closed: [TransportError] }> implements RpcCaller {
  readonly description: string;
  private readonly logger: RpcLogger;
  private readonly queue: CallQueue<PendingCall>;
  private readonly framer = new PacketFramer();
  private readonly events: EventRouter;
  private readonly keepalive: KeepaliveMonitor;
  private readonly inFlight = new Map<number, PendingCall>();
  private readonly streams: StreamRegistry;
  private readonly closeTimeoutMs: number;
  private nextSerial = 1;
  private closedError: TransportError | null = null;
  private closePromise: Promise<void> | null = null;
  private closingByClient = false;

  constructor(
    private readonly transport: Transport,
    options: RpcConnectionOptions = {},
  ) {
    super();
    this.description = transport.description;
    this.logger = options.logger ?? consoleRpcLogger;
    this.queue = new CallQueue(options.maxInFlight ?? DEFAULTS.maxInFlight);
    this.events = new EventRouter(options.eventTables ?? defaultEventTables, this.logger);
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULTS.closeTimeoutMs;
    this.streams = new StreamRegistry({
      logger: this.logger,
      socket: transport.stream,
      write: (packet) => this.write(packet),
      closeReason: () => this.closedError,
      setKeepaliveSuspended: (suspended) => this.keepalive.setSuspended(suspended),
    });
    this.keepalive = new KeepaliveMonitor({
      intervalMs: options.keepaliveIntervalMs ?? DEFAULTS.keepaliveIntervalMs,
      count: options.keepaliveCount ?? DEFAULTS.keepaliveCount,
      sendPing: () => this.sendKeepalive(keepaliveProcedures.PING),
      onDead: (silentMs) =>
        this.shutdown(
          new TransportError(
            `${this.description}: no answer from the daemon for ${Math.round(silentMs / 1000)} s ` +
              '(keepalive); the connection is dead',
            'keepalive',
          ),
        ),
    });
    const s = transport.stream;
    s.on('data', (chunk: Buffer) => this.onData(chunk));
    s.on('end', () => this.onEnd());
    s.on('error', (err: Error) => this.onTransportError(err));
    s.on('close', () => this.onEnd());
    // A transport that was read in paused mode first (TLS confirmation byte) must flow now.
    s.resume();
  }

  get closed(): boolean {
    return this.closedError !== null;
  }

  /** Why the connection ended, once it has. */
  get closeReason(): TransportError | null {
    return this.closedError;
  }

  call<A, R>(proc: ProcedureInfo<A, R>, args: A, options: CallOptions = {}): Promise<R> {
    if (proc.stream !== 'none') {
      return Promise.reject(new TypeError(`${proc.name} opens a stream: use callWithStream()`));
    }
    return this.enqueue(proc, args, options, null) as Promise<R>;
  }

  /**
   * Calls a procedure that opens a stream. The stream is registered before the CALL is
   * written, so data following the reply at once is not lost.
   */
  async callWithStream<A, R>(
    proc: ProcedureInfo<A, R>,
    args: A,
    options: StreamCallOptions = {},
  ): Promise<StreamCallResult<R>> {
    if (proc.stream === 'none') throw new TypeError(`${proc.name} does not open a stream`);
    const stream = new LibvirtStream(this.streams, {
      procedure: proc as ProcedureInfo<unknown, unknown>,
      sparse: options.sparse ?? false,
    });
    // Upload-only streams never carry data to us; flowing mode lets them end by themselves.
    if (proc.stream === 'write') stream.resume();
    const ret = (await this.enqueue(proc, args, options, stream)) as R;
    stream.markExposed();
    return { ret, stream };
  }

  /** Listens for one event procedure; returns the unsubscribe function. */
  onEvent<M>(info: EventInfo<M>, listener: (msg: M) => void): () => void {
    return this.events.on(info, listener);
  }

  /** Listens for every event that has a decoder in the event tables. */
  onAnyEvent(listener: (event: RpcEvent) => void): () => void {
    return this.events.onAny(listener);
  }

  /**
   * Starts our own PINGs. Answering the daemon's PINGs is always on; send ours only once
   * CONNECT_SUPPORTS_FEATURE said the daemon knows the keepalive program.
   */
  startKeepalive(): void {
    if (!this.closedError) this.keepalive.start();
  }

  /**
   * CONNECT_CLOSE, then end the transport. The reply is waited for at most closeTimeoutMs:
   * over exec tunnels it is often lost to EOF, which counts as success.
   */
  close(): Promise<void> {
    this.closePromise ??= this.doClose();
    return this.closePromise;
  }

  /** Drops the link at once, failing everything pending with `message`. */
  terminate(message = 'connection terminated'): void {
    this.shutdown(new TransportError(`${this.description}: ${message}`, 'closed'));
  }

  private async doClose(): Promise<void> {
    if (!this.closedError) {
      this.closingByClient = true;
      this.keepalive.stop();
      try {
        await this.enqueue(
          remoteProcedures.CONNECT_CLOSE,
          undefined,
          { timeoutMs: this.closeTimeoutMs, priority: true },
          null,
        );
      } catch (err) {
        this.logger.debug('CONNECT_CLOSE got no reply; closing anyway', err);
      }
    }
    this.shutdown(new TransportError(`${this.description}: connection closed`, 'closed'));
  }

  private enqueue(
    proc: ProcedureInfo<unknown, unknown>,
    args: unknown,
    options: CallOptions,
    stream: LibvirtStream | null,
  ): Promise<unknown> {
    if (this.closedError) return Promise.reject(this.closedError);
    if (this.closingByClient && proc !== remoteProcedures.CONNECT_CLOSE) {
      return Promise.reject(
        new TransportError(`${this.description}: connection is closing`, 'closed'),
      );
    }
    let body: Uint8Array;
    try {
      body = encodeArgs(proc, args);
    } catch (err) {
      return Promise.reject(err);
    }
    if (options.signal?.aborted) return Promise.reject(abortError(proc, options.signal));

    return new Promise((resolve, reject) => {
      const pc = new PendingCall(proc, body, stream, resolve, reject, options, (call, err) =>
        this.abandon(call, err),
      );
      this.queue.enqueue(pc, pc.priority);
      this.pump();
    });
  }

  /**
   * Timeout or abort. A call still queued is dropped; one already sent keeps its slot until
   * the reply comes, because the daemon still counts it against max_client_requests.
   */
  private abandon(pc: PendingCall, err: Error): void {
    if (pc.settled) return;
    if (pc.serial === null) this.queue.remove(pc);
    pc.settle(err);
    // The caller never saw the stream: end it quietly (the abort goes out once established).
    if (pc.stream && !pc.stream.destroyed) pc.stream.destroy();
  }

  private pump(): void {
    for (let pc = this.queue.next(); pc; pc = this.queue.next()) {
      if (this.closedError) return;
      this.send(pc);
    }
  }

  private send(pc: PendingCall): void {
    const serial = this.allocateSerial();
    let packet: Buffer;
    try {
      packet = encodePacket(headerFor(pc.proc, VirNetMessageType.VIR_NET_CALL, serial), pc.body);
    } catch (err) {
      this.queue.release();
      pc.stream?.markCallFailed(err as Error);
      pc.settle(err as Error);
      return;
    }
    pc.serial = serial;
    this.inFlight.set(serial, pc);
    if (pc.stream) this.streams.register(serial, pc.stream);
    this.write(packet);
  }

  private allocateSerial(): number {
    for (;;) {
      const serial = this.nextSerial;
      this.nextSerial = serial >= 0xffffffff ? 1 : serial + 1;
      if (!this.inFlight.has(serial) && !this.streams.has(serial)) return serial;
    }
  }

  private write(packet: Buffer): boolean {
    if (this.closedError) throw this.closedError;
    return this.transport.stream.write(packet);
  }

  private onData(chunk: Buffer): void {
    if (this.closedError) return;
    try {
      this.framer.push(chunk, (frame) => this.onFrame(frame));
    } catch (err) {
      const message = err instanceof Error ? err.message : 'unknown failure';
      this.shutdown(
        new TransportError(`${this.description}: protocol error: ${message}`, 'protocol', {
          cause: err,
        }),
      );
    }
  }

  private onFrame(frame: Buffer): void {
    if (this.closedError) return;
    const { header: h, payload } = decodePacket(frame);
    this.keepalive.received();
    switch (h.type) {
      case VirNetMessageType.VIR_NET_REPLY:
        this.onReply(h, payload);
        return;
      case VirNetMessageType.VIR_NET_MESSAGE:
        if (h.prog === KEEPALIVE_PROGRAM) this.onKeepalive(h);
        else this.events.dispatch(h, payload);
        return;
      case VirNetMessageType.VIR_NET_STREAM:
      case VirNetMessageType.VIR_NET_STREAM_HOLE: {
        const stream = this.streams.get(h.serial);
        if (stream) stream.handlePacket(h, payload);
        else this.logger.debug(`dropped stream packet for unknown serial ${h.serial}`);
        return;
      }
      default:
        // REPLY_WITH_FDS included: we never send fds, and Node cannot receive them.
        this.logger.warn(`dropped packet of unexpected type ${h.type} (serial ${h.serial})`);
    }
  }

  private onReply(h: PacketHeader, payload: Buffer): void {
    const pc = this.inFlight.get(h.serial);
    if (!pc) {
      this.logger.warn(`dropped reply for unknown serial ${h.serial} (procedure ${h.proc})`);
      return;
    }
    this.inFlight.delete(h.serial);
    this.queue.release();
    const outcome = decodeReply(pc.proc, h, payload);
    if (pc.stream) {
      if (outcome.err) pc.stream.markCallFailed(outcome.err);
      else pc.stream.markEstablished();
    }
    pc.settle(outcome.err, outcome.err ? undefined : outcome.value);
    this.pump();
  }

  private onKeepalive(h: PacketHeader): void {
    if (h.proc === keepaliveProcedures.PING.proc) this.sendKeepalive(keepaliveProcedures.PONG);
    // A PONG needs nothing: receiving it already counted as life.
  }

  private sendKeepalive(proc: ProcedureInfo<void, void>): void {
    if (this.closedError) return;
    this.write(encodePacket(headerFor(proc, VirNetMessageType.VIR_NET_MESSAGE, 0)));
  }

  private onEnd(): void {
    if (this.closedError) return;
    if (this.closingByClient) {
      this.shutdown(new TransportError(`${this.description}: connection closed`, 'closed'));
      return;
    }
    const partial = this.framer.pendingBytes;
    const detail =
      partial > 0 ? ` in the middle of a packet (${partial} bytes of it received)` : '';
    this.shutdown(
      new TransportError(`${this.description}: the daemon closed the connection${detail}`, 'eof'),
    );
  }

  private onTransportError(err: Error): void {
    const code = (err as NodeJS.ErrnoException).code;
    const why = describeSocketError(err);
    // A reset or broken pipe is the daemon (or the path to it) going away, not a local fault.
    if (code === 'ECONNRESET' || code === 'EPIPE') {
      this.shutdown(
        new TransportError(
          `${this.description}: the daemon closed the connection (${why})`,
          'eof',
          {
            cause: err,
          },
        ),
      );
      return;
    }
    this.shutdown(new TransportError(`${this.description}: ${why}`, 'io', { cause: err }));
  }

  private shutdown(err: TransportError): void {
    if (this.closedError) return;
    this.closedError = err;
    this.keepalive.stop();
    for (const pc of this.queue.drainWaiting()) pc.settle(err);
    for (const pc of this.inFlight.values()) {
      // A stream whose call never returned was never handed out: end it silently.
      pc.stream?.markCallFailed(err);
      pc.settle(err);
    }
    this.inFlight.clear();
    this.streams.failAll(err);
    // Late socket errors (EPIPE after we gave up) must not become uncaught exceptions.
    this.transport.stream.on('error', () => {});
    try {
      this.transport.close();
    } catch (closeErr) {
      this.logger.debug('transport close failed', closeErr);
    }
    this.emit('closed', err);
  }
}
