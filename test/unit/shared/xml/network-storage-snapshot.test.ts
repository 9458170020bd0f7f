import { describe, expect, it } from 'vitest';
import {
  addDhcpHost,
  createVolumeDocument,
  parseXml,
  readNetwork,
  readPool,
  readSnapshot,
  readVolume,
  removeDhcpHost,
  serializeXml,
  setDhcpRanges,
  setNetworkBridge,
  setNetworkDomainName,
  setNetworkForward,
  setSnapshotDescription,
  setVolumeCapacity,
  setVolumeFormat,
  XmlEditError,
} from '../../../../shared/xml/index';
import { changedHunk } from './canonical-walk';
import { CORPUS_SKIP_REASON, corpusFile, corpusFiles, corpusPresent } from './corpus';

const diff = (a: string, b: string) => changedHunk(a.split('\n'), b.split('\n'));

describe.skipIf(!corpusPresent)(
  `network, pool and volume views ${corpusPresent ? '' : CORPUS_SKIP_REASON}`,
  () => {
    it('reads every network, pool and volume file', () => {
      for (const f of corpusFiles('networks'))
        expect(() => readNetwork(parseXml(f.text)), f.name).not.toThrow();
      for (const f of corpusFiles('pools'))
        expect(() => readPool(parseXml(f.text)), f.name).not.toThrow();
      for (const f of corpusFiles('volumes'))
        expect(() => readVolume(parseXml(f.text)), f.name).not.toThrow();
    });

    it('reads a NAT network with DHCP hosts and several IPs', () => {
      const net = readNetwork(parseXml(corpusFile('networks/nat-network-dns-srv-records.xml')));
      expect(net).toMatchObject({
        name: 'default',
        uuid: '81ff0d90-c91e-6742-64da-4a736edb9a9b',
        forward: { mode: 'nat', dev: 'eth1', interfaces: ['eth1'] },
        bridge: { name: 'virbr0', stp: true, delay: 0 },
      });
      expect(net.ips.map((ip) => [ip.family, ip.address, ip.netmask ?? ip.prefix])).toEqual([
        ['ipv4', '192.168.122.1', '255.255.255.0'],
        ['ipv4', '192.168.123.1', '255.255.255.0'],
        ['ipv6', '2001:db8:ac10:fe01::1', 64],
        ['ipv6', '2001:db8:ac10:fd01::1', 64],
        ['ipv4', '10.24.10.1', undefined],
      ]);
      expect(net.ips[0]?.dhcp).toEqual({
        ranges: [{ start: '192.168.122.2', end: '192.168.122.254' }],
        hosts: [
          { mac: '00:16:3e:77:e2:ed', id: undefined, name: 'a.example.com', ip: '192.168.122.10' },
          { mac: '00:16:3e:3e:a9:1a', id: undefined, name: 'b.example.com', ip: '192.168.122.11' },
        ],
      });
      const netboot = readNetwork(parseXml(corpusFile('networks/netboot-network.xml')));
      expect(netboot).toMatchObject({ domainName: 'example.com', forward: { mode: 'nat' } });
      expect(netboot.ips[0]?.tftpRoot).toBe('/var/lib/tftproot');
      expect(readNetwork(parseXml(corpusFile('networks/passthrough-pf.xml'))).forward?.mode).toBe(
        'passthrough',
      );
    });

    it('edits a network one field at a time', () => {
      const text = serializeXml(parseXml(corpusFile('networks/nat-network-dns-srv-records.xml')));
      const doc = parseXml(text);
      expect(
        diff(text, serializeXml(setNetworkForward(doc, { mode: 'route', dev: null }))),
      ).toMatchObject({
        removed: ["  <forward dev='eth1' mode='nat'>"],
        added: ["  <forward mode='route'>"],
      });
      expect(diff(text, serializeXml(setNetworkBridge(doc, { stp: false })))).toMatchObject({
        removed: ["  <bridge name='virbr0' stp='on' delay='0'/>"],
        added: ["  <bridge name='virbr0' stp='off' delay='0'/>"],
      });
      expect(diff(text, serializeXml(setNetworkDomainName(doc, 'lan'))).added).toEqual([
        "  <domain name='lan'/>",
      ]);
      const host = addDhcpHost(doc, 0, {
        mac: '52:54:00:00:00:09',
        name: 'c',
        ip: '192.168.122.12',
      });
      expect(diff(text, serializeXml(host))).toEqual({
        at: expect.any(Number) as number,
        removed: [],
        added: ["      <host mac='52:54:00:00:00:09' name='c' ip='192.168.122.12'/>"],
      });
      expect(serializeXml(removeDhcpHost(host, 0, '52:54:00:00:00:09'))).toBe(text);
      const ranged = setDhcpRanges(doc, 1, [{ start: '192.168.123.10', end: '192.168.123.20' }]);
      expect(readNetwork(ranged).ips[1]?.dhcp?.ranges).toEqual([
        { start: '192.168.123.10', end: '192.168.123.20' },
      ]);
      expect(() => addDhcpHost(doc, 9, { mac: 'x', ip: '1.2.3.4' })).toThrow(XmlEditError);
    });

    it('reads pools of several types', () => {
      expect(readPool(parseXml(corpusFile('pools/pool-dir.xml')))).toMatchObject({
        type: 'dir',
        name: 'virtimages',
        capacityBytes: 0,
        targetPath: '///var/////lib/libvirt/images//',
      });
      expect(readPool(parseXml(corpusFile('pools/pool-iscsi-auth.xml'))).source).toMatchObject({
        hosts: [{ name: 'iscsi.example.com', port: undefined }],
        devices: ['demo-target'],
      });
      expect(readPool(parseXml(corpusFile('pools/pool-logical-create.xml')))).toMatchObject({
        type: 'logical',
        source: { devices: ['/dev/sdb1', '/dev/sdb2', '/dev/sdb3'] },
      });
    });

    it('reads volumes: capacity units, format, backing store, escaped names', () => {
      expect(readVolume(parseXml(corpusFile('volumes/vol-qcow2-1.1.xml')))).toMatchObject({
        name: 'OtherDemo.img',
        capacity: { value: '5', unit: 'G', bytes: 5 * 1024 ** 3 },
        allocation: { value: '294912', unit: undefined, bytes: 294912 },
        format: 'qcow2',
        backingStore: { path: '/dev/null', format: 'raw' },
      });
      const named = readVolume(parseXml(corpusFile('volumes/vol-file-naming.xml')));
      expect(named.name).toBe('<sparse>.img');
      expect(named.capacity?.bytes).toBe(1024 ** 4);
      expect(named.path).toBe('/var/lib/libvirt/images/<sparse>.img');
    });
  },
);

describe('volume and snapshot edits', () => {
  it('builds a volume for create-xml and resizes it', () => {
    const doc = createVolumeDocument({
      name: 'disk.qcow2',
      capacityBytes: 20 * 1024 ** 3,
      format: 'qcow2',
      backingStore: { path: '/images/base.qcow2', format: 'qcow2' },
    });
    const text = serializeXml(doc);
    expect(text).toBe(
      [
        '<volume>',
        '  <name>disk.qcow2</name>',
        "  <capacity unit='bytes'>21474836480</capacity>",
        '  <target>',
        "    <format type='qcow2'/>",
        '  </target>',
        '  <backingStore>',
        '    <path>/images/base.qcow2</path>',
        "    <format type='qcow2'/>",
        '  </backingStore>',
        '</volume>',
        '',
      ].join('\n'),
    );
    expect(diff(text, serializeXml(setVolumeCapacity(doc, 1024)))).toMatchObject({
      removed: ["  <capacity unit='bytes'>21474836480</capacity>"],
      added: ["  <capacity unit='bytes'>1024</capacity>"],
    });
    expect(readVolume(setVolumeFormat(doc, 'raw')).format).toBe('raw');
    expect(() => createVolumeDocument({ name: 'a/b', capacityBytes: 1 })).toThrow(XmlEditError);
  });

  it('reads a snapshot and edits its description', () => {
    const snapshot = `<domainsnapshot>
  <name>before-upgrade</name>
  <description>Clean &amp; tested</description>
  <state>running</state>
  <parent>
    <name>installed</name>
  </parent>
  <creationTime>1700000000</creationTime>
  <memory snapshot='internal'/>
  <disks>
    <disk name='vda' snapshot='internal'/>
    <disk name='vdb' snapshot='external' type='file'>
      <driver type='qcow2'/>
      <source file='/images/vdb.snap'/>
    </disk>
  </disks>
  <domain type='kvm'>
    <name>vm</name>
  </domain>
</domainsnapshot>
`;
    const doc = parseXml(snapshot);
    expect(serializeXml(doc)).toBe(snapshot);
    const view = readSnapshot(doc);
    expect(view).toMatchObject({
      name: 'before-upgrade',
      description: 'Clean & tested',
      state: 'running',
      parent: 'installed',
      creationTime: 1700000000,
      memory: { snapshot: 'internal', file: undefined },
      disks: [
        { name: 'vda', snapshot: 'internal', driverType: undefined, sourceFile: undefined },
        { name: 'vdb', snapshot: 'external', driverType: 'qcow2', sourceFile: '/images/vdb.snap' },
      ],
    });
    expect(view.domain?.name).toBe('domain');
    expect(diff(snapshot, serializeXml(setSnapshotDescription(doc, 'Updated')))).toMatchObject({
      removed: ['  <description>Clean &amp; tested</description>'],
      added: ['  <description>Updated</description>'],
    });
    expect(readSnapshot(setSnapshotDescription(doc, null)).description).toBeUndefined();
  });
});
