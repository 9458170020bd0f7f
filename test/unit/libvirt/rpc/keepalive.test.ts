import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransportError } from '../../../../electron/libvirt/errors';
import {
  KEEPALIVE_PROGRAM,
  keepaliveProcedures,
} from '../../../../electron/libvirt/protocol/keepalive.gen';
import {
  VirNetMessageStatus,
  VirNetMessageType,
} from '../../../../electron/libvirt/protocol/virnet.gen';
import { RpcConnection } from '../../../../electron/libvirt/rpc/rpc-connection';
import { FakeDaemon } from './fake-daemon';
import { captureLog, testProc, uintCodec } from './test-procedures';

const keepaliveHeader = (proc: number) => ({
  prog: KEEPALIVE_PROGRAM,
  vers: 1,
  proc,
  type: VirNetMessageType.VIR_NET_MESSAGE,
  serial: 0,
  status: VirNetMessageStatus.VIR_NET_OK,
});

let daemon: FakeDaemon;

beforeEach(async () => {
  daemon = await FakeDaemon.start();
});

afterEach(async () => {
  await daemon.close();
});

describe('keepalive', () => {
  it('answers a daemon PING with a PONG at once, even before our own keepalive starts', async () => {
    const conn = new RpcConnection(daemon.transport, { logger: captureLog() });
    daemon.send(keepaliveHeader(keepaliveProcedures.PING.proc));
    const pong = await daemon.next(500);
    expect(pong.header).toEqual(keepaliveHeader(keepaliveProcedures.PONG.proc));
    expect(pong.payload.length).toBe(0);
    conn.terminate();
  });

  it('sends no PING of its own until startKeepalive()', async () => {
    const conn = new RpcConnection(daemon.transport, {
      logger: captureLog(),
      keepaliveIntervalMs: 30,
      keepaliveCount: 2,
    });
    await expect(daemon.next(150)).rejects.toThrow(/no packet/);
    expect(conn.closed).toBe(false);
    conn.terminate();
  });

  it('PINGs after an idle interval and declares a silent peer dead after interval × count', async () => {
    const conn = new RpcConnection(daemon.transport, {
      logger: captureLog(),
      keepaliveIntervalMs: 60,
      keepaliveCount: 3,
    });
    const closed = new Promise<TransportError>((resolve) => conn.once('closed', resolve));
    const pending = conn.call(testProc(1), 1);
    await daemon.next(); // the call; never answered
    const t0 = performance.now();
    conn.startKeepalive();
    const ping1 = await daemon.next(500);
    const ping2 = await daemon.next(500);
    expect(ping1.header).toEqual(keepaliveHeader(keepaliveProcedures.PING.proc));
    expect(ping2.header.proc).toBe(keepaliveProcedures.PING.proc);
    const reason = await closed;
    const elapsed = performance.now() - t0;
    expect(reason.reason).toBe('keepalive');
    expect(reason.message).toMatch(/no answer from the daemon .*keepalive.*dead/);
    expect(elapsed).toBeGreaterThanOrEqual(170);
    expect(elapsed).toBeLessThan(600);
    await expect(pending).rejects.toMatchObject({ reason: 'keepalive' });
    await daemon.waitForClientEnd();
  });

  it('stays alive while the peer answers PINGs, and any packet counts as life', async () => {
    const conn = new RpcConnection(daemon.transport, {
      logger: captureLog(),
      keepaliveIntervalMs: 40,
      keepaliveCount: 2,
    });
    conn.startKeepalive();
    let pings = 0;
    const until = performance.now() + 500;
    while (performance.now() < until) {
      const p = await daemon.next(500);
      expect(p.header.proc).toBe(keepaliveProcedures.PING.proc);
      pings++;
      // Alternate: a PONG, then an unrelated reply-less event-like packet (a daemon PING).
      daemon.send(
        keepaliveHeader(pings % 2 ? keepaliveProcedures.PONG.proc : keepaliveProcedures.PING.proc),
      );
      if (pings % 2 === 0) {
        const pong = await daemon.next(500);
        expect(pong.header.proc).toBe(keepaliveProcedures.PONG.proc);
      }
    }
    expect(pings).toBeGreaterThanOrEqual(4);
    expect(conn.closed).toBe(false);
    const p = conn.call(testProc(1), 7);
    let call = await daemon.next();
    while (call.header.prog === KEEPALIVE_PROGRAM) call = await daemon.next();
    daemon.reply(call, uintCodec, 8);
    await expect(p).resolves.toBe(8);
    conn.terminate();
  });

  it('does not PING while traffic keeps flowing', async () => {
    const conn = new RpcConnection(daemon.transport, {
      logger: captureLog(),
      keepaliveIntervalMs: 80,
      keepaliveCount: 2,
    });
    conn.startKeepalive();
    const until = performance.now() + 400;
    while (performance.now() < until) {
      const p = conn.call(testProc(1), 1);
      const c = await daemon.next();
      expect(c.header.prog).not.toBe(KEEPALIVE_PROGRAM);
      await new Promise((r) => setTimeout(r, 20));
      daemon.reply(c, uintCodec, 1);
      await p;
    }
    conn.terminate();
  });
});
