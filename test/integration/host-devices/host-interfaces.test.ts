import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SavedConnection } from '../../../shared/contract/connections';
import type { HostInterfaceList } from '../../../shared/contract/host-devices';
import { documentRoot, findElement, findText, getAttribute, parseXml } from '../../../shared/xml';
import { runVirsh } from '../../harness/run-virsh';
import { startVmApp, testName, virsh, type VmApp } from '../vms/vm-test-support';

/**
 * 'hostdev:interfaces' against the harness daemon: the QEMU driver reads this machine's
 * interfaces (node devices from udev, the udev interface backend), compared with
 * `virsh nodedev-list --cap net` and `virsh iface-list --all`; the test driver holds a
 * bridge we define, since the machine has none and tests must not create one.
 */
const { testUri } = inject('libvirtd');
let app: VmApp;
let testConnection: string;

beforeAll(async () => {
  app = await startVmApp({ alias: 'ifaces-qemu' });
  const saved = await app.ok<SavedConnection>('connection:add', {
    alias: 'ifaces-test',
    uri: testUri,
  });
  testConnection = saved.id;
  await app.ok('connection:connect', { id: testConnection });
}, 60_000);
afterAll(async () => {
  await app?.stop();
});

const lines = (out: string): string[] =>
  out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** `virsh iface-list --all` rows: name → active. */
function ifaceRows(out: string): Map<string, boolean> {
  const rows = lines(out).slice(2);
  return new Map(
    rows.map((r) => {
      const [name = '', state = ''] = r.split(/\s+/);
      return [name, state === 'active'];
    }),
  );
}

describe('host network interfaces for NIC sources', () => {
  it('lists the interfaces of the net node devices virsh lists, with MAC and link', async () => {
    const devices = lines(await virsh(['nodedev-list', '--cap', 'net']));
    const expected = await Promise.all(
      devices.map(async (d) => {
        const cap = findElement(
          documentRoot(parseXml(await virsh(['nodedev-dumpxml', d]))),
          'capability',
        );
        if (!cap) throw new Error(`${d} has no capability`);
        const link = findElement(cap, 'link');
        return {
          name: findText(cap, 'interface'),
          mac: findText(cap, 'address'),
          link: link && getAttribute(link, 'state'),
        };
      }),
    );
    const got = await app.ok<HostInterfaceList>('hostdev:interfaces', {
      connectionId: app.connectionId,
    });
    expect(got.interfaces.length).toBeGreaterThan(0);
    for (const e of expected) {
      expect(got.interfaces.find((i) => i.name === e.name)).toMatchObject({
        mac: e.mac,
        link: e.link,
      });
    }
  });

  it('agrees with virsh iface-list --all on state and type when the backend answers', async () => {
    const listed = await runVirsh(inject('libvirtd').qemuUri, ['iface-list', '--all']);
    const got = await app.ok<HostInterfaceList>('hostdev:interfaces', {
      connectionId: app.connectionId,
    });
    if (listed.code !== 0) {
      // No interface backend: the list still comes from node devices, and says so.
      expect(got.unavailable.map((u) => u.source)).toEqual(['interfaces']);
      expect(got.interfaces.every((i) => i.bridge === null)).toBe(true);
      return;
    }
    expect(got.unavailable).toEqual([]);
    for (const [name, active] of ifaceRows(listed.stdout)) {
      const type = getAttribute(
        documentRoot(parseXml(await virsh(['iface-dumpxml', name]))),
        'type',
      );
      expect(got.interfaces.find((i) => i.name === name)).toMatchObject({
        active,
        type,
        bridge: type === 'bridge',
      });
    }
  });

  it('recognises a bridge and its ports from the interface XML (test driver)', async () => {
    const bridge = testName('vdbr').name.slice(0, 15);
    const xml = `<interface type='bridge' name='${bridge}'><start mode='none'/><bridge stp='off' delay='0'><interface type='ethernet' name='eth1'/></bridge></interface>`;
    const { writeFile, rm, mkdtemp } = await import('node:fs/promises');
    const dir = await mkdtemp(`${app.configDir}/br-`);
    const file = `${dir}/bridge.xml`;
    await writeFile(file, xml);
    // The test driver's state lives while a connection holds it: ours does.
    const defined = await runVirsh(testUri, ['iface-define', file]);
    expect(defined.code, defined.stderr).toBe(0);
    try {
      const got = await app.ok<HostInterfaceList>('hostdev:interfaces', {
        connectionId: testConnection,
      });
      expect(got.interfaces.find((i) => i.name === bridge)).toMatchObject({
        type: 'bridge',
        bridge: true,
        active: false,
        members: ['eth1'],
      });
      expect(got.interfaces.find((i) => i.name === 'eth1')).toMatchObject({
        bridge: false,
        active: true,
        mac: 'aa:bb:cc:dd:ee:ff',
      });
      // Our RPC's capability filter works on the test driver (virsh's newer flag does not).
      expect(got.unavailable).toEqual([]);
    } finally {
      await runVirsh(testUri, ['iface-undefine', bridge]);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a host that is not connected and a malformed request', async () => {
    const missing = await app.fails('hostdev:interfaces', {
      connectionId: '00000000-0000-4000-8000-000000000000',
    });
    expect(missing.message).toMatch(/not connected/);
    const bad = await app.fails('hostdev:interfaces', { connectionId: 'eth0' });
    expect(bad.kind).toBe('validation');
  });
});
