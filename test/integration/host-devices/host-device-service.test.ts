import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostDeviceSummary } from '../../../shared/contract/host-devices';
import { documentRoot, findText, parseXml } from '../../../shared/xml';
import { startVmApp, virsh, type VmApp } from '../vms/vm-test-support';

/**
 * 'hostdev:list' against the harness daemon's QEMU driver, whose node-device driver reads
 * this machine's sysfs: compared with `virsh nodedev-list --cap …` and `nodedev-dumpxml`.
 */
let app: VmApp;

beforeAll(async () => {
  app = await startVmApp({ alias: 'hostdev-qemu' });
}, 60_000);
afterAll(async () => {
  await app?.stop();
});

const lines = (out: string): string[] =>
  out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

describe('host USB/PCI devices for Add Hardware', () => {
  it('lists the PCI devices virsh lists, with their address and ids from the device XML', async () => {
    const expected = lines(await virsh(['nodedev-list', '--cap', 'pci'])).sort();
    const got = await app.ok<HostDeviceSummary[]>('hostdev:list', {
      connectionId: app.connectionId,
      kind: 'pci',
    });
    expect(got.map((d) => d.name).sort()).toEqual(expected);
    for (const device of got.slice(0, 5)) {
      const root = documentRoot(parseXml(await virsh(['nodedev-dumpxml', device.name])));
      const num = (path: string): number => Number(findText(root, path));
      expect(device.pci).toEqual({
        domain: num('capability/domain'),
        bus: num('capability/bus'),
        slot: num('capability/slot'),
        function: num('capability/function'),
      });
      expect(device.kind).toBe('pci');
      expect(device.vendorId).toMatch(/^0x[0-9a-f]{4}$/);
    }
  });

  it('lists the USB devices virsh lists (none on a machine without USB is an empty list)', async () => {
    const expected = lines(await virsh(['nodedev-list', '--cap', 'usb_device'])).sort();
    const got = await app.ok<HostDeviceSummary[]>('hostdev:list', {
      connectionId: app.connectionId,
      kind: 'usb',
    });
    expect(got.map((d) => d.name).sort()).toEqual(expected);
    for (const device of got) expect(device.usb).toBeDefined();
  });

  it('refuses an unknown kind and a host that is not connected, with a clear error', async () => {
    const bad = await app.fails('hostdev:list', { connectionId: app.connectionId, kind: 'scsi' });
    expect(bad.kind).toBe('validation');
    const missing = await app.fails('hostdev:list', {
      connectionId: '00000000-0000-4000-8000-000000000000',
      kind: 'pci',
    });
    expect(missing).toMatchObject({ kind: 'validation' });
    expect(missing.message).toMatch(/not connected/);
  });
});
