import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { XdrReader } from '../../../../electron/libvirt/xdr';
import { LibvirtError, TransportError } from '../../../../electron/libvirt/errors';
import { openConnection } from '../../../../electron/libvirt/open-connection';
import {
  VIR_CONNECT_RO,
  VIR_ERR_INTERNAL_ERROR,
} from '../../../../electron/libvirt/protocol/constants.gen';
import { KEEPALIVE_PROGRAM } from '../../../../electron/libvirt/protocol/keepalive.gen';
import { RemoteAuthType, remoteProcedures } from '../../../../electron/libvirt/protocol/remote.gen';
import { DriverFeature } from '../../../../electron/libvirt/rpc/driver-feature';
import type { Packet } from '../../../../electron/libvirt/rpc/packet';
import { FakeDaemon } from './fake-daemon';
import { captureLog } from './test-procedures';

const P = remoteProcedures;
let daemon: FakeDaemon;

beforeEach(async () => {
  daemon = await FakeDaemon.start();
});
afterEach(async () => {
  await daemon.close();
});

const open = (uri: string, extra: Parameters<typeof openConnection>[1] = {}) =>
  openConnection(uri, {
    config: null,
    env: {},
    transport: daemon.transport,
    rpc: { logger: captureLog(), keepaliveIntervalMs: 40, keepaliveCount: 3 },
    ...extra,
  });

/** The next CALL, skipping our keepalive PINGs (answered, as a daemon does). */
async function nextCall(): Promise<Packet> {
  for (;;) {
    const p = await daemon.next();
    if (p.header.prog !== KEEPALIVE_PROGRAM) return p;
    daemon.send({ ...p.header, proc: 2 });
  }
}

async function expectCall(proc: { proc: number; name: string }): Promise<Packet> {
  const call = await nextCall();
  expect(call.header.proc, `expected ${proc.name}`).toBe(proc.proc);
  return call;
}

async function answerFeatures(supported: Record<number, number>): Promise<number[]> {
  const asked: number[] = [];
  for (let i = 0; i < 3; i++) {
    const call = await expectCall(P.CONNECT_SUPPORTS_FEATURE);
    const feature = new XdrReader(call.payload).int();
    asked.push(feature);
    daemon.reply(call, P.CONNECT_SUPPORTS_FEATURE.ret, { supported: supported[feature] ?? 0 });
  }
  return asked.sort((a, b) => a - b);
}

describe('openConnection handshake (libvirt’s doRemoteOpen order)', () => {
  it('AUTH_LIST, keepalive probe, CONNECT_OPEN with the driver URI, then feature probes', async () => {
    const opening = open('qemu+ssh://root@host/system?keyfile=/k&extra=1');
    daemon.reply(await expectCall(P.AUTH_LIST), P.AUTH_LIST.ret, {
      types: [RemoteAuthType.REMOTE_AUTH_NONE],
    });
    const ka = await expectCall(P.CONNECT_SUPPORTS_FEATURE);
    expect(new XdrReader(ka.payload).int()).toBe(DriverFeature.PROGRAM_KEEPALIVE);
    await expect(daemon.next(100)).rejects.toThrow(/no packet/); // no PING before we know
    daemon.reply(ka, P.CONNECT_SUPPORTS_FEATURE.ret, { supported: 1 });
    const openCall = await expectCall(P.CONNECT_OPEN);
    const args = P.CONNECT_OPEN.args!.decode(new XdrReader(openCall.payload));
    expect(args).toEqual({ name: 'qemu:///system?extra=1', flags: 0 });
    daemon.reply(openCall, null, undefined);
    const asked = await answerFeatures({
      [DriverFeature.REMOTE_EVENT_CALLBACK]: 1,
      [DriverFeature.TYPED_PARAM_STRING]: 1,
    });
    expect(asked).toEqual([
      DriverFeature.TYPED_PARAM_STRING,
      DriverFeature.REMOTE_EVENT_CALLBACK,
      DriverFeature.REMOTE_CLOSE_CALLBACK,
    ]);
    const conn = await opening;
    expect(conn.features).toEqual({
      keepalive: true,
      eventCallbacks: true,
      typedParamString: true,
      closeCallback: false,
    });
    expect(conn.driverUri).toBe('qemu:///system?extra=1');
    // Keepalive now runs: an idle connection PINGs.
    const ping = await daemon.next(500);
    expect(ping.header.prog).toBe(KEEPALIVE_PROGRAM);
    conn.rpc.terminate();
  });

  it('sends VIR_CONNECT_RO for read-only connections and no PINGs without keepalive', async () => {
    const opening = open('test:///default', { readOnly: true });
    daemon.reply(await expectCall(P.AUTH_LIST), P.AUTH_LIST.ret, { types: [] });
    daemon.reply(await expectCall(P.CONNECT_SUPPORTS_FEATURE), P.CONNECT_SUPPORTS_FEATURE.ret, {
      supported: 0,
    });
    const openCall = await expectCall(P.CONNECT_OPEN);
    expect(P.CONNECT_OPEN.args!.decode(new XdrReader(openCall.payload))).toEqual({
      name: 'test:///default',
      flags: VIR_CONNECT_RO,
    });
    daemon.reply(openCall, null, undefined);
    await answerFeatures({});
    const conn = await opening;
    expect(conn.readOnly).toBe(true);
    expect(conn.features.keepalive).toBe(false);
    await expect(daemon.next(200)).rejects.toThrow(/no packet/);
    conn.rpc.terminate();
  });

  it('does AUTH_POLKIT when the daemon offers polkit, and passes its error through', async () => {
    const opening = open('qemu:///system');
    daemon.reply(await expectCall(P.AUTH_LIST), P.AUTH_LIST.ret, {
      types: [RemoteAuthType.REMOTE_AUTH_POLKIT],
    });
    daemon.replyError(await expectCall(P.AUTH_POLKIT), {
      code: VIR_ERR_INTERNAL_ERROR,
      message: 'internal error: Unable to get system bus connection',
    });
    const err = await opening.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect((err as Error).message).toBe('internal error: Unable to get system bus connection');
    await daemon.waitForClientEnd();
  });

  it('refuses SASL with a clear error', async () => {
    const opening = open('qemu+tcp://127.0.0.1/system');
    daemon.reply(await expectCall(P.AUTH_LIST), P.AUTH_LIST.ret, {
      types: [RemoteAuthType.REMOTE_AUTH_SASL],
    });
    const err = await opening.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ reason: 'auth' });
    expect((err as Error).message).toMatch(
      /requires SASL authentication, which is not supported yet/,
    );
  });

  it('honours ?auth= and rejects a type the daemon does not offer', async () => {
    const opening = open('qemu:///system?auth=polkit');
    daemon.reply(await expectCall(P.AUTH_LIST), P.AUTH_LIST.ret, {
      types: [RemoteAuthType.REMOTE_AUTH_SASL],
    });
    await expect(opening).rejects.toThrow(
      /requested authentication type polkit rejected \(the daemon offers sasl\)/,
    );
  });

  it('closes with CONNECT_CLOSE when a step after CONNECT_OPEN fails', async () => {
    const opening = open('qemu:///system');
    daemon.reply(await expectCall(P.AUTH_LIST), P.AUTH_LIST.ret, { types: [0] });
    daemon.reply(await expectCall(P.CONNECT_SUPPORTS_FEATURE), P.CONNECT_SUPPORTS_FEATURE.ret, {
      supported: 0,
    });
    daemon.reply(await expectCall(P.CONNECT_OPEN), null, undefined);
    daemon.replyError(await expectCall(P.CONNECT_SUPPORTS_FEATURE), { code: 1, message: 'boom' });
    // The other two probes may or may not be answered; then CONNECT_CLOSE must come.
    for (;;) {
      const c = await nextCall();
      if (c.header.proc === P.CONNECT_CLOSE.proc) {
        daemon.reply(c, null, undefined);
        break;
      }
      daemon.reply(c, P.CONNECT_SUPPORTS_FEATURE.ret, { supported: 0 });
    }
    await expect(opening).rejects.toThrow('boom');
  });

  it('rejects bad URIs before touching the network', async () => {
    await expect(open('qemu://system')).rejects.toThrow(/maybe you want qemu:\/\/\/system/);
    expect(daemon.bytesReceived).toBe(0);
  });
});
