import { describe, expect, it } from 'vitest';
import {
  addDevice,
  createDiskElement,
  createGraphicsElement,
  createInterfaceElement,
  deviceIdOf,
  findDevice,
  getDevice,
  listDevices,
  listDevicesOfKind,
  parseXml,
  readBlkiotune,
  readClock,
  readCpu,
  readCputune,
  readDisk,
  readDomainOverview,
  readFeatures,
  readFirmware,
  readGraphics,
  readInterface,
  readMemory,
  readMemoryBacking,
  readNumatune,
  readOsBoot,
  readVcpu,
  readVirtDeckTags,
  type XmlDocument,
  removeDevice,
  replaceDevice,
  serializeXml,
  XmlEditError,
} from '../../../../shared/xml/index';
import { CORPUS_SKIP_REASON, corpusFile, corpusFiles, corpusPresent } from './corpus';

const domains = corpusFiles('domains');

const DOMAIN_VIEWS: readonly ((doc: XmlDocument) => unknown)[] = [
  readDomainOverview,
  readMemory,
  readVcpu,
  readCpu,
  readOsBoot,
  readFeatures,
  readClock,
  readNumatune,
  readCputune,
  readBlkiotune,
  readMemoryBacking,
  readFirmware,
  readVirtDeckTags,
];
const load = (name: string) => parseXml(corpusFile(`domains/${name}`));

/** Raw `<kind …>…</kind>` blocks of a file, found by regex — independent of our parser. */
function rawBlocks(text: string, kind: string): string[] {
  const devices = /<devices>([\s\S]*)<\/devices>/.exec(text)?.[1] ?? '';
  const re = new RegExp(
    `^    <${kind}(?: [^>]*)?/>$|^    <${kind}[ >][\\s\\S]*?^    </${kind}>$`,
    'gm',
  );
  return [...devices.matchAll(re)].map((m) => m[0]);
}

describe.skipIf(!corpusPresent)(
  `devices in the corpus ${corpusPresent ? '' : CORPUS_SKIP_REASON}`,
  () => {
    it.each(domains.map((f) => [f.name, f.text] as const))(
      '%s: every view reads; device identities, disks, NICs, graphics',
      (_n, text) => {
        const doc = parseXml(text);
        for (const read of DOMAIN_VIEWS) expect(() => read(doc), read.name).not.toThrow();
        const devices = listDevices(doc);
        // Every device gets an id, ids are unique, and each resolves back to its element.
        expect(new Set(devices.map((d) => d.id)).size).toBe(devices.length);
        for (const device of devices)
          expect(findDevice(doc, device.id)?.element).toBe(device.element);
        const rawCount = [
          ...(/<devices>([\s\S]*)<\/devices>/.exec(text)?.[1] ?? '').matchAll(
            /^ {4}<(?!\/|emulator)/gm,
          ),
        ].length;
        expect(devices).toHaveLength(rawCount);

        const disks = listDevicesOfKind(doc, 'disk').map((d) => readDisk(d.element));
        const rawDisks = rawBlocks(text, 'disk');
        expect(disks.map((d) => d.target.dev)).toEqual(
          rawDisks.map((b) => /^ {6}<target dev='([^']+)'/m.exec(b)?.[1]),
        );
        expect(disks.map((d) => d.source?.file)).toEqual(
          rawDisks.map((b) => /^ {6}<source file='([^']+)'/m.exec(b)?.[1]),
        );
        expect(disks.map((d) => d.readonly)).toEqual(
          rawDisks.map((b) => /^ {6}<readonly\/>$/m.test(b)),
        );

        const nics = listDevicesOfKind(doc, 'interface').map((d) => readInterface(d.element));
        const rawNics = rawBlocks(text, 'interface');
        expect(nics.map((n) => n.mac)).toEqual(
          rawNics.map((b) => /^ {6}<mac address='([^']+)'/m.exec(b)?.[1]),
        );
        expect(nics.map((n) => n.type)).toEqual(
          rawNics.map((b) => /<interface type='([^']+)'/.exec(b)?.[1]),
        );

        const graphics = listDevicesOfKind(doc, 'graphics').map((d) => readGraphics(d.element));
        const rawGraphics = rawBlocks(text, 'graphics');
        expect(graphics.map((g) => g.type)).toEqual(
          rawGraphics.map((b) => /type='([^']+)'/.exec(b)?.[1]),
        );
      },
    );

    it('reads disks: block, file, volume, network, cache and iotune', () => {
      const [hda] = listDevicesOfKind(load('minimal.xml'), 'disk');
      expect(hda?.id).toBe('disk:hda');
      expect(readDisk(hda!.element)).toEqual({
        type: 'block',
        device: 'disk',
        driver: { name: 'qemu', type: 'raw', cache: undefined, io: undefined, discard: undefined },
        source: { dev: '/dev/HostVG/QEMUGuest1' },
        target: { dev: 'hda', bus: 'ide' },
        readonly: false,
        shareable: false,
        serial: undefined,
        bootOrder: undefined,
        iotune: {},
      });
      const caches = listDevicesOfKind(load('disk-cache.x86_64-latest.xml'), 'disk').map(
        (d) => readDisk(d.element).driver.cache,
      );
      expect(caches).toEqual(['writeback', 'unsafe', 'none', 'writethrough', 'directsync']);
      const tuned = listDevicesOfKind(load('blkdeviotune.x86_64-latest.xml'), 'disk').map(
        (d) => readDisk(d.element).iotune,
      );
      expect(tuned[0]).toEqual({ total_bytes_sec: 5000, total_iops_sec: 6000 });
      expect(tuned[1]).toEqual({
        read_bytes_sec: 5000,
        write_bytes_sec: 5000,
        total_iops_sec: 7000,
      });
      const volume = readDisk(
        listDevicesOfKind(load('disk-source-pool-mode.xml'), 'disk')[0]!.element,
      );
      expect(volume).toMatchObject({
        type: 'volume',
        device: 'cdrom',
        source: { pool: 'pool-iscsi-auth', volume: 'unit:0:0:1', mode: 'host' },
        target: { dev: 'hda', bus: 'ide' },
        readonly: true,
      });
      const network = readDisk(getDevice(load('disk-network-iscsi.xml'), 'disk:vda').element);
      expect(network.source).toEqual({
        protocol: 'iscsi',
        name: 'iqn.1992-01.com.example/0',
        hosts: [{ name: 'example.org', port: '6000', transport: undefined }],
      });
      const boot = readDisk(
        getDevice(load('disk-vhostuser.x86_64-latest.xml'), 'disk:vda').element,
      );
      expect(boot).toMatchObject({
        type: 'vhostuser',
        bootOrder: 1,
        driver: { name: 'qemu', type: 'raw' },
      });
    });

    it('reads NICs: type, source, model, MAC, bandwidth, duplicates get distinct ids', () => {
      const nic = readInterface(
        listDevicesOfKind(load('net-bandwidth2.xml'), 'interface')[0]!.element,
      );
      expect(nic).toMatchObject({
        type: 'network',
        source: { network: 'default' },
        model: 'rtl8139',
        mac: '52:54:00:24:a5:9f',
        linkState: undefined,
        bandwidth: { inbound: { floor: 200, average: undefined }, outbound: undefined },
      });
      const portgroup = readInterface(
        getDevice(load('net-virtio-network-portgroup.xml'), 'interface:00:11:22:33:44:55').element,
      );
      expect(portgroup.source).toMatchObject({ network: 'rednet', portgroup: 'bob' });
      const ids = listDevicesOfKind(load('net-many-models.xml'), 'interface').map((d) => d.id);
      expect(ids.slice(3)).toEqual([
        'interface:00:11:22:33:44:58',
        'interface:00:11:22:33:44:58#2',
        'interface:00:11:22:33:44:58#3',
      ]);
    });

    it('reads graphics: VNC with websocket, SPICE with TLS port, several listens', () => {
      const vnc = readGraphics(
        getDevice(load('graphics-vnc-websocket.xml'), 'graphics:vnc').element,
      );
      expect(vnc).toEqual({
        type: 'vnc',
        port: 5900,
        autoport: false,
        tlsPort: undefined,
        websocket: 5700,
        listens: [{ type: 'address', address: '127.0.0.1', network: undefined, socket: undefined }],
        passwd: undefined,
        keymap: undefined,
      });
      const spice = readGraphics(
        getDevice(load('graphics-spice.x86_64-latest.xml'), 'graphics:spice').element,
      );
      expect(spice).toMatchObject({ type: 'spice', port: 5903, tlsPort: 5904, autoport: false });
      const multi = readGraphics(
        getDevice(load('graphics-listen-network2.xml'), 'graphics:vnc').element,
      );
      expect(multi.listens.map((l) => l.type)).toEqual(['address', 'network']);
      expect(multi.listens[1]?.network).toBe('Bobsnetwork');
      expect(multi).toMatchObject({ port: -1, autoport: true });
    });

    it('identifies controllers, inputs, consoles, hostdevs and keyless devices', () => {
      const ids = listDevices(load('minimal.xml')).map((d) => d.id);
      expect(ids).toEqual([
        'disk:hda',
        'controller:usb:0',
        'controller:ide:0',
        'controller:pci:0',
        'input:mouse:ps2',
        'input:keyboard:ps2',
        'audio:1',
        'memballoon:virtio',
      ]);
      const hostdevs = listDevicesOfKind(load('hostdev-pci-address.x86_64-latest.xml'), 'hostdev');
      expect(hostdevs[0]?.id).toMatch(/^hostdev:pci:0x0000:0x06:0x12\.0x5$/);
    });
  },
);

describe('device add, replace and remove', () => {
  const base = parseXml(`<domain type='kvm'>
  <name>vm</name>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <source file='/a.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='network'>
      <mac address='52:54:00:00:00:01'/>
      <source network='default'/>
    </interface>
    <graphics type='vnc' port='-1' autoport='yes'/>
    <memballoon model='virtio'/>
  </devices>
</domain>
`);

  it('adds each device after the last of its kind and returns its id by identity', () => {
    const disk = createDiskElement({
      source: null,
      device: 'cdrom',
      target: { dev: 'sda', bus: 'sata' },
    });
    const nic = createInterfaceElement({
      source: { type: 'bridge', bridge: 'br0' },
      mac: '52:54:00:AA:BB:CC',
    });
    const gfx = createGraphicsElement({ type: 'spice' });
    let doc = addDevice(base, disk);
    doc = addDevice(doc, nic);
    doc = addDevice(doc, gfx);
    expect(listDevices(doc).map((d) => d.id)).toEqual([
      'disk:vda',
      'disk:sda',
      'interface:52:54:00:00:00:01',
      'interface:52:54:00:aa:bb:cc',
      'graphics:vnc',
      'graphics:spice',
      'memballoon:virtio',
    ]);
    expect(deviceIdOf(doc, disk)).toBe('disk:sda');
    const out = serializeXml(doc);
    expect(out).toContain(
      "    <disk type='file' device='cdrom'>\n      <driver name='qemu' type='raw'/>\n      <target dev='sda' bus='sata'/>\n      <readonly/>\n    </disk>",
    );
    expect(out).toContain(
      "    <interface type='bridge'>\n      <mac address='52:54:00:aa:bb:cc'/>\n      <source bridge='br0'/>\n      <model type='virtio'/>\n    </interface>",
    );
    expect(out).toContain(
      "    <graphics type='spice' port='-1' autoport='yes' listen='127.0.0.1'>\n      <listen type='address' address='127.0.0.1'/>\n    </graphics>",
    );
  });

  it('removes and replaces by id, and refuses unknown ids without change', () => {
    const removed = removeDevice(base, 'interface:52:54:00:00:00:01');
    expect(listDevices(removed).map((d) => d.id)).toEqual([
      'disk:vda',
      'graphics:vnc',
      'memballoon:virtio',
    ]);
    const replaced = replaceDevice(
      base,
      'memballoon:virtio',
      createDiskElement({
        source: { kind: 'block', dev: '/dev/sdb' },
        target: { dev: 'vdb', bus: 'virtio' },
      }),
    );
    expect(
      listDevices(replaced)
        .map((d) => d.id)
        .at(-1),
    ).toBe('disk:vdb');
    expect(() => removeDevice(base, 'disk:vdq')).toThrow(XmlEditError);
    expect(() =>
      addDevice(
        base,
        createDiskElement({ source: null, target: { dev: 'bad name', bus: 'virtio' } }),
      ),
    ).toThrow(XmlEditError);
  });
});
