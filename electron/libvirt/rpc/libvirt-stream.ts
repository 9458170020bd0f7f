import { Duplex } from 'node:stream';
import { XdrWriter } from '../xdr';
import {
  VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX,
  VirNetMessageStatus,
  VirNetMessageType,
  virNetMessageErrorCodec,
  virNetStreamHoleCodec,
} from '../protocol/virnet.gen';
import { LibvirtError, ProtocolError, TransportError } from '../errors';
import { payloadReader, type PacketHeader } from './packet';
import type { ProcedureInfo } from './procedure';
import type { RpcLogger } from './rpc-logger';

/** A hole in a sparse stream (only on calls made with `sparse: true`). */
export interface StreamHole {
  readonly hole: bigint;
  readonly flags: number;
}

/** What a stream needs from its connection; implemented by StreamRegistry. */
export interface StreamPort {
  readonly logger: RpcLogger;
  /** Writes one STREAM/STREAM_HOLE packet for the stream's serial; false = wait for drain. */
  sendStreamPacket(
    stream: LibvirtStream,
    type: number,
    status: number,
    payload?: Uint8Array,
  ): boolean;
  waitForDrain(): Promise<void>;
  /** Stops/starts reading the socket for this stream's sake (our only backpressure). */
  setReadPaused(stream: LibvirtStream, paused: boolean): void;
  /** The stream is finished on both sides; forget its serial. */
  release(stream: LibvirtStream): void;
}

export interface LibvirtStreamOptions {
  /** The call that opened the stream: its program and procedure go into every packet. */
  procedure: ProcedureInfo<unknown, unknown>;
  sparse: boolean;
}

/**
 * A libvirt stream as a Node Duplex. Data travels in STREAM packets carrying the serial of
 * the call that opened it. Reading: CONTINUE chunks, a zero-length CONTINUE is EOF.
 * Writing: CONTINUE chunks of at most VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX bytes. `end()`
 * sends STREAM/OK (finish) and completes when the daemon confirms with STREAM/OK, or fails
 * with its STREAM/ERROR. `destroy()` sends STREAM/ERROR without payload (abort).
 * Sparse streams (calls made with `sparse: true`) are in object mode: they read and write
 * Buffers and StreamHoles.
 */
export class LibvirtStream extends Duplex {
  serial: number | null = null;
  private established = false;
  private remoteEof = false;
  private finishSent = false;
  private abortSent = false;
  /** The daemon confirmed finish/abort, reported an error, or the link is gone. */
  private completed = false;
  private completionError: Error | null = null;
  private finishWaiter: ((err: Error | null) => void) | null = null;
  private readPaused = false;
  private exposed = false;
  private deferredError: Error | null = null;

  constructor(
    private readonly port: StreamPort,
    private readonly options: LibvirtStreamOptions,
  ) {
    // Sparse streams carry holes between data, in order: both sides switch to object mode.
    super({ objectMode: options.sparse, allowHalfOpen: true });
  }

  get procedure(): ProcedureInfo<unknown, unknown> {
    return this.options.procedure;
  }

  get sparse(): boolean {
    return this.options.sparse;
  }

  private get procName(): string {
    return this.options.procedure.name;
  }

  /** The call's REPLY was OK: the daemon-side stream exists now. */
  markEstablished(): void {
    this.established = true;
    // Destroyed while the call was in flight: the abort could not be sent before now.
    if (this.destroyed && !this.completed) this.sendAbort();
  }

  /** The call failed, so the daemon never created the stream. */
  markCallFailed(err: Error): void {
    this.complete(err);
    if (!this.destroyed) this.destroy();
  }

  /** The connection is gone: fail at once, nothing can be sent any more. */
  failTransport(err: TransportError): void {
    if (this.completed) return;
    this.complete(err);
    this.failWith(err);
  }

  /**
   * The stream is in the caller's hands from now on. Until then, errors wait: a failure in
   * the same chunk as the reply would otherwise be emitted (on nextTick) before the
   * caller's `await` continuation could attach an 'error' listener, and crash the process.
   */
  markExposed(): void {
    setImmediate(() => {
      this.exposed = true;
      const err = this.deferredError;
      this.deferredError = null;
      if (err && !this.destroyed) this.destroy(err);
    });
  }

  private failWith(err: Error): void {
    if (this.destroyed) return;
    if (this.exposed) this.destroy(err);
    else this.deferredError ??= err;
  }

  handlePacket(header: PacketHeader, payload: Buffer): void {
    if (this.completed) return;
    if (!this.established) {
      // The daemon sends stream packets only after the REPLY that opened the stream.
      this.port.logger.warn(`${this.procName}: dropped stream packet that came before the reply`);
      return;
    }
    if (header.type === VirNetMessageType.VIR_NET_STREAM_HOLE) {
      this.handleHole(payload);
      return;
    }
    switch (header.status) {
      case VirNetMessageStatus.VIR_NET_CONTINUE:
        this.handleData(payload);
        return;
      case VirNetMessageStatus.VIR_NET_OK:
        if (!this.finishSent && !this.abortSent) {
          // libvirt's own client drops the connection here; a lenient end is safer.
          this.port.logger.warn(`${this.procName}: unexpected stream finish from daemon`);
        }
        if (!this.remoteEof && !this.destroyed) this.push(null);
        this.remoteEof = true;
        this.complete(null);
        // The daemon is done with this stream: close our writing side too.
        if (!this.writableEnded && !this.destroyed) this.end();
        return;
      case VirNetMessageStatus.VIR_NET_ERROR: {
        const err = this.decodeError(payload);
        this.complete(err);
        if (this.abortSent) {
          this.port.logger.debug(`${this.procName}: abort answered with error`, err);
        } else {
          this.failWith(err);
        }
        return;
      }
      default:
        this.fail(new ProtocolError(`stream packet with unknown status ${header.status}`));
    }
  }

  private handleData(payload: Buffer): void {
    if (this.destroyed || this.abortSent) return; // aborting: drop data still in flight
    if (this.remoteEof) {
      this.fail(new ProtocolError(`${this.procName}: stream data after end of stream`));
      return;
    }
    if (payload.length === 0) {
      this.remoteEof = true;
      // No more data will come for this stream, and the daemon's finish confirm must be read:
      // if backpressure paused the socket, _read() may never run again once the readable side
      // has ended, so un-pause here or the confirm (and every other reply) stalls for good.
      if (this.readPaused) {
        this.readPaused = false;
        this.port.setReadPaused(this, false);
      }
      this.push(null);
      // libvirt's protocol: the reader answers EOF with finish and waits for the confirm.
      if (!this.writableEnded) this.end();
      return;
    }
    if (!this.push(payload) && !this.readPaused) {
      this.readPaused = true;
      this.port.setReadPaused(this, true);
    }
  }

  private handleHole(payload: Buffer): void {
    if (this.destroyed || this.abortSent) return;
    if (!this.options.sparse) {
      this.fail(new ProtocolError(`${this.procName}: unexpected stream hole`));
      return;
    }
    if (this.remoteEof) {
      this.fail(new ProtocolError(`${this.procName}: stream hole after end of stream`));
      return;
    }
    let hole: StreamHole;
    try {
      const h = virNetStreamHoleCodec.decode(payloadReader(payload));
      hole = { hole: h.length, flags: h.flags };
    } catch (err) {
      this.fail(new ProtocolError(`${this.procName}: undecodable stream hole`, { cause: err }));
      return;
    }
    if (!this.push(hole) && !this.readPaused) {
      this.readPaused = true;
      this.port.setReadPaused(this, true);
    }
  }

  override _read(): void {
    if (this.readPaused) {
      this.readPaused = false;
      this.port.setReadPaused(this, false);
    }
  }

  override _write(
    chunk: Buffer | string | StreamHole,
    encoding: BufferEncoding,
    callback: (err?: Error | null) => void,
  ): void {
    const sent =
      typeof chunk === 'string'
        ? this.sendData(Buffer.from(chunk, encoding))
        : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array
          ? this.sendData(chunk)
          : this.sendHole(chunk);
    sent.then(() => callback(), callback);
  }

  private async sendHole(hole: StreamHole): Promise<void> {
    if (!this.options.sparse || typeof hole?.hole !== 'bigint') {
      throw new TypeError(`${this.procName}: write Buffers, or StreamHoles on sparse streams`);
    }
    this.assertWritable();
    const w = new XdrWriter(16);
    virNetStreamHoleCodec.encode(w, { length: hole.hole, flags: hole.flags });
    const ok = this.port.sendStreamPacket(
      this,
      VirNetMessageType.VIR_NET_STREAM_HOLE,
      VirNetMessageStatus.VIR_NET_CONTINUE,
      w.bytes(),
    );
    if (!ok) await this.port.waitForDrain();
  }

  private async sendData(chunk: Uint8Array): Promise<void> {
    // A zero-length CONTINUE means EOF on the wire, so empty writes must send nothing.
    for (let pos = 0; pos < chunk.length; pos += VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX) {
      this.assertWritable();
      const slice = chunk.subarray(pos, pos + VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX);
      const ok = this.port.sendStreamPacket(
        this,
        VirNetMessageType.VIR_NET_STREAM,
        VirNetMessageStatus.VIR_NET_CONTINUE,
        slice,
      );
      if (!ok) await this.port.waitForDrain();
    }
  }

  private assertWritable(): void {
    if (this.completed) {
      throw (
        this.completionError ??
        new TransportError(`${this.procName}: stream already finished`, 'closed')
      );
    }
    if (this.finishSent) {
      throw new TransportError(`${this.procName}: stream already finished`, 'closed');
    }
  }

  override _final(callback: (err?: Error | null) => void): void {
    if (this.completed) {
      callback(this.completionError);
      return;
    }
    this.finishWaiter = (err) => callback(err);
    this.finishSent = true;
    try {
      this.port.sendStreamPacket(
        this,
        VirNetMessageType.VIR_NET_STREAM,
        VirNetMessageStatus.VIR_NET_OK,
      );
    } catch (err) {
      this.complete(err as Error);
    }
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    if (this.readPaused) {
      this.readPaused = false;
      this.port.setReadPaused(this, false);
    }
    // Not yet established: markEstablished() sends the abort once the reply arrives.
    if (!this.completed && this.established) this.sendAbort();
    callback(err);
  }

  private sendAbort(): void {
    if (this.abortSent || this.completed) return;
    this.abortSent = true;
    try {
      this.port.sendStreamPacket(
        this,
        VirNetMessageType.VIR_NET_STREAM,
        VirNetMessageStatus.VIR_NET_ERROR,
      );
    } catch (err) {
      // The link is gone, which ends the daemon-side stream as well.
      this.complete(err as Error);
    }
  }

  private fail(err: ProtocolError): void {
    this.port.logger.warn(err.message);
    // Stop the daemon sending more at once, even while the error itself waits.
    if (this.established) this.sendAbort();
    this.failWith(err);
  }

  private complete(err: Error | null): void {
    if (this.completed) return;
    this.completed = true;
    this.completionError = err;
    this.port.release(this);
    const waiter = this.finishWaiter;
    this.finishWaiter = null;
    waiter?.(err);
  }

  private decodeError(payload: Buffer): Error {
    try {
      return LibvirtError.fromRemote(virNetMessageErrorCodec.decode(payloadReader(payload)));
    } catch (err) {
      return new ProtocolError(`${this.procName}: undecodable stream error`, { cause: err });
    }
  }
}
