import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibvirtClient } from '../../../../electron/libvirt/client/libvirt-client';
import { LibvirtError } from '../../../../electron/libvirt/errors';
import {
  connectGetCapabilities,
  connectGetDomainCapabilities,
  connectGetHostname,
  connectGetLibVersion,
  connectGetUri,
  connectGetVersion,
  formatLibvirtVersion,
  nodeDeviceGetXml,
  nodeGetCpuStats,
  nodeGetFreeMemory,
  nodeGetInfo,
  nodeGetMemoryStats,
  nodeListDevices,
} from '../../../../electron/libvirt/facade/node';
import { Cleanup, daemon, openClient, virsh, virshFields, virshXml } from './facade-fixture';

const { testUri, qemuUri } = daemon();
const cleanup = new Cleanup();
let test: LibvirtClient;
let session: LibvirtClient;

beforeAll(async () => {
  test = await openClient(testUri, cleanup);
  session = await openClient(qemuUri, cleanup);
});
afterAll(() => cleanup.run());

/** virsh nodeinfo in the facade's shape. */
async function virshNodeInfo(uri: string): Promise<Record<string, unknown>> {
  const f = virshFields(await virsh(uri, ['nodeinfo']));
  const num = (key: string): number => Number.parseInt(f.get(key) ?? 'NaN', 10);
  return {
    model: f.get('CPU model'),
    cpus: num('CPU(s)'),
    mhz: num('CPU frequency'),
    sockets: num('CPU socket(s)'),
    cores: num('Core(s) per socket'),
    threads: num('Thread(s) per core'),
    nodes: num('NUMA cell(s)'),
    memoryKiB: BigInt(num('Memory size')),
  };
}

/** Lines of a virsh listing, trimmed, empty ones dropped. */
const lines = (out: string): string[] =>
  out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

describe('node and connection facade (compared with virsh)', () => {
  it('nodeGetInfo decodes the char[32] model and matches virsh nodeinfo', async () => {
    for (const [c, uri] of [
      [test, testUri],
      [session, qemuUri],
    ] as const) {
      expect(await nodeGetInfo(c)).toEqual(await virshNodeInfo(uri));
    }
  });

  it('versions, hostname and URI are what virsh version / hostname report', async () => {
    const version = virshFields(await virsh(qemuUri, ['version']));
    const lib = await connectGetLibVersion(session);
    expect(`libvirt ${formatLibvirtVersion(lib)}`).toBe(version.get('Using library'));
    expect(`QEMU ${formatLibvirtVersion(await connectGetVersion(session))}`).toBe(
      version.get('Running hypervisor'),
    );
    // Cached at open.
    expect(session.libVersion).toBe(lib);
    expect(session.hypervisorVersion).toBe(await connectGetVersion(session));
    expect(`TEST ${formatLibvirtVersion(test.hypervisorVersion)}`).toBe(
      virshFields(await virsh(testUri, ['version'])).get('Running hypervisor'),
    );
    expect(await connectGetHostname(session)).toBe((await virsh(qemuUri, ['hostname'])).trim());
    // The daemon's own name for the connection (virsh uri shows the client-side URI).
    expect(await connectGetUri(session)).toBe('qemu:///session');
    expect(await connectGetUri(test)).toBe('test:///default');
    expect(session.driverUri).toBe('qemu:///session');
  });

  it('capabilities and domain capabilities equal virsh capabilities / domcapabilities', async () => {
    expect(await connectGetCapabilities(test)).toBe(await virshXml(testUri, ['capabilities']));
    expect(await connectGetCapabilities(session)).toBe(await virshXml(qemuUri, ['capabilities']));
    expect(await connectGetDomainCapabilities(session)).toBe(
      await virshXml(qemuUri, ['domcapabilities']),
    );
    expect(
      await connectGetDomainCapabilities(session, {
        arch: 'x86_64',
        machine: 'pc',
        virttype: 'qemu',
      }),
    ).toBe(
      await virshXml(qemuUri, [
        'domcapabilities',
        '--arch',
        'x86_64',
        '--machine',
        'pc',
        '--virttype',
        'qemu',
      ]),
    );
    const err = await connectGetDomainCapabilities(session, { arch: 'no-such-arch' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LibvirtError);
  });

  it('CPU counters equal virsh nodecpustats (test driver: fixed values)', async () => {
    const ours = await nodeGetCpuStats(test);
    const theirs = virshFields(await virsh(testUri, ['nodecpustats']));
    expect({
      user: String(ours.user),
      system: String(ours.kernel),
      idle: String(ours.idle),
      iowait: String(ours.iowait),
    }).toEqual({
      user: theirs.get('user'),
      system: theirs.get('system'),
      idle: theirs.get('idle'),
      iowait: theirs.get('iowait'),
    });
    const cpu0 = await nodeGetCpuStats(test, { cpu: 0 });
    expect(Object.keys(cpu0).sort()).toEqual(Object.keys(ours).sort());
  });

  it('memory counters and free memory agree with virsh nodememstats / freecell', async () => {
    const ours = await nodeGetMemoryStats(session);
    const theirs = virshFields(await virsh(qemuUri, ['nodememstats']));
    expect(`${ours.total} KiB`).toBe(theirs.get('total'));
    expect(Object.keys(ours).sort()).toEqual([...theirs.keys()].sort());
    // The test driver's numbers are fixed: exact there (virsh freecell without --all asks
    // virNodeGetFreeMemory, as we do).
    const total = /Total:\s+(\d+) KiB/.exec(await virsh(testUri, ['freecell']))?.[1];
    expect(await nodeGetFreeMemory(test)).toBe(BigInt(total ?? -1) * 1024n);
    // The test driver does not do memory stats: libvirt's error, not an empty record.
    await expect(nodeGetMemoryStats(test)).rejects.toMatchObject({
      codeName: 'VIR_ERR_NO_SUPPORT',
    });
  });

  it('lists node devices (all, by capability) and their XML like virsh nodedev-*', async () => {
    expect((await nodeListDevices(session)).sort()).toEqual(
      lines(await virsh(qemuUri, ['nodedev-list'])).sort(),
    );
    expect((await nodeListDevices(session, { cap: 'net' })).sort()).toEqual(
      lines(await virsh(qemuUri, ['nodedev-list', '--cap', 'net'])).sort(),
    );
    const several = await nodeListDevices(session, { cap: ['net', 'storage'] });
    expect(several.sort()).toEqual(
      lines(await virsh(qemuUri, ['nodedev-list', '--cap', 'net,storage'])).sort(),
    );
    expect(await nodeDeviceGetXml(session, 'computer')).toBe(
      await virshXml(qemuUri, ['nodedev-dumpxml', 'computer']),
    );
    await expect(nodeListDevices(session, { cap: 'bogus' as 'net' })).rejects.toThrow(TypeError);
    await expect(nodeDeviceGetXml(session, 'vd-no-such-device')).rejects.toMatchObject({
      codeName: 'VIR_ERR_NO_NODE_DEVICE',
    });
  });
});
