import { afterAll, describe, expect, it } from 'vitest';
import { LibvirtClient } from '../../../../electron/libvirt/client/libvirt-client';
import { TransportError } from '../../../../electron/libvirt/errors';
import { domainList, domainLookup } from '../../../../electron/libvirt/facade/domain';
import { connectGetLibVersion, connectGetVersion } from '../../../../electron/libvirt/facade/node';
import type { DomainEvent } from '../../../../electron/libvirt/facade/events';
import { domainSuspend, domainResume } from '../../../../electron/libvirt/facade/domain';
import { Cleanup, daemon, eventually, openClient, virsh } from './facade-fixture';

const { testUri, qemuUri } = daemon();
const cleanup = new Cleanup();
afterAll(() => cleanup.run());

describe('LibvirtClient', () => {
  it('opens, caches the versions and exposes what was negotiated', async () => {
    const c = await openClient(qemuUri, cleanup);
    expect(c.uri).toBe(qemuUri);
    expect(c.resolvedUri).toBe(qemuUri);
    expect(c.driverUri).toBe('qemu:///session');
    expect(c.readOnly).toBe(false);
    expect(c.features.eventCallbacks).toBe(true);
    expect(c.libVersion).toBe(await connectGetLibVersion(c));
    expect(c.hypervisorVersion).toBe(await connectGetVersion(c));
    expect(c.libVersion).toBeGreaterThanOrEqual(9_000_000);
  });

  it('fails to open a URI the daemon rejects, with libvirt error details', async () => {
    const bad = testUri.replace('test+unix:///default', 'test+unix:///no-such-file.xml');
    await expect(LibvirtClient.open(bad)).rejects.toMatchObject({ libvirt: true });
  });

  it('close() reports through onClosed once; later calls fail with a TransportError', async () => {
    const c = await LibvirtClient.open(testUri);
    const reasons: string[] = [];
    c.onClosed((r) => reasons.push(r.reason));
    const off = c.onClosed(() => reasons.push('removed listener called'));
    off();
    await c.close();
    expect(c.closed).toBe(true);
    expect(reasons).toEqual(['closed']);
    const err = await domainList(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    // reconnect() brings a closed client back.
    await c.reconnect();
    cleanup.add('close reconnected client', () => c.close());
    expect(await domainLookup(c, 'test')).toMatchObject({ name: 'test' });
  });

  it('a dropped link is reported; reconnect() restores calls and event delivery', async () => {
    const c = await openClient(testUri, cleanup);
    const events: DomainEvent[] = [];
    const sub = c.events.onDomainEvent((e) => events.push(e), { kinds: ['lifecycle'] });
    await sub.ready;
    const reasons: TransportError[] = [];
    c.onClosed((r) => reasons.push(r));
    c.connection.terminate('simulated network loss');
    await eventually('closed report', () => (reasons.length > 0 ? true : undefined));
    expect(reasons[0]).toBeInstanceOf(TransportError);
    expect(reasons[0]?.message).toContain('simulated network loss');
    await expect(domainLookup(c, 'test')).rejects.toBeInstanceOf(TransportError);

    await c.reconnect();
    const test = await domainLookup(c, 'test');
    await domainSuspend(c, test);
    await domainResume(c, test);
    await eventually('events after reconnect', () => (events.length >= 2 ? true : undefined));
    expect(events.map((e) => (e.kind === 'lifecycle' ? e.eventName : e.kind))).toEqual([
      'suspended',
      'resumed',
    ]);
    sub();
  });

  it('openBulk() is a second, independent connection to the same URI', async () => {
    const c = await openClient(qemuUri, cleanup);
    const bulk = await c.openBulk();
    cleanup.add('close bulk', () => bulk.close());
    expect(bulk.connection).not.toBe(c.connection);
    expect(bulk.uri).toBe(c.uri);
    await bulk.close();
    // Closing one leaves the other working.
    expect((await domainList(c)).length).toBe(
      (await virsh(qemuUri, ['list', '--all', '--name'])).split('\n').filter((l) => l.trim())
        .length,
    );
  });
});
