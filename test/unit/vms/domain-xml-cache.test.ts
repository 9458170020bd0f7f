import { describe, expect, it } from 'vitest';
import { DomainXmlCache } from '../../../electron/vms/domain-xml-cache';

const UUID_A = '8f4c3a52-0c2c-4d5e-9a57-2f0a3e0c1a01';
const UUID_B = '8f4c3a52-0c2c-4d5e-9a57-2f0a3e0c1a02';

const domainXml = (name: string, memoryKiB: number) =>
  `<domain type='kvm'><name>${name}</name><uuid>${UUID_A}</uuid>` +
  `<memory unit='KiB'>${memoryKiB}</memory><vcpu>2</vcpu>` +
  `<devices><disk type='file' device='disk'><source file='/var/lib/${name}.qcow2'/>` +
  `<target dev='vda' bus='virtio'/></disk></devices></domain>`;

describe('DomainXmlCache', () => {
  it('parses a document once and answers the same summary while it is unchanged', () => {
    const cache = new DomainXmlCache();
    const first = cache.read(UUID_A, domainXml('web01', 1024));
    expect(first).toMatchObject({ name: 'web01', memoryKiB: 1024, vcpus: 2 });
    expect(first.disks).toEqual([expect.objectContaining({ path: '/var/lib/web01.qcow2' })]);
    expect(cache.read(UUID_A, domainXml('web01', 1024))).toBe(first);
  });

  it('parses again when the document changed', () => {
    const cache = new DomainXmlCache();
    const first = cache.read(UUID_A, domainXml('web01', 1024));
    const second = cache.read(UUID_A, domainXml('web01', 2048));
    expect(second).not.toBe(first);
    expect(second.memoryKiB).toBe(2048);
  });

  it('forgets removed domains and keeps only the ones still listed', () => {
    const cache = new DomainXmlCache();
    cache.read(UUID_A, domainXml('web01', 1024));
    cache.read(UUID_B, domainXml('db01', 1024));
    cache.retainOnly(new Set([UUID_B]));
    expect(cache.size).toBe(1);
    cache.forget(UUID_B);
    expect(cache.size).toBe(0);
  });

  it('yields to the event loop only after a slice of work', async () => {
    const cache = new DomainXmlCache();
    let ran = false;
    setImmediate(() => (ran = true));
    const start = performance.now();
    while (performance.now() - start < 20) {
      // Busy, as a long run of parsing would be.
    }
    await cache.breathe();
    expect(ran).toBe(true);
  });
});
