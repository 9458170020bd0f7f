import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LibvirtError, ProtocolError, TransportError } from '../../../../electron/libvirt/errors';
import { VIR_ERR_OPERATION_FAILED } from '../../../../electron/libvirt/protocol/constants.gen';
import {
  VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX,
  VirNetMessageStatus,
  VirNetMessageType,
  virNetMessageErrorCodec,
  virNetStreamHoleCodec,
} from '../../../../electron/libvirt/protocol/virnet.gen';
import type { LibvirtStream } from '../../../../electron/libvirt/rpc/libvirt-stream';
import { encodePacket, type Packet } from '../../../../electron/libvirt/rpc/packet';
import { RpcConnection } from '../../../../electron/libvirt/rpc/rpc-connection';
import { FakeDaemon, encode, remoteError } from './fake-daemon';
import { captureLog, testProc, uintCodec, type CapturedLog } from './test-procedures';

const { VIR_NET_OK: OK, VIR_NET_ERROR: ERROR, VIR_NET_CONTINUE: CONTINUE } = VirNetMessageStatus;
const download = testProc(10, 'low', 'read');
const upload = testProc(11, 'low', 'write');
const both = testProc(12, 'low', 'both');

let daemon: FakeDaemon;
let log: CapturedLog;
let conn: RpcConnection;

beforeEach(async () => {
  daemon = await FakeDaemon.start();
  log = captureLog();
  conn = new RpcConnection(daemon.transport, { logger: log });
});

afterEach(async () => {
  conn.terminate();
  await daemon.close();
});

/** Reply + stream packets in ONE write, as a daemon may send them. */
function replyThenStream(call: Packet, chunks: Uint8Array[]): void {
  const parts = [
    encodePacket(
      { ...call.header, type: VirNetMessageType.VIR_NET_REPLY, status: OK },
      encode(uintCodec, 0),
    ),
    ...chunks.map((c) =>
      encodePacket({ ...call.header, type: VirNetMessageType.VIR_NET_STREAM, status: CONTINUE }, c),
    ),
  ];
  daemon.sendRaw(Buffer.concat(parts));
}

async function readAll(stream: LibvirtStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

const errorPayload = (message: string): Uint8Array =>
  encode(virNetMessageErrorCodec, remoteError({ code: VIR_ERR_OPERATION_FAILED, message }));

describe('LibvirtStream download (read)', () => {
  it('keeps data that arrives with the reply, ends on zero-length CONTINUE, then finishes', async () => {
    const pending = conn.callWithStream(download, 1);
    const call = await daemon.next();
    const data = [Buffer.alloc(262120, 1), Buffer.from('hello'), Buffer.alloc(70000, 2)];
    replyThenStream(call, [...data, new Uint8Array(0)]);
    const { ret, stream } = await pending;
    expect(ret).toBe(0);
    expect((await readAll(stream)).equals(Buffer.concat(data))).toBe(true);
    const finish = await daemon.next();
    expect(finish.header).toEqual({
      ...call.header,
      type: VirNetMessageType.VIR_NET_STREAM,
      status: OK,
    });
    expect(finish.payload.length).toBe(0);
    daemon.stream(call, OK);
    await finished(stream);
    expect(stream.destroyed).toBe(true);
  });

  it('fails the stream with the daemon error on STREAM/ERROR', async () => {
    const pending = conn.callWithStream(download, 1);
    const call = await daemon.next();
    replyThenStream(call, [Buffer.from('partial')]);
    const { stream } = await pending;
    daemon.stream(call, ERROR, errorPayload('disk read failed'));
    const err = await readAll(stream).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect(err).toMatchObject({
      message: 'disk read failed',
      codeName: 'VIR_ERR_OPERATION_FAILED',
    });
    // No abort is sent for a stream the daemon already failed.
    await expect(daemon.next(150)).rejects.toThrow(/no packet/);
  });

  it('treats a hole on a non-sparse stream as a protocol error and aborts', async () => {
    const pending = conn.callWithStream(download, 1);
    const call = await daemon.next();
    replyThenStream(call, []);
    const { stream } = await pending;
    const errored = once(stream, 'error');
    daemon.send(
      { ...call.header, type: VirNetMessageType.VIR_NET_STREAM_HOLE, status: CONTINUE },
      encode(virNetStreamHoleCodec, { length: 4096n, flags: 0 }),
    );
    const [err] = (await errored) as [Error];
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.message).toMatch(/unexpected stream hole/);
    const abort = await daemon.next();
    expect([abort.header.type, abort.header.status, abort.payload.length]).toEqual([
      VirNetMessageType.VIR_NET_STREAM,
      ERROR,
      0,
    ]);
  });

  it('delivers holes in order with data on a sparse stream', async () => {
    const pending = conn.callWithStream(download, 1, { sparse: true });
    const call = await daemon.next();
    replyThenStream(call, [Buffer.from('ab')]);
    const { stream } = await pending;
    daemon.send(
      { ...call.header, type: VirNetMessageType.VIR_NET_STREAM_HOLE, status: CONTINUE },
      encode(virNetStreamHoleCodec, { length: 1n << 40n, flags: 0 }),
    );
    daemon.stream(call, CONTINUE, Buffer.from('cd'));
    daemon.stream(call, CONTINUE, new Uint8Array(0));
    const items: unknown[] = [];
    for await (const item of stream) items.push(item);
    expect(items).toEqual([Buffer.from('ab'), { hole: 1n << 40n, flags: 0 }, Buffer.from('cd')]);
  });

  it('pauses reading the socket while the consumer is not reading, loses nothing', async () => {
    const pending = conn.callWithStream(download, 1);
    const call = await daemon.next();
    const chunk = Buffer.alloc(200_000, 7);
    replyThenStream(call, []);
    const { stream } = await pending;
    for (let i = 0; i < 40; i++) daemon.stream(call, CONTINUE, chunk);
    daemon.stream(call, CONTINUE, new Uint8Array(0));
    await expect.poll(() => daemon.transport.stream.isPaused()).toBe(true);
    const all = await readAll(stream);
    expect(all.length).toBe(40 * chunk.length);
    expect(daemon.transport.stream.isPaused()).toBe(false);
  });
});

describe('LibvirtStream upload (write)', () => {
  it('sends chunks of at most 262120 bytes, finishes on end() and completes on the confirm', async () => {
    const pending = conn.callWithStream(upload, 1);
    const call = await daemon.next();
    daemon.reply(call, uintCodec, 0);
    const { stream } = await pending;
    const data = Buffer.alloc(600_000);
    for (let i = 0; i < data.length; i++) data[i] = i % 251;
    stream.write(Buffer.alloc(0)); // must not send a zero-length packet (that is EOF)
    stream.end(data);
    const received: Buffer[] = [];
    for (;;) {
      const p = await daemon.next();
      expect(p.header.serial).toBe(call.header.serial);
      expect(p.header.proc).toBe(call.header.proc);
      if (p.header.status === OK) break;
      expect(p.header.status).toBe(CONTINUE);
      expect(p.payload.length).toBeGreaterThan(0);
      expect(p.payload.length).toBeLessThanOrEqual(VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX);
      received.push(Buffer.from(p.payload));
    }
    expect(received.map((b) => b.length)).toEqual([262120, 262120, 75760]);
    expect(Buffer.concat(received).equals(data)).toBe(true);
    let done = false;
    const completion = finished(stream).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false); // waits for the daemon's confirm
    daemon.stream(call, OK);
    await completion;
  });

  it('fails end() when the daemon answers the finish with STREAM/ERROR', async () => {
    const pending = conn.callWithStream(upload, 1);
    const call = await daemon.next();
    daemon.reply(call, uintCodec, 0);
    const { stream } = await pending;
    stream.end(Buffer.from('data'));
    await daemon.next(); // data
    const fin = await daemon.next();
    expect(fin.header.status).toBe(OK);
    daemon.stream(call, ERROR, errorPayload('cannot flush volume'));
    await expect(finished(stream)).rejects.toMatchObject({
      name: 'LibvirtError',
      message: 'cannot flush volume',
    });
  });

  it('destroy() aborts with an empty STREAM/ERROR and the connection carries on', async () => {
    const pending = conn.callWithStream(upload, 1);
    const call = await daemon.next();
    daemon.reply(call, uintCodec, 0);
    const { stream } = await pending;
    stream.destroy();
    const abort = await daemon.next();
    expect(abort.header).toEqual({
      ...call.header,
      type: VirNetMessageType.VIR_NET_STREAM,
      status: ERROR,
    });
    expect(abort.payload.length).toBe(0);
    daemon.stream(call, OK); // abort confirmed
    const p = conn.call(testProc(1), 3);
    const c = await daemon.next();
    daemon.reply(c, uintCodec, 4);
    await expect(p).resolves.toBe(4);
    expect(log.warnings).toEqual([]);
  });
});

describe('LibvirtStream lifecycle', () => {
  it('fails an open stream promptly with a TransportError when the link drops', async () => {
    const pending = conn.callWithStream(both, 1);
    const call = await daemon.next();
    daemon.reply(call, uintCodec, 0);
    const { stream } = await pending;
    const errored = once(stream, 'error');
    daemon.end();
    const [err] = (await errored) as [TransportError];
    expect(err).toBeInstanceOf(TransportError);
    expect(err.reason).toBe('eof');
  });

  it('a failed stream call rejects with the daemon error and leaves no stream behind', async () => {
    const pending = conn.callWithStream(both, 1);
    const call = await daemon.next();
    daemon.replyError(call, { code: VIR_ERR_OPERATION_FAILED, message: 'no console' });
    await expect(pending).rejects.toMatchObject({ message: 'no console' });
    daemon.stream(call, CONTINUE, Buffer.from('stray'));
    const p = conn.call(testProc(1), 1);
    daemon.reply(await daemon.next(), uintCodec, 1);
    await expect(p).resolves.toBe(1);
  });

  it('aborts the daemon-side stream when its call timed out before the reply', async () => {
    const pending = conn.callWithStream(both, 1, { timeoutMs: 30 });
    const call = await daemon.next();
    await expect(pending).rejects.toMatchObject({ reason: 'timeout' });
    daemon.reply(call, uintCodec, 0); // late: the daemon opened the stream
    const abort = await daemon.next();
    expect([abort.header.serial, abort.header.type, abort.header.status]).toEqual([
      call.header.serial,
      VirNetMessageType.VIR_NET_STREAM,
      ERROR,
    ]);
  });

  it('bidirectional: data flows both ways, daemon EOF leads to our finish', async () => {
    const pending = conn.callWithStream(both, 1);
    const call = await daemon.next();
    daemon.reply(call, uintCodec, 0);
    const { stream } = await pending;
    stream.write('\r');
    const typed = await daemon.next();
    expect(typed.payload.toString()).toBe('\r');
    daemon.stream(call, CONTINUE, Buffer.from('login: '));
    daemon.stream(call, CONTINUE, new Uint8Array(0));
    expect((await readAll(stream)).toString()).toBe('login: ');
    const fin = await daemon.next();
    expect(fin.header.status).toBe(OK);
    daemon.stream(call, OK);
    await finished(stream);
  });
});
