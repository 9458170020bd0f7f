import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XdrWriter } from '../../../../electron/libvirt/xdr';
import type { XdrCodec } from '../../../../electron/libvirt/xdr';
import {
  VirNetMessageStatus,
  VirNetMessageType,
  virNetMessageErrorCodec,
  type VirNetMessageError,
} from '../../../../electron/libvirt/protocol/virnet.gen';
import {
  decodePacket,
  encodePacket,
  type Packet,
  type PacketHeader,
} from '../../../../electron/libvirt/rpc/packet';
import { PacketFramer } from '../../../../electron/libvirt/rpc/packet-framer';
import type { Transport } from '../../../../electron/libvirt/transport/transport-types';

/**
 * A scripted libvirt daemon on a real unix socket, for protocol edge cases the real
 * daemon cannot be made to produce (lost replies, out-of-order replies, garbage, EOF
 * mid-packet). Tests read the packets the client sent and write exactly what they want.
 */
export class FakeDaemon {
  private readonly received: Packet[] = [];
  private readonly waiters: Array<(p: Packet) => void> = [];
  private readonly framer = new PacketFramer();
  /** Bytes received from the client, for tests that check what was (not) sent. */
  bytesReceived = 0;
  private eofWaiters: Array<() => void> = [];
  peerEnded = false;

  private constructor(
    private readonly server: Server,
    readonly socket: Socket,
    readonly transport: Transport,
    private readonly dir: string,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.bytesReceived += chunk.length;
      this.framer.push(chunk, (frame) => {
        const packet = decodePacket(Buffer.from(frame));
        const waiter = this.waiters.shift();
        if (waiter) waiter(packet);
        else this.received.push(packet);
      });
    });
    socket.on('end', () => {
      this.peerEnded = true;
      for (const w of this.eofWaiters.splice(0)) w();
    });
    socket.on('error', () => {});
  }

  static async start(): Promise<FakeDaemon> {
    const dir = mkdtempSync(join(tmpdir(), 'virtdeck-fake-daemon-'));
    const path = join(dir, 'sock');
    const server = createServer();
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const client = connect(path);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('error', reject);
    });
    const serverSide = await accepted;
    const transport: Transport = {
      stream: client,
      description: `fake:${path}`,
      close: () => client.destroy(),
    };
    return new FakeDaemon(server, serverSide, transport, dir);
  }

  /** The next packet the client sent (waits for it). */
  next(timeoutMs = 2000): Promise<Packet> {
    const ready = this.received.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(done);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`fake daemon: no packet from the client within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (p: Packet): void => {
        clearTimeout(timer);
        resolve(p);
      };
      this.waiters.push(done);
    });
  }

  /** Packets already received and not yet taken with next(). */
  get backlog(): number {
    return this.received.length;
  }

  waitForClientEnd(): Promise<void> {
    if (this.peerEnded) return Promise.resolve();
    return new Promise((resolve) => this.eofWaiters.push(resolve));
  }

  send(header: PacketHeader, payload?: Uint8Array): void {
    this.socket.write(encodePacket(header, payload));
  }

  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  reply<R>(call: Packet, codec: XdrCodec<R> | null, value: R): void {
    this.send(
      {
        ...call.header,
        type: VirNetMessageType.VIR_NET_REPLY,
        status: VirNetMessageStatus.VIR_NET_OK,
      },
      codec ? encode(codec, value) : undefined,
    );
  }

  replyError(
    call: Packet,
    error: Partial<VirNetMessageError> & { code: number; message: string },
  ): void {
    this.send(
      {
        ...call.header,
        type: VirNetMessageType.VIR_NET_REPLY,
        status: VirNetMessageStatus.VIR_NET_ERROR,
      },
      encode(virNetMessageErrorCodec, remoteError(error)),
    );
  }

  /** A STREAM packet for the stream opened by `call`. */
  stream(call: Packet, status: number, payload?: Uint8Array): void {
    this.send({ ...call.header, type: VirNetMessageType.VIR_NET_STREAM, status }, payload);
  }

  /** Ends our side (EOF to the client). */
  end(): void {
    this.socket.end();
  }

  async close(): Promise<void> {
    this.socket.destroy();
    this.transport.stream.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function encode<T>(codec: XdrCodec<T>, value: T): Uint8Array {
  const w = new XdrWriter();
  codec.encode(w, value);
  return w.bytes();
}

export function remoteError(
  e: Partial<VirNetMessageError> & { code: number; message: string },
): VirNetMessageError {
  return {
    domain: 0,
    level: 2,
    dom: null,
    str1: null,
    str2: null,
    str3: null,
    int1: 0,
    int2: 0,
    net: null,
    ...e,
  };
}
