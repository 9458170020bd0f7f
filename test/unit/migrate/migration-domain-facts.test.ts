import { describe, expect, it } from 'vitest';
import { parseXml, serializeXml } from '../../../shared/xml';
import {
  moveDiskPaths,
  readMigrationFacts,
} from '../../../electron/migrate/migration-domain-facts';

const XML = `<domain type='kvm'>
  <name>web01</name>
  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
  <cpu mode='custom' match='exact'><model fallback='forbid'>Skylake-Client</model></cpu>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/web01.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <source file='/iso/debian.iso'/>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
    <disk type='block' device='disk'>
      <driver name='qemu' type='raw'/>
      <source dev='/dev/vg/data'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <source file='/shared/db.img'/>
      <target dev='vdc' bus='virtio'/>
      <shareable/>
    </disk>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source><address domain='0x0000' bus='0x03' slot='0x00' function='0x1'/></source>
    </hostdev>
    <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
      <source><address uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/></source>
    </hostdev>
    <interface type='hostdev'><source><address type='pci' domain='0' bus='4' slot='0' function='2'/></source></interface>
  </devices>
</domain>`;

describe('readMigrationFacts', () => {
  it('lists the disks a copy would move, host devices, and the CPU to compare', () => {
    const facts = readMigrationFacts(XML);
    expect(facts).toMatchObject({
      name: 'web01',
      domainType: 'kvm',
      arch: 'x86_64',
      machine: 'pc-q35-7.2',
      cpuMode: 'custom',
      cpuHasModel: true,
    });
    expect(facts.cpuXml).toBe(
      "<cpu mode='custom' match='exact'>\n  <model fallback='forbid'>Skylake-Client</model>\n</cpu>",
    );
    // CD-ROMs and shareable disks stay where they are.
    expect(facts.disks).toEqual([
      {
        target: 'vda',
        path: '/var/lib/libvirt/images/web01.qcow2',
        format: 'qcow2',
        sourceType: 'file',
      },
      { target: 'vdb', path: '/dev/vg/data', format: 'raw', sourceType: 'block' },
    ]);
    expect(facts.hostDevices).toEqual([
      { kind: 'host-device', description: 'pci host device 0x0000:0x03:0x00:0x1' },
      {
        kind: 'mediated-device',
        description: 'mediated device c2177883-f1bb-47f0-914d-32a22e3a8804',
      },
      { kind: 'host-device', description: 'SR-IOV network interface (hostdev)' },
    ]);
  });

  it('reports no CPU for a VM without a <cpu> element', () => {
    const facts = readMigrationFacts(`<domain type='qemu'><name>t</name><devices/></domain>`);
    expect(facts).toMatchObject({
      cpuXml: null,
      cpuMode: null,
      cpuHasModel: false,
      disks: [],
      hostDevices: [],
    });
  });
});

describe('moveDiskPaths', () => {
  it('changes only the moved file disks, leaving every other byte alone', () => {
    // As libvirt writes it (our serialiser formats the same way).
    const libvirtXml = serializeXml(parseXml(XML));
    const moved = moveDiskPaths(libvirtXml, new Map([['vda', '/pool/b/web01.qcow2']]));
    expect(moved).toBe(
      libvirtXml.replace(
        "<source file='/var/lib/libvirt/images/web01.qcow2'/>",
        "<source file='/pool/b/web01.qcow2'/>",
      ),
    );
  });

  it('returns the XML untouched when nothing moves or the target is unknown', () => {
    expect(moveDiskPaths(XML, new Map())).toBe(XML);
    expect(moveDiskPaths(XML, new Map([['vdz', '/x/y.qcow2']]))).toBe(XML);
  });
});
