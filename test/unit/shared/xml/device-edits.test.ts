import { describe, expect, it } from 'vitest';
import {
  readDeviceBootOrder,
  readDisk,
  readGraphics,
  readInterface,
  readOsBoot,
  getDevice,
  setDeviceBootOrder,
  setDiskDriver,
  setDiskIotune,
  setDiskReadonly,
  setDiskSerial,
  setDiskShareable,
  setDiskSource,
  setDiskTarget,
  setGraphicsKeymap,
  setGraphicsListen,
  setGraphicsPassword,
  setGraphicsPort,
  setInterfaceBandwidth,
  setInterfaceLinkState,
  setInterfaceMac,
  setInterfaceModel,
  setInterfaceSource,
  updateDevice,
  serializeXml,
  XmlEditError,
} from '../../../../shared/xml/index';
import { baseDomain, diffLines } from './domain-edit-fixture';

const base = baseDomain();

describe('disk edits', () => {
  it('ejects and inserts CD-ROM media, touching only <source>', () => {
    const ejected = updateDevice(base, 'disk:sda', (d) => setDiskSource(d, null));
    expect(diffLines(base, ejected)).toEqual({
      removed: ["      <source file='/isos/install.iso'/>"],
      added: [],
    });
    expect(readDisk(getDevice(ejected, 'disk:sda').element).source).toBeUndefined();
    const inserted = updateDevice(ejected, 'disk:sda', (d) =>
      setDiskSource(d, { kind: 'file', file: '/isos/other.iso' }),
    );
    expect(diffLines(ejected, inserted)).toEqual({
      removed: [],
      added: ["      <source file='/isos/other.iso'/>"],
    });
  });

  it('moves a disk to a pool volume, changing type and source only', () => {
    const doc = updateDevice(base, 'disk:vda', (d) =>
      setDiskSource(d, { kind: 'volume', pool: 'default', volume: 'vm.qcow2' }),
    );
    expect(diffLines(base, doc)).toEqual({
      removed: [
        "    <disk type='file' device='disk'>",
        "      <driver name='qemu' type='qcow2'/>",
        "      <source file='/var/lib/libvirt/images/basic.qcow2'/>",
      ],
      added: [
        "    <disk type='volume' device='disk'>",
        "      <driver name='qemu' type='qcow2'/>",
        "      <source pool='default' volume='vm.qcow2'/>",
      ],
    });
  });

  it('sets driver cache/io/discard, bus, flags, serial and I/O limits', () => {
    const doc = updateDevice(base, 'disk:vda', (d) =>
      setDiskIotune(
        setDiskSerial(
          setDiskShareable(
            setDiskTarget(setDiskDriver(d, { cache: 'none', io: 'native', discard: 'unmap' }), {
              bus: 'sata',
            }),
            true,
          ),
          'WD-123',
        ),
        { total_iops_sec: 500, read_bytes_sec: 1048576 },
      ),
    );
    expect(diffLines(base, doc)).toEqual({
      removed: [
        "      <driver name='qemu' type='qcow2'/>",
        "      <source file='/var/lib/libvirt/images/basic.qcow2'/>",
        "      <target dev='vda' bus='virtio'/>",
      ],
      added: [
        "      <driver name='qemu' type='qcow2' cache='none' io='native' discard='unmap'/>",
        "      <source file='/var/lib/libvirt/images/basic.qcow2'/>",
        "      <target dev='vda' bus='sata'/>",
        '      <iotune>',
        '        <total_iops_sec>500</total_iops_sec>',
        '        <read_bytes_sec>1048576</read_bytes_sec>',
        '      </iotune>',
        '      <shareable/>',
        '      <serial>WD-123</serial>',
      ],
    });
    const view = readDisk(getDevice(doc, 'disk:vda').element);
    expect(view).toMatchObject({
      shareable: true,
      serial: 'WD-123',
      iotune: { total_iops_sec: 500, read_bytes_sec: 1048576 },
    });
    const undone = updateDevice(doc, 'disk:vda', (d) =>
      setDiskIotune(
        setDiskSerial(
          setDiskShareable(
            setDiskTarget(setDiskDriver(d, { cache: null, io: null, discard: null }), {
              bus: 'virtio',
            }),
            false,
          ),
          null,
        ),
        {
          total_iops_sec: null,
          read_bytes_sec: null,
        },
      ),
    );
    expect(serializeXml(undone)).toBe(serializeXml(base));
    expect(
      readDisk(
        getDevice(
          updateDevice(base, 'disk:sda', (d) => setDiskReadonly(d, false)),
          'disk:sda',
        ).element,
      ).readonly,
    ).toBe(false);
    expect(() => updateDevice(base, 'disk:vda', (d) => setDiskSerial(d, 'bad\nserial'))).toThrow(
      XmlEditError,
    );
  });
});

describe('NIC edits', () => {
  it('switches from a network to a bridge and to macvtap', () => {
    const bridged = updateDevice(base, 'interface:52:54:00:9a:e6:c6', (n) =>
      setInterfaceSource(n, { type: 'bridge', bridge: 'br0' }),
    );
    expect(diffLines(base, bridged)).toEqual({
      removed: [
        "    <interface type='network'>",
        "      <mac address='52:54:00:9a:e6:c6'/>",
        "      <source network='default'/>",
      ],
      added: [
        "    <interface type='bridge'>",
        "      <mac address='52:54:00:9a:e6:c6'/>",
        "      <source bridge='br0'/>",
      ],
    });
    const direct = updateDevice(bridged, 'interface:52:54:00:9a:e6:c6', (n) =>
      setInterfaceSource(n, { type: 'direct', dev: 'eth0', mode: 'bridge' }),
    );
    expect(readInterface(getDevice(direct, 'interface:52:54:00:9a:e6:c6').element)).toMatchObject({
      type: 'direct',
      source: { dev: 'eth0', mode: 'bridge', bridge: undefined },
    });
  });

  it('changes model, MAC, link state and bandwidth', () => {
    const id = 'interface:52:54:00:9a:e6:c6';
    const doc = updateDevice(base, id, (n) =>
      setInterfaceBandwidth(setInterfaceLinkState(setInterfaceModel(n, 'e1000e'), 'down'), {
        inbound: { average: 1000, peak: 2000, burst: 1024 },
        outbound: { average: 500 },
      }),
    );
    expect(diffLines(base, doc)).toEqual({
      removed: ["      <model type='virtio'/>"],
      added: [
        '      <bandwidth>',
        "        <inbound average='1000' peak='2000' burst='1024'/>",
        "        <outbound average='500'/>",
        '      </bandwidth>',
        "      <model type='e1000e'/>",
        "      <link state='down'/>",
      ],
    });
    const noOutbound = updateDevice(doc, id, (n) => setInterfaceBandwidth(n, { outbound: null }));
    expect(readInterface(getDevice(noOutbound, id).element).bandwidth.outbound).toBeUndefined();
    const none = updateDevice(noOutbound, id, (n) => setInterfaceBandwidth(n, { inbound: null }));
    expect(serializeXml(none)).not.toContain('bandwidth');
    const remac = updateDevice(base, id, (n) => setInterfaceMac(n, '52:54:00:AB:CD:EF'));
    expect(diffLines(base, remac)).toEqual({
      removed: ["    <interface type='network'>", "      <mac address='52:54:00:9a:e6:c6'/>"].slice(
        1,
      ),
      added: ["      <mac address='52:54:00:ab:cd:ef'/>"],
    });
    expect(() => updateDevice(base, id, (n) => setInterfaceMac(n, '01:00:5e:00:00:01'))).toThrow(
      XmlEditError,
    );
    expect(() => updateDevice(base, id, (n) => setInterfaceMac(n, 'nonsense'))).toThrow(
      XmlEditError,
    );
  });
});

describe('graphics edits', () => {
  it('sets a fixed port, a socket listen, password and keymap', () => {
    const id = 'graphics:vnc';
    const fixed = updateDevice(base, id, (g) =>
      setGraphicsPort(g, { autoport: false, port: 5901 }),
    );
    expect(diffLines(base, fixed)).toEqual({
      removed: ["    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'>"],
      added: ["    <graphics type='vnc' port='5901' autoport='no' listen='127.0.0.1'>"],
    });
    const socket = updateDevice(base, id, (g) => setGraphicsListen(g, { type: 'socket' }));
    expect(diffLines(base, socket)).toEqual({
      removed: [
        "    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'>",
        "      <listen type='address' address='127.0.0.1'/>",
      ],
      added: [
        "    <graphics type='vnc' port='-1' autoport='yes'>",
        "      <listen type='socket'/>",
      ],
    });
    const any = updateDevice(base, id, (g) =>
      setGraphicsListen(g, { type: 'address', address: '0.0.0.0' }),
    );
    expect(readGraphics(getDevice(any, id).element).listens).toEqual([
      { type: 'address', address: '0.0.0.0', network: undefined, socket: undefined },
    ]);
    const secret = updateDevice(base, id, (g) =>
      setGraphicsKeymap(setGraphicsPassword(g, `pa'ss"&`), 'de'),
    );
    expect(diffLines(base, secret).added).toEqual([
      "    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1' passwd='pa&apos;ss&quot;&amp;' keymap='de'>",
    ]);
    expect(readGraphics(getDevice(secret, id).element)).toMatchObject({
      passwd: `pa'ss"&`,
      keymap: 'de',
    });
    expect(() =>
      updateDevice(base, id, (g) => setGraphicsPort(g, { autoport: false, port: 80 })),
    ).toThrow(XmlEditError);
  });
});

describe('per-device boot order', () => {
  it('orders devices, drops <os><boot>, and leaves untouched devices alone', () => {
    const doc = setDeviceBootOrder(base, ['disk:sda', 'disk:vda']);
    expect(readDeviceBootOrder(doc)).toEqual([
      { id: 'disk:sda', order: 1 },
      { id: 'disk:vda', order: 2 },
    ]);
    expect(readOsBoot(doc).bootDevices).toEqual([]);
    const diff = diffLines(base, doc);
    expect(diff.removed).toContain("    <boot dev='hd'/>");
    expect(diff.added.filter((l) => l.includes('<boot'))).toEqual([
      "      <boot order='2'/>",
      "      <boot order='1'/>",
    ]);
    const nicOnly = setDeviceBootOrder(doc, ['interface:52:54:00:9a:e6:c6']);
    expect(readDeviceBootOrder(nicOnly)).toEqual([{ id: 'interface:52:54:00:9a:e6:c6', order: 1 }]);
    expect(() => setDeviceBootOrder(base, ['graphics:vnc'])).toThrow(XmlEditError);
    expect(() => setDeviceBootOrder(base, ['disk:nope'])).toThrow(XmlEditError);
  });
});
