import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { SavedConnection } from '../../../shared/contract/connections';
import type { NetworkSummary } from '../../../shared/contract/networks';
import { runVirsh } from '../../harness/run-virsh';
import { startVmApp, testName, type VmApp } from '../vms/vm-test-support';

// Networks need root and real bridges: the harness's test driver runs them for real
// libvirt semantics (define/start/update) without touching the host.
const { testUri } = inject('libvirtd');
let app: VmApp;
let connectionId: string;
const names: string[] = [];

async function virshTest(args: readonly string[]): Promise<string> {
  const r = await runVirsh(testUri, args);
  if (r.code !== 0) throw new Error(`virsh ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}
const netNames = async (): Promise<string[]> =>
  (await virshTest(['net-list', '--all', '--name']))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

beforeAll(async () => {
  app = await startVmApp({ alias: 'net-qemu' });
  const saved = await app.ok<SavedConnection>('connection:add', {
    alias: 'net-test',
    uri: testUri,
  });
  connectionId = saved.id;
  await app.ok('connection:connect', { id: connectionId });
}, 60_000);

afterAll(async () => {
  for (const name of names) {
    await runVirsh(testUri, ['net-destroy', name]);
    await runVirsh(testUri, ['net-undefine', name]);
  }
  await app?.stop();
});

function newName(): string {
  const name = testName('vdnet').name;
  names.push(name);
  return name;
}

describe('virtual networks through the network handlers (test driver)', () => {
  it('defines a NAT network with a DHCP range and static host, then updates the host live', async () => {
    const name = newName();
    const since = performance.now();
    const net = await app.ok<NetworkSummary>('net:define', {
      connectionId,
      name,
      mode: 'nat',
      domain: 'lab.lan',
      ipv4: {
        address: '192.168.150.1',
        prefix: 24,
        dhcp: { start: '192.168.150.100', end: '192.168.150.200' },
        hosts: [{ mac: '52:54:00:00:00:01', ip: '192.168.150.10', name: 'web' }],
      },
      autostart: true,
    });
    expect(net).toMatchObject({
      name,
      mode: 'nat',
      active: true,
      autostart: true,
      domain: 'lab.lan',
    });
    expect(net.ips[0]).toMatchObject({
      family: 'ipv4',
      address: '192.168.150.1',
      prefix: 24,
      dhcpRanges: [{ start: '192.168.150.100', end: '192.168.150.200' }],
      hosts: [{ mac: '52:54:00:00:00:01', ip: '192.168.150.10', name: 'web' }],
    });
    await app.waitForEvent('net:changed', (e) => e.network === name && e.change === 'defined', {
      since,
    });
    const xml = await virshTest(['net-dumpxml', name]);
    expect(xml).toMatch(/<forward mode=['"]nat['"]/);
    expect(xml).toContain("range start='192.168.150.100' end='192.168.150.200'");

    const host = { mac: '52:54:00:00:00:02', ip: '192.168.150.11', name: 'db' };
    const added = await app.ok<NetworkSummary>('net:updateStaticHost', {
      connectionId,
      network: name,
      command: 'add',
      host,
    });
    expect(added.ips[0]?.hosts).toContainEqual(host);
    expect(await virshTest(['net-dumpxml', name])).toContain("mac='52:54:00:00:00:02'");
    // The test driver keeps one definition (net-dumpxml --inactive is unsupported there).
    const modified = await app.ok<NetworkSummary>('net:updateStaticHost', {
      connectionId,
      network: name,
      command: 'modify',
      host: { ...host, ip: '192.168.150.12' },
    });
    expect(modified.ips[0]?.hosts).toContainEqual({ ...host, ip: '192.168.150.12' });
    const deleted = await app.ok<NetworkSummary>('net:updateStaticHost', {
      connectionId,
      network: name,
      command: 'delete',
      host: { ...host, ip: '192.168.150.12' },
    });
    expect(deleted.ips[0]?.hosts.map((h) => h.mac)).toEqual(['52:54:00:00:00:01']);

    const t = { connectionId, network: name };
    const refused = await app.fails('net:delete', t);
    expect(refused.message).toMatch(/running: stop it/);
    await app.ok('net:stop', t);
    await app.ok('net:start', t);
    await app.ok('net:setAutostart', { ...t, autostart: false });
    await app.ok('net:stop', t);
    await app.ok('net:delete', t);
    expect(await netNames()).not.toContain(name);
  }, 60_000);

  it('defines routed, isolated and open networks, and an IPv6 one', async () => {
    const cases = [
      { mode: 'route', forwardDev: 'eth0', ipv4: { address: '10.77.0.1', prefix: 24 } },
      { mode: 'isolated', ipv4: { address: '10.78.0.1', prefix: 24 } },
      { mode: 'open', ipv4: { address: '10.79.0.1', prefix: 24 } },
      {
        mode: 'nat',
        ipv6: {
          address: 'fd00:77::1',
          prefix: 64,
          dhcp: { start: 'fd00:77::100', end: 'fd00:77::1ff' },
        },
      },
    ];
    for (const spec of cases) {
      const name = newName();
      const net = await app.ok<NetworkSummary>('net:define', { connectionId, name, ...spec });
      expect(net.mode).toBe(spec.mode);
      expect(net.active).toBe(true);
      if (spec.forwardDev) expect(net.forwardDev).toBe('eth0');
    }
  }, 60_000);

  it('refuses bad definitions with clear messages and creates nothing', async () => {
    const before = await netNames();
    const name = 'vdnet-bad';
    const bad = async (extra: object) =>
      app.fails('net:define', { connectionId, name, mode: 'nat', ...extra });
    expect((await bad({ name: 'bad/name' })).path).toBe('name');
    expect((await bad({ ipv4: { address: '192.168.300.1', prefix: 24 } })).message).toMatch(
      /is not an IPv4 address/,
    );
    expect(
      (
        await bad({
          ipv4: {
            address: '192.168.151.1',
            prefix: 24,
            dhcp: { start: '192.168.152.10', end: '192.168.151.20' },
          },
        })
      ).message,
    ).toMatch(/192\.168\.152\.10 is outside the network 192\.168\.151\.1\/24/);
    expect(
      (
        await bad({
          ipv4: {
            address: '192.168.151.1',
            prefix: 24,
            dhcp: { start: '192.168.151.200', end: '192.168.151.20' },
          },
        })
      ).message,
    ).toMatch(/starts after it ends/);
    expect((await bad({ mode: 'isolated', forwardDev: 'eth0' })).message).toMatch(
      /Only NAT and routed/,
    );
    const existing = newName();
    await app.ok('net:define', { connectionId, name: existing, mode: 'isolated', start: false });
    const dup = await app.fails('net:define', { connectionId, name: existing, mode: 'isolated' });
    expect(dup.message).toMatch(/already exists/);
    expect(await netNames()).toEqual([...before, existing].sort());
  }, 60_000);

  it('reports the default network status', async () => {
    const status = await app.ok<{ status: string }>('net:defaultStatus', { connectionId });
    const listed = await app.ok<NetworkSummary[]>('net:list', { connectionId });
    const def = listed.find((n) => n.name === 'default');
    expect(status.status).toBe(!def ? 'missing' : def.active ? 'active' : 'inactive');
  });
});
