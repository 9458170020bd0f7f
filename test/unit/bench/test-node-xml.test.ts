import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  benchDomainName,
  benchDomainUuid,
  MAX_TEST_DOMAINS,
  testNodeXml,
} from '../../../bench/rpc/test-node-xml';

const VIRSH = '/usr/bin/virsh';

describe('testNodeXml', () => {
  it('names and UUIDs are stable, padded and unique', () => {
    expect(benchDomainName(7)).toBe('bench-00007');
    expect(benchDomainUuid(255)).toBe('00000000-0000-4000-8000-0000000000ff');
    const uuids = new Set(Array.from({ length: 5000 }, (_, i) => benchDomainUuid(i + 1)));
    expect(uuids.size).toBe(5000);
  });

  it('rejects counts out of range and relative image folders', () => {
    expect(() => testNodeXml({ count: 0, imageDir: '/tmp' })).toThrow(RangeError);
    expect(() => testNodeXml({ count: MAX_TEST_DOMAINS + 1, imageDir: '/tmp' })).toThrow(
      RangeError,
    );
    expect(() => testNodeXml({ count: 1.5, imageDir: '/tmp' })).toThrow(RangeError);
    expect(() => testNodeXml({ count: 1, imageDir: 'images' })).toThrow(TypeError);
  });

  it('escapes the image folder in attribute and text positions', () => {
    const xml = testNodeXml({ count: 1, imageDir: "/tmp/a&b'<c>" });
    expect(xml).toContain("file='/tmp/a&amp;b&apos;&lt;c&gt;/bench-00001.qcow2'");
    expect(xml).toContain('<path>/tmp/a&amp;b&apos;&lt;c&gt;</path>');
  });
});

// The test driver runs inside virsh itself for test:///<file>: no daemon involved.
describe.skipIf(!existsSync(VIRSH))('testNodeXml read by libvirt’s test driver (virsh)', () => {
  let dir: string;
  let uri: string;
  const virsh = (...args: string[]): string =>
    execFileSync(VIRSH, ['-c', uri, ...args], { encoding: 'utf8', timeout: 30_000 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vd-bench-node-'));
    const file = join(dir, 'node.xml');
    await writeFile(file, testNodeXml({ count: 25, imageDir: join(dir, 'images') }));
    uri = `test://${file}`;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('defines every domain, all running', () => {
    const running = virsh('list', '--name', '--state-running').split('\n').filter(Boolean);
    expect(running).toHaveLength(25);
    expect(running).toContain('bench-00025');
    expect(virsh('list', '--name', '--inactive').trim()).toBe('');
  });

  it('gives each domain one disk and one NIC, plus the network and the pool', () => {
    expect(virsh('domblklist', 'bench-00003')).toContain(`${dir}/images/bench-00003.qcow2`);
    expect(virsh('domiflist', 'bench-00003')).toMatch(/bench-net\s+virtio\s+52:54:00:00:00:03/);
    expect(virsh('domuuid', 'bench-00003').trim()).toBe(benchDomainUuid(3));
    expect(virsh('net-list', '--name').trim()).toBe('bench-net');
    expect(virsh('pool-list', '--name').trim()).toBe('bench-pool');
  });
});
