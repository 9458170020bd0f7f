import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibvirtClient } from '../../../../electron/libvirt/client/libvirt-client';
import {
  domainDefineXml,
  domainLookup,
  domainSetMetadata,
  domainSuspend,
  domainResume,
  domainUndefine,
} from '../../../../electron/libvirt/facade/domain';
import type {
  DomainEvent,
  NetworkEvent,
  NodeDeviceEvent,
  StoragePoolEvent,
} from '../../../../electron/libvirt/facade/events';
import {
  networkDefineXml,
  networkDestroy,
  networkStart,
  networkUndefine,
} from '../../../../electron/libvirt/facade/network';
import { poolLookup, poolRefresh } from '../../../../electron/libvirt/facade/storage-pool';
import { Cleanup, daemon, eventually, openClient, uniqueName } from './facade-fixture';

// test:///default emits real events for its objects and keeps state while we are connected.
const { testUri } = daemon();
const cleanup = new Cleanup();
let c: LibvirtClient;

beforeAll(async () => {
  c = await openClient(testUri, cleanup);
});
afterAll(() => cleanup.run());

const lifecycleOf = (events: DomainEvent[]): string[] =>
  events.map((e) => (e.kind === 'lifecycle' ? `${e.eventName}/${e.detailName}` : e.kind));

describe('event subscriptions on test:///default', () => {
  it('one daemon callback per event kind, fanned out to every listener, dropped with the last', async () => {
    expect(c.events.activeCallbacks).toBe(0);
    const a: DomainEvent[] = [];
    const b: DomainEvent[] = [];
    const subA = c.events.onDomainEvent((e) => a.push(e), { kinds: ['lifecycle'] });
    const subB = c.events.onDomainEvent((e) => b.push(e), {
      kinds: ['lifecycle', 'metadata-change'],
    });
    await Promise.all([subA.ready, subB.ready]);
    expect(c.events.activeCallbacks).toBe(2);

    const test = await domainLookup(c, 'test');
    await domainSuspend(c, test);
    await domainResume(c, test);
    await domainSetMetadata(c, test, { type: 'title', value: 'evented' });
    await eventually('metadata event', () =>
      b.some((e) => e.kind === 'metadata-change') ? true : undefined,
    );
    expect(lifecycleOf(a)).toEqual(['suspended/paused', 'resumed/unpaused']);
    expect(lifecycleOf(b)).toEqual(['suspended/paused', 'resumed/unpaused', 'metadata-change']);
    expect(b.at(-1)).toEqual({
      kind: 'metadata-change',
      dom: test,
      type: 1,
      typeName: 'title',
      nsuri: null,
    });

    subA();
    expect(c.events.activeCallbacks).toBe(2);
    subB();
    subB(); // twice is harmless
    expect(c.events.activeCallbacks).toBe(0);
    await domainSuspend(c, test);
    await domainResume(c, test);
    // A round trip after the events were sent: nothing more reached the old listeners.
    await domainLookup(c, 'test');
    expect(a).toHaveLength(2);
  });

  it('filters by domain locally and rejects unknown kinds', async () => {
    const mine: DomainEvent[] = [];
    const name = uniqueName('vd-evdom');
    const uuid = randomUUID();
    const sub = c.events.onDomainEvent((e) => mine.push(e), { kinds: ['lifecycle'], dom: uuid });
    cleanup.add('unsubscribe', async () => sub());
    await sub.ready;
    const test = await domainLookup(c, 'test');
    await domainSuspend(c, test);
    await domainResume(c, test);
    const dom = await domainDefineXml(
      c,
      `<domain type='test'><name>${name}</name><uuid>${uuid}</uuid><memory>65536</memory><os><type>hvm</type></os></domain>`,
    );
    await domainUndefine(c, dom);
    await eventually('undefined event', () => (mine.length >= 2 ? true : undefined));
    expect(lifecycleOf(mine)).toEqual(['defined/added', 'undefined/removed']);
    expect(() => c.events.onDomainEvent(() => {}, { kinds: ['nope' as 'reboot'] })).toThrow(
      TypeError,
    );
  });

  it('network lifecycle events', async () => {
    const events: NetworkEvent[] = [];
    const sub = c.events.onNetworkEvent((e) => events.push(e));
    cleanup.add('unsubscribe network', async () => sub());
    await sub.ready;
    const name = uniqueName('vd-evnet');
    const net = await networkDefineXml(
      c,
      `<network><name>${name}</name><uuid>${randomUUID()}</uuid><bridge name='vdbrev0'/></network>`,
    );
    await networkStart(c, net);
    await networkDestroy(c, net);
    await networkUndefine(c, net);
    await eventually('network undefined', () => (events.length >= 4 ? true : undefined));
    expect(events.map((e) => `${e.eventName}:${e.net.name}`)).toEqual([
      `defined:${name}`,
      `started:${name}`,
      `stopped:${name}`,
      `undefined:${name}`,
    ]);
    expect(events[0]?.net).toEqual(net);
  });

  it('storage pool refresh and node device lifecycle events', async () => {
    const pools: StoragePoolEvent[] = [];
    const devices: NodeDeviceEvent[] = [];
    const subPool = c.events.onStoragePoolEvent((e) => pools.push(e), { kinds: ['refresh'] });
    const subDev = c.events.onNodeDeviceEvent((e) => devices.push(e));
    cleanup.add('unsubscribe pool/device', async () => {
      subPool();
      subDev();
    });
    await Promise.all([subPool.ready, subDev.ready]);

    const pool = await poolLookup(c, 'default-pool');
    await poolRefresh(c, pool);
    await eventually('pool refresh event', () => (pools.length > 0 ? true : undefined));
    expect(pools).toEqual([{ kind: 'refresh', pool }]);

    // The test driver can create a virtual HBA under its scsi_host1.
    const { dev } = await c.remote.nodeDeviceCreateXml({
      xml_desc:
        "<device><parent>scsi_host1</parent><capability type='scsi_host'><capability type='fc_host'>" +
        '<wwnn>2000000012341234</wwnn><wwpn>1000000012341234</wwpn></capability></capability></device>',
      flags: 0,
    });
    await c.remote.nodeDeviceDestroy({ name: dev.name });
    await eventually('device deleted event', () => (devices.length >= 2 ? true : undefined));
    expect(
      devices.map((e) => (e.kind === 'lifecycle' ? `${e.eventName}:${e.device}` : e.kind)),
    ).toEqual([`created:${dev.name}`, `deleted:${dev.name}`]);
  });

  it('reconnect() registers everything again; the old callback IDs are gone with the old link', async () => {
    const events: NetworkEvent[] = [];
    const sub = c.events.onNetworkEvent((e) => events.push(e));
    cleanup.add('unsubscribe after reconnect', async () => sub());
    await sub.ready;
    const old = c.connection;
    await c.reconnect();
    expect(old.closed).toBe(true);
    expect(c.connection.closed).toBe(false);
    const net = await networkDefineXml(
      c,
      `<network><name>${uniqueName('vd-recon')}</name><uuid>${randomUUID()}</uuid><bridge name='vdbrrc0'/></network>`,
    );
    await networkUndefine(c, net);
    await eventually('events after reconnect', () => (events.length >= 2 ? true : undefined));
    expect(events.map((e) => e.eventName)).toEqual(['defined', 'undefined']);
  });
});
