import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EventSubscriptions,
  type EventLink,
} from '../../../../electron/libvirt/client/event-subscriptions';
import { LibvirtError } from '../../../../electron/libvirt/errors';
import type { DomainEvent } from '../../../../electron/libvirt/facade/events';
import {
  VIR_DOMAIN_EVENT_ID_LIFECYCLE,
  VIR_DOMAIN_EVENT_ID_REBOOT,
  VIR_DOMAIN_EVENT_STOPPED,
  VIR_DOMAIN_EVENT_STOPPED_DESTROYED,
  VIR_ERR_RPC,
  virDomainEventID,
} from '../../../../electron/libvirt/protocol/constants.gen';
import {
  REMOTE_PROGRAM,
  REMOTE_PROTOCOL_VERSION,
  RemoteClient,
  remoteEvents,
  remoteProcedures,
} from '../../../../electron/libvirt/protocol/remote.gen';
import {
  VirNetMessageStatus,
  VirNetMessageType,
} from '../../../../electron/libvirt/protocol/virnet.gen';
import type { EventInfo } from '../../../../electron/libvirt/rpc/procedure';
import { RpcConnection } from '../../../../electron/libvirt/rpc/rpc-connection';
import { XdrReader } from '../../../../electron/libvirt/xdr';
import { FakeDaemon, encode } from '../rpc/fake-daemon';
import { captureLog, type CapturedLog } from '../rpc/test-procedures';

const UUID = new Uint8Array(16).fill(0xab);
const dom = { name: 'web01', uuid: UUID, id: 3 };
const domRef = { name: 'web01', uuid: 'abababab-abab-abab-abab-abababababab', id: 3 };

let daemon: FakeDaemon;
let log: CapturedLog;
let link: EventLink;
let subs: EventSubscriptions;

function connect(d: FakeDaemon): EventLink {
  const connection = new RpcConnection(d.transport, { logger: log, closeTimeoutMs: 200 });
  return { connection, remote: new RemoteClient(connection) };
}

beforeEach(async () => {
  daemon = await FakeDaemon.start();
  log = captureLog();
  link = connect(daemon);
  subs = new EventSubscriptions(() => link, log);
});

afterEach(async () => {
  link.connection.terminate();
  await daemon.close();
});

function sendEvent<M>(d: FakeDaemon, info: EventInfo<M>, msg: M): void {
  d.send(
    {
      prog: REMOTE_PROGRAM,
      vers: REMOTE_PROTOCOL_VERSION,
      proc: info.proc,
      type: VirNetMessageType.VIR_NET_MESSAGE,
      serial: 0,
      status: VirNetMessageStatus.VIR_NET_OK,
    },
    encode(info.msg, msg),
  );
}

const lifecycle = (callbackID: number) => ({
  callbackID,
  msg: { dom, event: VIR_DOMAIN_EVENT_STOPPED, detail: VIR_DOMAIN_EVENT_STOPPED_DESTROYED },
});

/** The next CALL must be the domain register; returns its event ID. */
async function expectRegister(d: FakeDaemon) {
  const call = await d.next();
  expect(call.header.proc).toBe(remoteProcedures.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY.proc);
  const args = remoteProcedures.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY.args?.decode(
    new XdrReader(call.payload),
  );
  return { call, args };
}

function replyRegistered(d: FakeDaemon, call: Awaited<ReturnType<FakeDaemon['next']>>, id: number) {
  d.reply(call, remoteProcedures.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY.ret, {
    callbackID: id,
  });
}

async function expectDeregister(d: FakeDaemon): Promise<number> {
  const call = await d.next();
  expect(call.header.proc).toBe(remoteProcedures.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY.proc);
  d.reply(call, null, undefined);
  return new XdrReader(call.payload).int();
}

/** A round trip through the fake daemon: everything sent before it has been processed. */
async function flush(d: FakeDaemon, l: EventLink): Promise<void> {
  const pending = l.connection.call(remoteProcedures.CONNECT_GET_URI, undefined);
  const call = await d.next();
  d.reply(call, remoteProcedures.CONNECT_GET_URI.ret, { uri: 'test:///default' });
  await pending;
}

describe('EventSubscriptions', () => {
  it('registers one daemon callback per event ID, fans out, and deregisters with the last listener', async () => {
    const a: DomainEvent[] = [];
    const b: DomainEvent[] = [];
    const subA = subs.onDomainEvent((e) => a.push(e), { kinds: ['lifecycle'] });
    const subB = subs.onDomainEvent((e) => b.push(e), { kinds: ['lifecycle'] });
    const { call, args } = await expectRegister(daemon);
    expect(args).toEqual({ eventID: VIR_DOMAIN_EVENT_ID_LIFECYCLE, dom: null });
    replyRegistered(daemon, call, 7);
    await Promise.all([subA.ready, subB.ready]);
    expect(daemon.backlog).toBe(0); // no second register
    expect(subs.activeCallbacks).toBe(1);

    sendEvent(daemon, remoteEvents.DOMAIN_EVENT_CALLBACK_LIFECYCLE, lifecycle(7));
    // Another client's callback on the same connection: not ours.
    sendEvent(daemon, remoteEvents.DOMAIN_EVENT_CALLBACK_LIFECYCLE, lifecycle(99));
    await flush(daemon, link);
    const expected: DomainEvent = {
      kind: 'lifecycle',
      dom: domRef,
      event: VIR_DOMAIN_EVENT_STOPPED,
      eventName: 'stopped',
      detail: VIR_DOMAIN_EVENT_STOPPED_DESTROYED,
      detailName: 'destroyed',
    };
    expect(a).toEqual([expected]);
    expect(b).toEqual([expected]);

    subA();
    expect(subs.activeCallbacks).toBe(1);
    subB();
    expect(subs.activeCallbacks).toBe(0);
    expect(await expectDeregister(daemon)).toBe(7);
  });

  it('keeps events that beat the register reply and delivers them once registered', async () => {
    const got: DomainEvent[] = [];
    const sub = subs.onDomainEvent((e) => got.push(e), { kinds: ['lifecycle'] });
    const { call } = await expectRegister(daemon);
    sendEvent(daemon, remoteEvents.DOMAIN_EVENT_CALLBACK_LIFECYCLE, lifecycle(5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(got).toEqual([]);
    replyRegistered(daemon, call, 5);
    await sub.ready;
    expect(got.map((e) => e.kind)).toEqual(['lifecycle']);
  });

  it('deregisters a callback whose subscriber left while it was being registered', async () => {
    const sub = subs.onDomainEvent(() => {}, { kinds: ['reboot'] });
    const { call, args } = await expectRegister(daemon);
    expect(args?.eventID).toBe(VIR_DOMAIN_EVENT_ID_REBOOT);
    sub();
    replyRegistered(daemon, call, 11);
    await sub.ready;
    expect(await expectDeregister(daemon)).toBe(11);
    expect(subs.activeCallbacks).toBe(0);
  });

  it('a refused registration rejects `ready` with libvirt’s error; the next subscribe tries again', async () => {
    const sub = subs.onDomainEvent(() => {}, { kinds: ['lifecycle'] });
    const { call } = await expectRegister(daemon);
    daemon.replyError(call, { code: VIR_ERR_RPC, message: 'unknown procedure: 316' });
    await expect(sub.ready).rejects.toBeInstanceOf(LibvirtError);
    await expect(sub.ready).rejects.toMatchObject({ codeName: 'VIR_ERR_RPC' });
    expect(subs.activeCallbacks).toBe(0);
    sub(); // harmless

    const again = subs.onDomainEvent(() => {}, { kinds: ['lifecycle'] });
    const second = await expectRegister(daemon);
    replyRegistered(daemon, second.call, 1);
    await again.ready;
    expect(subs.activeCallbacks).toBe(1);
  });

  it('a throwing listener is logged and does not starve the others', async () => {
    const got: string[] = [];
    subs.onDomainEvent(
      () => {
        throw new Error('listener bug');
      },
      { kinds: ['lifecycle'] },
    );
    const sub = subs.onDomainEvent((e) => got.push(e.kind), { kinds: ['lifecycle'] });
    const { call } = await expectRegister(daemon);
    replyRegistered(daemon, call, 8);
    await sub.ready;
    sendEvent(daemon, remoteEvents.DOMAIN_EVENT_CALLBACK_LIFECYCLE, lifecycle(8));
    await flush(daemon, link);
    expect(got).toEqual(['lifecycle']);
    expect(log.warnings.some((w) => w.includes('listener threw'))).toBe(true);
  });

  it('subscribing to all kinds registers each domain event ID once', async () => {
    const sub = subs.onDomainEvent(() => {});
    const ids: number[] = [];
    while (ids.length < subs.activeCallbacks) {
      const { call, args } = await expectRegister(daemon);
      ids.push(args?.eventID ?? -1);
      replyRegistered(daemon, call, ids.length);
    }
    await sub.ready;
    expect(new Set(ids).size).toBe(ids.length);
    // Every libvirt 9.0 domain event ID except the two superseded ones (IO_ERROR, BLOCK_JOB).
    expect(ids.sort((x, y) => x - y)).toEqual(
      Object.entries(virDomainEventID)
        .filter(([k]) => !/_(LAST|IO_ERROR|BLOCK_JOB)$/.test(k))
        .map(([, v]) => v)
        .sort((x, y) => x - y),
    );
  });

  it('reattach() registers again on a new connection and ignores the old one', async () => {
    const got: DomainEvent[] = [];
    const sub = subs.onDomainEvent((e) => got.push(e), { kinds: ['lifecycle'] });
    const first = await expectRegister(daemon);
    replyRegistered(daemon, first.call, 7);
    await sub.ready;

    const second = await FakeDaemon.start();
    const oldLink = link;
    link = connect(second);
    try {
      // Subscribed between the swap and reattach(): registered once, on the new link only.
      const late = subs.onDomainEvent(() => {}, { kinds: ['reboot'] });
      const lateCall = await expectRegister(second);
      expect(lateCall.args?.eventID).toBe(VIR_DOMAIN_EVENT_ID_REBOOT);
      replyRegistered(second, lateCall.call, 41);
      await late.ready;

      const reattached = subs.reattach();
      const again = await expectRegister(second);
      expect(again.args).toEqual({ eventID: VIR_DOMAIN_EVENT_ID_LIFECYCLE, dom: null });
      replyRegistered(second, again.call, 42);
      await reattached;
      await flush(second, link);
      expect(second.backlog).toBe(0);
      expect(subs.activeCallbacks).toBe(2);

      sendEvent(daemon, remoteEvents.DOMAIN_EVENT_CALLBACK_LIFECYCLE, lifecycle(7));
      await flush(daemon, oldLink);
      expect(got).toEqual([]);
      sendEvent(second, remoteEvents.DOMAIN_EVENT_CALLBACK_LIFECYCLE, lifecycle(42));
      await flush(second, link);
      expect(got).toHaveLength(1);
    } finally {
      link.connection.terminate();
      oldLink.connection.terminate();
      await second.close();
    }
  });

  it('filters by domain UUID and refuses unknown kinds', async () => {
    const got: DomainEvent[] = [];
    const sub = subs.onDomainEvent((e) => got.push(e), {
      kinds: ['lifecycle'],
      dom: '11111111-2222-3333-4444-555555555555',
    });
    const { call } = await expectRegister(daemon);
    replyRegistered(daemon, call, 3);
    await sub.ready;
    sendEvent(daemon, remoteEvents.DOMAIN_EVENT_CALLBACK_LIFECYCLE, lifecycle(3));
    await flush(daemon, link);
    expect(got).toEqual([]);
    expect(() => subs.onNetworkEvent(() => {}, { kinds: ['reboot' as 'lifecycle'] })).toThrow(
      TypeError,
    );
  });
});
