import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibvirtClient } from '../../../../electron/libvirt/client/libvirt-client';
import {
  domainDefineXml,
  domainDestroy,
  domainIsActive,
  domainList,
  domainLookup,
  domainMigrateToUri,
  domainUndefine,
} from '../../../../electron/libvirt/facade/domain';
import type { DomainEvent } from '../../../../electron/libvirt/facade/events';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../../../harness/private-libvirtd';
import { firmwareVncGuestXml } from '../../../harness/test-guests';
import { Cleanup, eventually, openClient, startGuest, uniqueName } from './facade-fixture';

// Two private daemons with their own host UUIDs are two "hosts" on this machine. The
// shared daemon of the run cannot serve: its host UUID is the machine's.
const cleanup = new Cleanup();
let a: PrivateLibvirtd;
let b: PrivateLibvirtd;
let ca: LibvirtClient;
let cb: LibvirtClient;

beforeAll(async () => {
  a = await startPrivateLibvirtd({ hostUuid: randomUUID(), idleTimeoutSec: 600 });
  cleanup.add('stop daemon A', () => a.stop());
  b = await startPrivateLibvirtd({ hostUuid: randomUUID(), idleTimeoutSec: 600 });
  cleanup.add('stop daemon B', () => b.stop());
  ca = await openClient(a.uri('qemu'), cleanup);
  cb = await openClient(b.uri('qemu'), cleanup);
});
afterAll(() => cleanup.run());

const names = (events: DomainEvent[]): string[] =>
  events.map((e) => (e.kind === 'lifecycle' ? `${e.eventName}/${e.detailName}` : e.kind));

describe('peer-to-peer live migration between two daemons', () => {
  it('moves a running guest with one call; both sides report it', async () => {
    const name = uniqueName('vd-mig');
    const uuid = randomUUID();
    const defined = await domainDefineXml(ca, firmwareVncGuestXml({ name, uuid }));
    cleanup.add(`remove ${name} wherever it is`, async () => {
      for (const c of [ca, cb]) {
        const there = (await domainList(c)).find((d) => d.uuid === uuid);
        if (!there) continue;
        if (await domainIsActive(c, there)) await domainDestroy(c, there);
        await domainUndefine(c, there);
      }
    });
    const dom = await startGuest(ca, defined);

    const onA: DomainEvent[] = [];
    const onB: DomainEvent[] = [];
    const subA = ca.events.onDomainEvent((e) => onA.push(e), {
      kinds: ['lifecycle', 'job-completed'],
      dom,
    });
    const subB = cb.events.onDomainEvent((e) => onB.push(e), { kinds: ['lifecycle'], dom });
    cleanup.add('unsubscribe migration events', async () => {
      subA();
      subB();
    });
    await Promise.all([subA.ready, subB.ready]);

    await domainMigrateToUri(ca, dom, {
      // The source daemon connects to B itself; the data goes over loopback only.
      destUri: b.uri('qemu'),
      flags: ['live', 'persist-dest', 'undefine-source'],
      params: { uri: 'tcp://127.0.0.1', listenAddress: '127.0.0.1', destName: name },
    });

    expect((await domainList(ca)).some((d) => d.uuid === uuid)).toBe(false);
    const moved = await domainLookup(cb, uuid);
    expect(moved).toMatchObject({ name, uuid });
    expect((await b.virsh(['domstate', '--reason', name])).stdout.trim()).toBe(
      'running (migrated)',
    );

    await eventually(
      () => `events on both sides (A: ${names(onA).join(', ')}; B: ${names(onB).join(', ')})`,
      () =>
        names(onA).includes('job-completed') && names(onB).includes('resumed/migrated')
          ? true
          : undefined,
    );
    // (libvirt 9.0 sends no UNDEFINED event for undefine-source.)
    expect(names(onA)).toEqual(['suspended/migrated', 'stopped/migrated', 'job-completed']);
    expect(names(onB)).toEqual(['started/migrated', 'defined/added', 'resumed/migrated']);
    const job = onA.find((e) => e.kind === 'job-completed');
    expect(job?.kind === 'job-completed' && typeof job.stats.time_elapsed).toBe('bigint');
  });

  it('refuses bad input before anything is sent', async () => {
    const dom = { name: 'x', uuid: randomUUID(), id: 1 };
    await expect(domainMigrateToUri(ca, dom, { destUri: '' })).rejects.toThrow(TypeError);
    await expect(
      domainMigrateToUri(ca, dom, { destUri: b.uri('qemu'), params: { disksPort: 1.5 } }),
    ).rejects.toThrow(TypeError);
  });
});
