import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { SavedConnection } from '../../../shared/contract/connections';
import type { DomainEditResult } from '../../../shared/contract/domain-edit';
import type { MdevList } from '../../../shared/contract/host-devices';
import { findElement, getAttribute, listDevicesOfKind, parseXml } from '../../../shared/xml';
import { mdevHostdevXml } from '../../../renderer/src/components/vm-details/devices/host-device-xml';
import {
  CSS_PARENT,
  MDEV,
  PCI_PARENT,
  PLAIN_PCI,
} from '../../unit/electron/host-devices/mdev-node-samples';
import { defineTestVm, dumpXml, type TestVm } from '../domain-edit/domain-edit-support';
import { startVmApp, virsh, type VmApp } from '../vms/vm-test-support';
import '../../harness/provided';

/**
 * Mediated devices (vGPU) for Add Hardware. This machine has no mdev hardware, so the listing
 * is read from the harness daemon's TEST driver opened on a node description of our own
 * (`test:///<file>`: libvirt parses its `<device>`s as node devices and serves them over
 * RPC like real ones); the QEMU driver's empty answer is compared with virsh. Adding the
 * hostdev works on a shut-off VM whatever the host has (libvirt checks the UUID at start).
 */
const PARENT = 'pci_0000_02_10_7';
const MDEV_UUID = 'd069d019-36ea-4111-8f0a-8c9a70e21366';

/** A TEST driver configuration: the host, and libvirt's node device samples as its devices. */
const NODE_XML = `<node>
  <cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>1</threads>
    <active>2</active><mhz>2000</mhz><model>x86_64</model></cpu>
  <memory>1048576</memory>
  <device>
    <name>computer</name>
    <capability type='system'>
      <hardware><vendor>VirtDeck test</vendor><uuid>7c1f0f4e-0d2b-4a53-9d0e-1a2b3c4d5e6f</uuid></hardware>
    </capability>
  </device>
${[PCI_PARENT, CSS_PARENT, PLAIN_PCI, MDEV].join('')}</node>
`;

let app: VmApp;
let mdevHost: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  app = await startVmApp({ alias: 'mdev-qemu' });
  const { testUri, dir } = inject('libvirtd');
  // The daemon opens the file itself, as its own unprivileged user.
  const file = path.join(dir, 'mdev-node.xml');
  await writeFile(file, NODE_XML);
  await chmod(file, 0o644);
  const uri = testUri.replace('///default', `//${file}`);
  expect(uri).not.toBe(testUri);
  const saved = await app.ok<SavedConnection>('connection:add', { alias: 'mdev-test', uri });
  await app.ok('connection:connect', { id: saved.id });
  mdevHost = saved.id;
}, 60_000);
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await app?.stop();
});

describe('mediated devices (hostdev:mdevs)', () => {
  it('lists the parents with their types and the mediated devices the driver serves', async () => {
    const got = await app.ok<MdevList>('hostdev:mdevs', { connectionId: mdevHost });
    // The plain PCI device offers no mdev types: not listed.
    expect(got.parents).toEqual([
      {
        name: 'css_0_0_fffe',
        vendor: null,
        product: null,
        types: [
          {
            id: 'vfio_ccw-io',
            name: 'I/O subchannel (Non-QDIO)',
            deviceApi: 'vfio-ccw',
            availableInstances: 1,
          },
        ],
      },
      {
        name: PARENT,
        vendor: 'Intel Corporation',
        product: '82576 Virtual Function',
        types: [
          { id: 'foo1', name: 'bar1', deviceApi: 'vfio-pci', availableInstances: 1 },
          { id: 'foo2', name: null, deviceApi: 'vfio-pci', availableInstances: 2 },
        ],
      },
    ]);
    expect(got.devices).toEqual([
      {
        name: `mdev_${MDEV_UUID.replaceAll('-', '_')}`,
        uuid: MDEV_UUID,
        parent: PARENT,
        typeId: 'foo1',
        deviceApi: 'vfio-pci',
        // The test driver has no virNodeDeviceIsActive: "cannot say", not a guess.
        active: null,
      },
    ]);
  });

  it('answers empty lists for a host without mdev hardware, as virsh lists it', async () => {
    const lines = (out: string) =>
      out
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    const parents = lines(await virsh(['nodedev-list', '--cap', 'mdev_types']));
    const devices = lines(await virsh(['nodedev-list', '--cap', 'mdev']));
    const got = await app.ok<MdevList>('hostdev:mdevs', { connectionId: app.connectionId });
    expect(got.parents.map((p) => p.name).sort()).toEqual(parents.sort());
    expect(got.devices.map((d) => d.name).sort()).toEqual(devices.sort());
  });

  it("keeps libvirt's error when a mediated device cannot be created, and leaves none behind", async () => {
    const input = {
      connectionId: app.connectionId,
      parent: 'pci_0000_00_02_0',
      typeId: 'foo1',
      uuid: '4b20d080-1b54-4048-85b3-a6a62d165c01',
    };
    const error = await app.fails('hostdev:createMdev', input);
    expect(error.kind).toBe('libvirt');
    // libvirt's own words stay in the message after what we tried.
    expect(error.message).toMatch(/^Failed to create a foo1 mediated device on mdev-qemu: .+/);
    const after = await app.ok<MdevList>('hostdev:mdevs', { connectionId: app.connectionId });
    expect(after.devices.map((d) => d.uuid)).not.toContain(input.uuid);
    // The test driver cannot define node devices at all: refused with libvirt's code.
    const unsupported = await app.fails('hostdev:createMdev', {
      ...input,
      connectionId: mdevHost,
      parent: PARENT,
    });
    expect(unsupported).toMatchObject({ kind: 'libvirt', codeName: 'VIR_ERR_NO_SUPPORT' });
  });

  it('refuses a parent or type that is no libvirt name before asking libvirt', async () => {
    const bad = await app.fails('hostdev:createMdev', {
      connectionId: mdevHost,
      parent: "pci'><x",
      typeId: 'foo1',
      uuid: '4b20d080-1b54-4048-85b3-a6a62d165c01',
    });
    expect(bad.kind).toBe('validation');
  });
});

describe('a mediated-device hostdev on a shut-off VM', () => {
  let vm: TestVm;
  beforeAll(async () => {
    vm = await defineTestVm(app, 'vd-mdev', cleanups);
  }, 60_000);

  it('is stored in the persistent definition as Add Hardware built it', async () => {
    const xml = mdevHostdevXml({ uuid: MDEV_UUID, model: 'vfio-pci', display: false });
    const result = await app.ok<DomainEditResult>('domain:applyEdit', {
      ...vm.target,
      edit: { kind: 'addDeviceXml', xml },
    });
    expect(result.persistent).toBe(true);
    const stored = listDevicesOfKind(parseXml(await dumpXml(vm.name, true)), 'hostdev');
    expect(stored).toHaveLength(1);
    const hostdev = stored[0]!;
    expect(result.deviceId).toBe(hostdev.id);
    expect(getAttribute(hostdev.element, 'type')).toBe('mdev');
    expect(getAttribute(hostdev.element, 'mode')).toBe('subsystem');
    expect(getAttribute(hostdev.element, 'model')).toBe('vfio-pci');
    expect(getAttribute(hostdev.element, 'display')).toBe('off');
    const address = findElement(hostdev.element, 'source/address');
    expect(address && getAttribute(address, 'uuid')).toBe(MDEV_UUID);
  });

  it("cannot start without the mediated device, and says libvirt's reason", async () => {
    const error = await app.fails('vm:start', vm.target);
    expect(error.kind).toBe('libvirt');
    // This host has no VFIO (no mdev parent at all): libvirt refuses before QEMU runs.
    expect(error.message).toMatch(/VFIO|mediated|mdev/i);
    expect((await virsh(['domstate', vm.name])).trim()).toBe('shut off');
  });
});
