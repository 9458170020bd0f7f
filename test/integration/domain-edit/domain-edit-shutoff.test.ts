import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEditPreview, DomainXml } from '../../../shared/contract/domain-edit';
import {
  findDevice,
  findElement,
  getAttribute,
  listDevicesOfKind,
  readCpu,
  readDisk,
  readDomainOverview,
  readFirmware,
  readGraphics,
  readInterface,
  readMemory,
  readOsBoot,
  readVcpu,
  serializeXml,
  parseXml,
} from '../../../shared/xml';
import { startVmApp, virsh, type VmApp } from '../vms/vm-test-support';
import {
  apply,
  daemonFile,
  defineTestVm,
  dumpXml,
  inactiveDoc,
  type TestVm,
} from './domain-edit-support';

/** Every edit kind on a shut-off VM, read back with `virsh dumpxml --inactive`. */
let app: VmApp;
let vm: TestVm;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  app = await startVmApp();
  vm = await defineTestVm(app, 'vd-edit-off', cleanups);
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await app.stop();
});
afterEach(() => undefined);

describe('domain edits on a shut-off VM', () => {
  it('domain:getXml gives the inactive XML as virsh does, nothing pending', async () => {
    const got = await app.ok<DomainXml>('domain:getXml', vm.target);
    expect(got.xml).toBe(await dumpXml(vm.name, true));
    expect(got).toMatchObject({ active: false, pending: [] });
    expect(got.live).toBeUndefined();
  });

  it('previews an edit as a unified diff that touches only the named lines', async () => {
    const before = await dumpXml(vm.name, true);
    const preview = await app.ok<DomainEditPreview>('domain:previewEdit', {
      ...vm.target,
      edit: { kind: 'title', title: 'Preview only' },
    });
    expect(preview.before).toBe(before);
    expect(preview.diff).toMatch(/^--- current\n\+\+\+ edited\n@@ /);
    expect(preview.diff.split('\n').filter((l) => /^[+-][^+-]/.test(l))).toEqual([
      '+  <title>Preview only</title>',
    ]);
    expect(preview).toMatchObject({ applyLive: false, pendingUntilShutdown: [] });
    // A preview changes nothing.
    expect(await dumpXml(vm.name, true)).toBe(before);
  });

  it('title, description', async () => {
    await apply(app, vm, { kind: 'title', title: 'Web server' });
    await apply(app, vm, { kind: 'description', description: 'line 1\nline 2 & <more>' });
    const o = readDomainOverview(await inactiveDoc(vm.name));
    expect(o.title).toBe('Web server');
    expect(o.description).toBe('line 1\nline 2 & <more>');
    await apply(app, vm, { kind: 'title', title: null });
    expect(readDomainOverview(await inactiveDoc(vm.name)).title).toBeUndefined();
  });

  it('vCPUs current/maximum, and refuses current above maximum naming the field', async () => {
    await apply(app, vm, { kind: 'vcpus', maximum: 4, current: 2 });
    expect(readVcpu(await inactiveDoc(vm.name))).toMatchObject({ maximum: 4, current: 2 });
    const before = await dumpXml(vm.name, true);
    const error = await app.fails('domain:applyEdit', {
      ...vm.target,
      edit: { kind: 'vcpus', current: 5 },
    });
    expect(error).toMatchObject({ kind: 'validation', path: 'edit.current' });
    expect(error.message).toMatch(/cannot exceed the maximum \(4\)/);
    expect(await dumpXml(vm.name, true)).toBe(before);
    await apply(app, vm, { kind: 'vcpus', maximum: 2, current: 1 });
    expect(readVcpu(await inactiveDoc(vm.name))).toMatchObject({ maximum: 2, current: 1 });
  });

  it('memory current/maximum', async () => {
    await apply(app, vm, { kind: 'memory', maximumKiB: 98304, currentKiB: 81920 });
    const m = readMemory(await inactiveDoc(vm.name));
    expect(m.memory?.kib).toBe(98304);
    expect(m.currentMemory?.kib).toBe(81920);
    const error = await app.fails('domain:applyEdit', {
      ...vm.target,
      edit: { kind: 'memory', currentKiB: 200000 },
    });
    expect(error).toMatchObject({ kind: 'validation', path: 'edit.currentKiB' });
  });

  it('CPU mode, model and topology', async () => {
    await apply(app, vm, {
      kind: 'cpu',
      mode: 'custom',
      model: 'qemu64',
      topology: { sockets: 1, cores: 2, threads: 1 },
    });
    let cpu = readCpu(await inactiveDoc(vm.name));
    expect(cpu.mode).toBe('custom');
    expect(cpu.model?.name).toBe('qemu64');
    expect(cpu.topology).toMatchObject({ sockets: 1, cores: 2, threads: 1 });
    const error = await app.fails('domain:applyEdit', {
      ...vm.target,
      edit: { kind: 'cpu', topology: { sockets: 2, cores: 2, threads: 1 } },
    });
    expect(error).toMatchObject({ kind: 'validation', path: 'edit.topology' });
    await apply(app, vm, { kind: 'cpu', mode: 'host-passthrough', topology: null });
    cpu = readCpu(await inactiveDoc(vm.name));
    expect(cpu.mode).toBe('host-passthrough');
    expect(cpu.topology).toBeUndefined();
  });

  it('boot devices, boot menu, autostart, firmware', async () => {
    await apply(app, vm, { kind: 'bootDevices', devices: ['cdrom', 'hd'] });
    await apply(app, vm, { kind: 'bootMenu', enabled: true, timeoutMs: 3000 });
    const boot = readOsBoot(await inactiveDoc(vm.name));
    expect(boot.bootDevices).toEqual(['cdrom', 'hd']);
    expect(boot.bootMenu).toEqual({ enabled: true, timeoutMs: 3000 });
    await apply(app, vm, { kind: 'deviceBootOrder', ids: ['disk:hdc'] });
    const doc = await inactiveDoc(vm.name);
    expect(readOsBoot(doc).bootDevices).toEqual([]);
    expect(readDisk(findDevice(doc, 'disk:hdc')!.element).bootOrder).toBe(1);
    await apply(app, vm, { kind: 'autostart', autostart: true });
    expect(await virsh(['dominfo', vm.name])).toMatch(/Autostart:\s+enable/);
    await apply(app, vm, { kind: 'autostart', autostart: false });
    expect(await virsh(['dominfo', vm.name])).toMatch(/Autostart:\s+disable/);
    // libvirt refuses UEFI without ACPI: the definition stays as it was.
    const before = await dumpXml(vm.name, true);
    const refused = await app.fails('domain:applyEdit', {
      ...vm.target,
      edit: { kind: 'firmware', firmware: 'efi' },
    });
    expect(refused).toMatchObject({ kind: 'libvirt', codeName: 'VIR_ERR_CONFIG_UNSUPPORTED' });
    expect(refused.message).toMatch(/UEFI requires ACPI/);
    expect(await dumpXml(vm.name, true)).toBe(before);
    await app.ok('domain:applyXml', {
      ...vm.target,
      xml: before.replace('</os>', '</os>\n  <features>\n    <acpi/>\n  </features>'),
    });
    await apply(app, vm, { kind: 'firmware', firmware: 'efi', secureBoot: false });
    const fw = readFirmware(await inactiveDoc(vm.name));
    expect(fw.kind).toBe('efi');
    expect(fw.secureBoot).toBe(false);
    await apply(app, vm, { kind: 'firmware', firmware: 'bios' });
    expect(readFirmware(await inactiveDoc(vm.name)).kind).toBe('bios');
  });

  it('disks: add, media insert/eject, update, remove', async () => {
    const iso = await daemonFile(`${vm.name}-media.iso`, 65536);
    const img = await daemonFile(`${vm.name}-disk.img`, 1 << 20);
    const added = await apply(app, vm, {
      kind: 'addDisk',
      device: 'disk',
      source: { kind: 'file', file: img },
      target: { dev: 'vdb', bus: 'virtio' },
      driverType: 'raw',
    });
    expect(added.deviceId).toBe('disk:vdb');
    await apply(app, vm, {
      kind: 'setDiskMedia',
      id: 'disk:hdc',
      source: { kind: 'file', file: iso },
    });
    expect(readDisk(findDevice(await inactiveDoc(vm.name), 'disk:hdc')!.element).source?.file).toBe(
      iso,
    );
    await apply(app, vm, { kind: 'setDiskMedia', id: 'disk:hdc', source: null });
    expect(
      readDisk(findDevice(await inactiveDoc(vm.name), 'disk:hdc')!.element).source,
    ).toBeUndefined();
    await apply(app, vm, {
      kind: 'updateDisk',
      id: 'disk:vdb',
      cache: 'none',
      readonly: true,
      serial: 'DATA-1',
    });
    const vdb = readDisk(findDevice(await inactiveDoc(vm.name), 'disk:vdb')!.element);
    expect(vdb).toMatchObject({
      readonly: true,
      serial: 'DATA-1',
      driver: { cache: 'none', type: 'raw' },
    });
    const ejectDisk = await app.fails('domain:applyEdit', {
      ...vm.target,
      edit: { kind: 'setDiskMedia', id: 'disk:vdb', source: null },
    });
    expect(ejectDisk).toMatchObject({ kind: 'validation', path: 'edit.id' });
    await apply(app, vm, { kind: 'removeDevice', id: 'disk:vdb' });
    expect(findDevice(await inactiveDoc(vm.name), 'disk:vdb')).toBeUndefined();
  });

  it('NICs: add (user, MAC generated by libvirt), model, MAC, link, remove', async () => {
    const added = await apply(app, vm, {
      kind: 'addInterface',
      source: { type: 'user' },
      model: 'e1000',
    });
    expect(added.deviceId).toMatch(/^interface:52:54:00:/);
    const id = added.deviceId!;
    await apply(app, vm, {
      kind: 'updateInterface',
      id,
      model: 'rtl8139',
      linkState: 'down',
      mac: '52:54:00:12:34:56',
    });
    const nic = readInterface(
      findDevice(await inactiveDoc(vm.name), 'interface:52:54:00:12:34:56')!.element,
    );
    expect(nic).toMatchObject({
      type: 'user',
      model: 'rtl8139',
      linkState: 'down',
      mac: '52:54:00:12:34:56',
    });
    await apply(app, vm, { kind: 'removeDevice', id: 'interface:52:54:00:12:34:56' });
    expect(listDevicesOfKind(await inactiveDoc(vm.name), 'interface')).toHaveLength(1);
  });

  it('disk I/O limits: set, refuse total next to read, swap, remove', async () => {
    const img = await daemonFile(`${vm.name}-io.img`, 1 << 20);
    await apply(app, vm, {
      kind: 'addDisk',
      device: 'disk',
      source: { kind: 'file', file: img },
      target: { dev: 'vdc', bus: 'virtio' },
      driverType: 'raw',
    });
    const iotuneOf = async () =>
      readDisk(findDevice(await inactiveDoc(vm.name), 'disk:vdc')!.element).iotune;
    const set = await apply(app, vm, {
      kind: 'updateDisk',
      id: 'disk:vdc',
      iotune: { readBytesSec: 1048576, writeIopsSec: 200 },
    });
    expect(set).toMatchObject({ persistent: true, liveActions: [], pending: [] });
    expect(await iotuneOf()).toEqual({ read_bytes_sec: 1048576, write_iops_sec: 200 });

    const before = await dumpXml(vm.name, true);
    const refused = await app.fails('domain:applyEdit', {
      ...vm.target,
      edit: { kind: 'updateDisk', id: 'disk:vdc', iotune: { totalBytesSec: 5000000 } },
    });
    expect(refused).toMatchObject({ kind: 'validation', path: 'edit.iotune' });
    expect(refused.message).toMatch(/total bytes\/s limit cannot be combined with a read or write/);
    const negative = await app.fails('domain:applyEdit', {
      ...vm.target,
      edit: { kind: 'updateDisk', id: 'disk:vdc', iotune: { readIopsSec: -1 } },
    });
    expect(negative.kind).toBe('validation');
    expect(await dumpXml(vm.name, true)).toBe(before);

    await apply(app, vm, {
      kind: 'updateDisk',
      id: 'disk:vdc',
      iotune: { totalBytesSec: 5000000, readBytesSec: null },
    });
    expect(await iotuneOf()).toEqual({ total_bytes_sec: 5000000, write_iops_sec: 200 });
    await apply(app, vm, {
      kind: 'updateDisk',
      id: 'disk:vdc',
      iotune: { totalBytesSec: null, writeIopsSec: null },
    });
    const vdc = findDevice(await inactiveDoc(vm.name), 'disk:vdc')!.element;
    expect(findElement(vdc, 'iotune')).toBeUndefined();
    await apply(app, vm, { kind: 'removeDevice', id: 'disk:vdc' });
  });

  it('NIC bandwidth: set both directions, remove one, then all; bad input changes nothing', async () => {
    const NIC = 'interface:52:54:00:aa:bb:01';
    const bandwidthOf = async () =>
      readInterface(findDevice(await inactiveDoc(vm.name), NIC)!.element).bandwidth;
    await apply(app, vm, {
      kind: 'updateInterface',
      id: NIC,
      bandwidth: { inbound: { average: 1000, peak: 2000, burst: 512 }, outbound: { average: 500 } },
    });
    expect(await bandwidthOf()).toEqual({
      inbound: { average: 1000, peak: 2000, burst: 512, floor: undefined },
      outbound: { average: 500, peak: undefined, burst: undefined, floor: undefined },
    });
    const before = await dumpXml(vm.name, true);
    const refused = await app.fails('domain:applyEdit', {
      ...vm.target,
      edit: { kind: 'updateInterface', id: NIC, bandwidth: { outbound: { average: 0 } } },
    });
    expect(refused.kind).toBe('validation');
    expect(refused.message).toMatch(/average rate must be at least 1/);
    expect(await dumpXml(vm.name, true)).toBe(before);
    await apply(app, vm, { kind: 'updateInterface', id: NIC, bandwidth: { inbound: null } });
    expect((await bandwidthOf()).inbound).toBeUndefined();
    expect((await bandwidthOf()).outbound?.average).toBe(500);
    await apply(app, vm, { kind: 'updateInterface', id: NIC, bandwidth: { outbound: null } });
    expect(findElement(findDevice(await inactiveDoc(vm.name), NIC)!.element, 'bandwidth')).toBe(
      undefined,
    );
  });

  it('graphics: update listen/keymap/password, add and remove; generic device XML', async () => {
    await apply(app, vm, {
      kind: 'updateGraphics',
      id: 'graphics:vnc',
      keymap: 'de',
      passwd: 's3cret',
    });
    const g = readGraphics(findDevice(await inactiveDoc(vm.name), 'graphics:vnc')!.element);
    expect(g).toMatchObject({ keymap: 'de', passwd: 's3cret' });
    await apply(app, vm, { kind: 'removeDevice', id: 'graphics:vnc' });
    await apply(app, vm, {
      kind: 'addGraphics',
      type: 'vnc',
      listen: { type: 'address', address: '127.0.0.1' },
    });
    expect(findDevice(await inactiveDoc(vm.name), 'graphics:vnc')).toBeDefined();
    const rng = await apply(app, vm, {
      kind: 'addDeviceXml',
      xml: "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>",
    });
    expect(rng.deviceId).toBe('rng:virtio');
    await apply(app, vm, {
      kind: 'replaceDeviceXml',
      id: 'rng:virtio',
      xml: "<rng model='virtio'><rate bytes='1024' period='1000'/><backend model='random'>/dev/urandom</backend></rng>",
    });
    const rate = findElement(findDevice(await inactiveDoc(vm.name), 'rng:virtio')!.element, 'rate');
    expect(rate && getAttribute(rate, 'bytes')).toBe('1024');
  });

  it('an edit libvirt refuses leaves the inactive XML byte-for-byte unchanged', async () => {
    const before = await dumpXml(vm.name, true);
    const error = await app.fails('domain:applyEdit', {
      ...vm.target,
      edit: {
        kind: 'addDeviceXml',
        xml: "<disk type='file' device='disk'><target dev='vdz' bus='nosuchbus'/></disk>",
      },
    });
    expect(error.kind).toBe('libvirt');
    expect(error.message).toContain(vm.name);
    expect(await dumpXml(vm.name, true)).toBe(before);
  });

  it('rename (shut off), and a vanished VM is named with its host', async () => {
    const renamed = `${vm.name}-r`;
    await app.ok('domain:rename', { ...vm.target, name: renamed });
    expect(readDomainOverview(await inactiveDoc(renamed)).uuid).toBe(vm.uuid);
    await app.ok('domain:rename', { ...vm.target, name: vm.name });
    const gone = await defineTestVm(app, 'vd-edit-gone', cleanups);
    // The VM window has it open, then someone else undefines it.
    await app.ok('domain:getXml', gone.target);
    await virsh(['undefine', gone.name]);
    const error = await app.fails('domain:applyEdit', {
      ...gone.target,
      edit: { kind: 'title', title: 'x' },
    });
    expect(error.kind).toBe('libvirt');
    expect(error.codeName).toBe('VIR_ERR_NO_DOMAIN');
    expect(error.message).toMatch(new RegExp(`${gone.name}.* on host1: `));
  });

  it('round-trips: each edit above changed only what it named (serializer is stable on the result)', async () => {
    const xml = await dumpXml(vm.name, true);
    expect(serializeXml(parseXml(xml))).toBe(xml);
  });
});
