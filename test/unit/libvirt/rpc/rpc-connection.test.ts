import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { XdrReader } from '../../../../electron/libvirt/xdr';
import {
  LibvirtError,
  TransportError,
  isUnsupportedProcedure,
} from '../../../../electron/libvirt/errors';
import {
  VIR_ERR_NO_DOMAIN,
  VIR_ERR_RPC,
  VIR_FROM_QEMU,
  VIR_FROM_RPC,
} from '../../../../electron/libvirt/protocol/constants.gen';
import {
  VirNetMessageStatus,
  VirNetMessageType,
} from '../../../../electron/libvirt/protocol/virnet.gen';
import {
  REMOTE_PROGRAM,
  remoteEvents,
  remoteProcedures,
} from '../../../../electron/libvirt/protocol/remote.gen';
import { RpcConnection } from '../../../../electron/libvirt/rpc/rpc-connection';
import { FakeDaemon, encode } from './fake-daemon';
import { captureLog, testProc, uintCodec, type CapturedLog } from './test-procedures';

let daemon: FakeDaemon;
let log: CapturedLog;
let conn: RpcConnection;

beforeEach(async () => {
  daemon = await FakeDaemon.start();
  log = captureLog();
  conn = new RpcConnection(daemon.transport, { logger: log, closeTimeoutMs: 300 });
});

afterEach(async () => {
  conn.terminate();
  await daemon.close();
});

const argOf = (p: { payload: Buffer }): number => new XdrReader(p.payload).uint();

describe('RpcConnection calls', () => {
  it('encodes the CALL header and decodes the reply', async () => {
    const pending = conn.call(remoteProcedures.CONNECT_GET_URI, undefined);
    const call = await daemon.next();
    expect(call.header).toMatchObject({
      prog: REMOTE_PROGRAM,
      vers: 1,
      proc: remoteProcedures.CONNECT_GET_URI.proc,
      type: VirNetMessageType.VIR_NET_CALL,
      status: VirNetMessageStatus.VIR_NET_OK,
    });
    expect(call.payload.length).toBe(0);
    daemon.reply(call, remoteProcedures.CONNECT_GET_URI.ret, { uri: 'test:///default' });
    await expect(pending).resolves.toEqual({ uri: 'test:///default' });
  });

  it('matches out-of-order replies by serial', async () => {
    const proc = testProc(1);
    const results = [10, 20, 30].map((n) => conn.call(proc, n));
    const calls = [await daemon.next(), await daemon.next(), await daemon.next()];
    expect(new Set(calls.map((c) => c.header.serial)).size).toBe(3);
    for (const c of [...calls].reverse()) daemon.reply(c, uintCodec, argOf(c) + 1);
    await expect(Promise.all(results)).resolves.toEqual([11, 21, 31]);
  });

  it('keeps at most 4 calls in flight and sends the next one as a reply frees a slot', async () => {
    const proc = testProc(1);
    const results = Array.from({ length: 10 }, (_, i) => conn.call(proc, i));
    const first = await Promise.all([1, 2, 3, 4].map(() => daemon.next()));
    await expect(daemon.next(150)).rejects.toThrow(/no packet/);
    daemon.reply(first[2]!, uintCodec, 2);
    const fifth = await daemon.next();
    expect(argOf(fifth)).toBe(4);
    await expect(daemon.next(150)).rejects.toThrow(/no packet/);
    // Answer everything as it arrives: all ten complete, never more than four outstanding.
    const outstanding = [first[0]!, first[1]!, first[3]!, fifth];
    let answered = 1;
    while (answered < 10) {
      const c = outstanding.shift()!;
      daemon.reply(c, uintCodec, argOf(c));
      answered++;
      if (answered <= 6) outstanding.push(await daemon.next());
      expect(outstanding.length).toBeLessThanOrEqual(4);
    }
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('lets priority calls overtake queued calls', async () => {
    const low = testProc(1, 'low');
    const high = testProc(2, 'high');
    const lows = Array.from({ length: 6 }, (_, i) => conn.call(low, i));
    const started = await Promise.all([1, 2, 3, 4].map(() => daemon.next()));
    const urgent = conn.call(high, 99);
    const alsoUrgent = conn.call(low, 98, { priority: true });
    daemon.reply(started[0]!, uintCodec, 0);
    const next = await daemon.next();
    expect([next.header.proc, argOf(next)]).toEqual([2, 99]);
    daemon.reply(started[1]!, uintCodec, 1);
    expect(argOf(await daemon.next())).toBe(98);
    daemon.reply(next, uintCodec, 99);
    await expect(urgent).resolves.toBe(99);
    expect(argOf(await daemon.next())).toBe(4);
    // Left unanswered: they fail when the test tears the connection down.
    for (const p of [...lows, alsoUrgent]) p.catch(() => {});
  });

  it('turns REPLY/ERROR into a LibvirtError with every field and the code name', async () => {
    const pending = conn.call(remoteProcedures.DOMAIN_LOOKUP_BY_NAME, { name: 'no-such-vm' });
    const call = await daemon.next();
    daemon.replyError(call, {
      code: VIR_ERR_NO_DOMAIN,
      domain: VIR_FROM_QEMU,
      message: "Domain not found: no domain with matching name 'no-such-vm'",
      str1: 'Domain not found: %s',
      int1: 7,
    });
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect(err).toMatchObject({
      libvirt: true,
      code: VIR_ERR_NO_DOMAIN,
      codeName: 'VIR_ERR_NO_DOMAIN',
      domain: VIR_FROM_QEMU,
      domainName: 'VIR_FROM_QEMU',
      level: 2,
      message: "Domain not found: no domain with matching name 'no-such-vm'",
      str1: 'Domain not found: %s',
      str2: null,
      int1: 7,
    });
    expect(isUnsupportedProcedure(err)).toBe(false);
  });

  it('recognises an unknown procedure (older daemon) as unsupported', async () => {
    const pending = conn.call(testProc(5), 0);
    daemon.replyError(await daemon.next(), {
      code: VIR_ERR_RPC,
      domain: VIR_FROM_RPC,
      message: 'unknown procedure: 5',
    });
    const err = await pending.catch((e: unknown) => e);
    expect(isUnsupportedProcedure(err)).toBe(true);
    expect(isUnsupportedProcedure(new Error('unknown procedure: 5'))).toBe(false);
  });

  it('fails one call with a ProtocolError when its reply does not decode, and carries on', async () => {
    const bad = conn.call(remoteProcedures.CONNECT_GET_URI, undefined);
    daemon.reply(await daemon.next(), null, undefined); // empty payload: no string
    await expect(bad).rejects.toThrow(/REMOTE_PROC_CONNECT_GET_URI: undecodable reply/);
    const good = conn.call(testProc(1), 5);
    const c = await daemon.next();
    daemon.reply(c, uintCodec, 6);
    await expect(good).resolves.toBe(6);
  });

  it('drops replies for unknown serials with a warning', async () => {
    daemon.send({
      prog: REMOTE_PROGRAM,
      vers: 1,
      proc: 1,
      type: VirNetMessageType.VIR_NET_REPLY,
      serial: 4242,
      status: 0,
    });
    const p = conn.call(testProc(1), 1);
    const c = await daemon.next();
    daemon.reply(c, uintCodec, 2);
    await expect(p).resolves.toBe(2);
    expect(log.warnings.join('\n')).toMatch(/unknown serial 4242/);
  });

  it('refuses stream procedures in call() and plain ones in callWithStream()', async () => {
    await expect(conn.call(remoteProcedures.STORAGE_VOL_UPLOAD, null as never)).rejects.toThrow(
      /use callWithStream/,
    );
    await expect(conn.callWithStream(testProc(1), 0)).rejects.toThrow(/does not open a stream/);
    expect(daemon.bytesReceived).toBe(0);
  });
});

describe('RpcConnection timeouts and aborts', () => {
  it('times out a call that gets no reply, keeping its slot until the late reply', async () => {
    const proc = testProc(1);
    const slow = conn.call(proc, 1, { timeoutMs: 50 });
    const slowCall = await daemon.next();
    await expect(slow).rejects.toMatchObject({ name: 'TransportError', reason: 'timeout' });
    const others = [2, 3, 4, 5].map((n) => conn.call(proc, n));
    const sent = await Promise.all([1, 2, 3].map(() => daemon.next()));
    await expect(daemon.next(150)).rejects.toThrow(/no packet/); // the daemon still counts it
    daemon.reply(slowCall, uintCodec, 0); // late reply: dropped quietly, frees the slot
    const last = await daemon.next();
    for (const c of [...sent, last]) daemon.reply(c, uintCodec, argOf(c));
    await expect(Promise.all(others)).resolves.toEqual([2, 3, 4, 5]);
  });

  it('removes a queued call that times out without ever sending it', async () => {
    const proc = testProc(1);
    const busy = [1, 2, 3, 4].map((n) => conn.call(proc, n));
    const sent = await Promise.all([1, 2, 3, 4].map(() => daemon.next()));
    await expect(conn.call(proc, 5, { timeoutMs: 30 })).rejects.toMatchObject({
      reason: 'timeout',
    });
    for (const c of sent) daemon.reply(c, uintCodec, argOf(c));
    await Promise.all(busy);
    await expect(daemon.next(150)).rejects.toThrow(/no packet/);
  });

  it('aborts with an AbortSignal, before and after sending', async () => {
    const ac = new AbortController();
    ac.abort(new Error('user cancelled'));
    await expect(conn.call(testProc(1), 1, { signal: ac.signal })).rejects.toMatchObject({
      reason: 'aborted',
    });
    expect(daemon.bytesReceived).toBe(0);
    const ac2 = new AbortController();
    const p = conn.call(testProc(1), 2, { signal: ac2.signal });
    await daemon.next();
    ac2.abort();
    await expect(p).rejects.toMatchObject({ reason: 'aborted', message: 'TEST_PROC_1: aborted' });
  });
});

describe('RpcConnection link failures and close', () => {
  it('rejects every pending and queued call promptly with a TransportError on EOF', async () => {
    const closed = new Promise<TransportError>((resolve) => conn.once('closed', resolve));
    const calls = Array.from({ length: 6 }, (_, i) => conn.call(testProc(1), i));
    await Promise.all([1, 2, 3, 4].map(() => daemon.next()));
    const t0 = performance.now();
    daemon.end();
    const results = await Promise.allSettled(calls);
    expect(performance.now() - t0).toBeLessThan(500);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const err = (r as PromiseRejectedResult).reason as TransportError;
      expect(err).toBeInstanceOf(TransportError);
      expect(err.reason).toBe('eof');
      expect(err.message).toMatch(/the daemon closed the connection/);
    }
    expect((await closed).reason).toBe('eof');
    expect(conn.closed).toBe(true);
    await expect(conn.call(testProc(1), 9)).rejects.toBeInstanceOf(TransportError);
  });

  it('says when the daemon went away in the middle of a packet', async () => {
    const p = conn.call(testProc(1), 1);
    const c = await daemon.next();
    const reply = Buffer.alloc(40);
    reply.writeUInt32BE(40, 0);
    reply.writeUInt32BE(c.header.prog, 4);
    daemon.sendRaw(reply.subarray(0, 17));
    daemon.end();
    await expect(p).rejects.toThrow(/in the middle of a packet \(17 bytes of it received\)/);
  });

  it('drops the link on a bad length word and fails pending calls with the reason', async () => {
    const p = conn.call(testProc(1), 1);
    await daemon.next();
    daemon.sendRaw(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    const err = await p.catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TransportError', reason: 'protocol' });
    expect((err as Error).message).toMatch(/protocol error: packet length 4294967295 exceeds/);
    await daemon.waitForClientEnd();
  });

  it('close() sends CONNECT_CLOSE, waits for its reply and ends the transport', async () => {
    const closing = conn.close();
    const call = await daemon.next();
    expect(call.header.proc).toBe(remoteProcedures.CONNECT_CLOSE.proc);
    daemon.reply(call, null, undefined);
    await closing;
    expect(conn.closeReason?.reason).toBe('closed');
    await daemon.waitForClientEnd();
  });

  it('close() treats EOF after CONNECT_CLOSE as success (lost reply over exec tunnels)', async () => {
    const closing = conn.close();
    await daemon.next();
    const t0 = performance.now();
    daemon.end();
    await closing;
    expect(performance.now() - t0).toBeLessThan(200);
    expect(conn.closeReason?.reason).toBe('closed');
  });

  it('close() does not wait forever for a reply that never comes', async () => {
    const t0 = performance.now();
    await conn.close();
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1000);
    await daemon.waitForClientEnd();
  });

  it('rejects calls made while closing, and close() twice is one close', async () => {
    const a = conn.close();
    const b = conn.close();
    expect(a).toBe(b);
    await expect(conn.call(testProc(1), 1)).rejects.toThrow(/closing/);
    daemon.reply(await daemon.next(), null, undefined);
    await a;
  });
});

describe('RpcConnection events', () => {
  const lifecycle = remoteEvents.DOMAIN_EVENT_CALLBACK_LIFECYCLE;
  const msg = {
    callbackID: 28,
    msg: { dom: { name: 'tiny', uuid: new Uint8Array(16).fill(1), id: 1 }, event: 3, detail: 0 },
  };
  const eventHeader = {
    prog: REMOTE_PROGRAM,
    vers: 1,
    proc: lifecycle.proc,
    type: VirNetMessageType.VIR_NET_MESSAGE,
    serial: 0,
    status: VirNetMessageStatus.VIR_NET_OK,
  };

  it('routes MESSAGE packets to listeners by procedure, decoded', async () => {
    const got: unknown[] = [];
    const all: string[] = [];
    const off = conn.onEvent(lifecycle, (m) => got.push(m));
    conn.onAnyEvent((e) => all.push(e.info.name));
    daemon.send(eventHeader, encode(lifecycle.msg, msg));
    await expect.poll(() => got.length).toBe(1);
    expect(got[0]).toEqual(msg);
    expect(all).toEqual(['REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE']);
    off();
    daemon.send(eventHeader, encode(lifecycle.msg, msg));
    await expect.poll(() => all.length).toBe(2);
    expect(got).toHaveLength(1);
  });

  it('logs and drops an undecodable event without harming the connection', async () => {
    const got: unknown[] = [];
    conn.onEvent(lifecycle, (m) => got.push(m));
    daemon.send(eventHeader, new Uint8Array([0, 0, 0, 1]));
    const p = conn.call(testProc(1), 1);
    daemon.reply(await daemon.next(), uintCodec, 2);
    await expect(p).resolves.toBe(2);
    expect(got).toEqual([]);
    expect(log.warnings.join('\n')).toMatch(
      /dropped undecodable REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE/,
    );
  });

  it('survives a listener that throws', async () => {
    conn.onEvent(lifecycle, () => {
      throw new Error('listener bug');
    });
    const got: unknown[] = [];
    conn.onEvent(lifecycle, (m) => got.push(m));
    daemon.send(eventHeader, encode(lifecycle.msg, msg));
    await expect.poll(() => got.length).toBe(1);
    expect(log.warnings.join('\n')).toMatch(/listener threw/);
    expect(conn.closed).toBe(false);
  });
});
