import { describe, expect, it } from 'vitest';
import { readDomainXml } from '../../../electron/vms/domain-xml-summary';

// Shaped like libvirt 9.0's `virsh dumpxml` of a started UEFI guest (see the team notes).
const uefiRunning = `<domain type='qemu' id='3'>
  <name>web01</name>
  <uuid>6c347bbd-b09a-49a3-9b6b-4688d5fa8768</uuid>
  <title>Front end &amp; cache</title>
  <description>line one
line two</description>
  <metadata>
    <other:thing xmlns:other="https://example.org/x"><other:tag>not ours</other:tag></other:thing>
    <vd:tags xmlns:vd="https://virtdeck.dev/xmlns/virtdeck/1">
      <vd:tag>prod</vd:tag>
      <vd:tag>db &lt;primary&gt;</vd:tag>
      <vd:tag>prod</vd:tag>
    </vd:tags>
  </metadata>
  <memory unit='GiB'>2</memory>
  <currentMemory unit='KiB'>1048576</currentMemory>
  <vcpu placement='static' current='2'>4</vcpu>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
    <loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</loader>
    <nvram template='/usr/share/OVMF/OVMF_VARS_4M.ms.fd'>/var/lib/libvirt/qemu/nvram/web01_VARS.fd</nvram>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/web01.qcow2' index='2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='volume' device='disk'>
      <source pool='data' volume='web01-data'/>
      <target dev='vdb' bus='virtio'/>
      <shareable/>
    </disk>
    <disk type='network' device='disk'>
      <source protocol='rbd' name='rbd/web01-scratch'/>
      <target dev='vdc' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
    <disk type='block' device='disk'>
      <source dev='/dev/vg0/web01'/>
      <target dev='vdd' bus='virtio'/>
    </disk>
    <graphics type='spice' autoport='yes'/>
    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>
  </devices>
</domain>
`;

describe('readDomainXml', () => {
  it('reads what the list shows from a running UEFI guest', () => {
    const s = readDomainXml(uefiRunning);
    expect(s).toMatchObject({
      name: 'web01',
      title: 'Front end & cache',
      description: 'line one\nline two',
      tags: ['db <primary>', 'prod'],
      graphics: ['spice', 'vnc'],
      firmware: 'efi',
      nvramPath: '/var/lib/libvirt/qemu/nvram/web01_VARS.fd',
      vcpus: 2,
      maxVcpus: 4,
      memoryKiB: 1048576,
      maxMemoryKiB: 2 * 1024 * 1024,
    });
    expect(s.disks).toEqual([
      {
        target: 'vda',
        device: 'disk',
        type: 'file',
        path: '/var/lib/libvirt/images/web01.qcow2',
        pool: null,
        volume: null,
        network: null,
        readonly: false,
        shareable: false,
      },
      {
        target: 'vdb',
        device: 'disk',
        type: 'volume',
        path: null,
        pool: 'data',
        volume: 'web01-data',
        network: null,
        readonly: false,
        shareable: true,
      },
      {
        target: 'vdc',
        device: 'disk',
        type: 'network',
        path: null,
        pool: null,
        volume: null,
        network: 'rbd:rbd/web01-scratch',
        readonly: false,
        shareable: false,
      },
      {
        target: 'sda',
        device: 'cdrom',
        type: 'file',
        path: null,
        pool: null,
        volume: null,
        network: null,
        readonly: true,
        shareable: false,
      },
      {
        target: 'vdd',
        device: 'disk',
        type: 'block',
        path: '/dev/vg0/web01',
        pool: null,
        volume: null,
        network: null,
        readonly: false,
        shareable: false,
      },
    ]);
  });

  it('knows a firmware-autoselected UEFI guest that has not started yet', () => {
    const s = readDomainXml(`<domain type='qemu'><name>a</name>
      <memory unit='KiB'>65536</memory><vcpu>1</vcpu>
      <os firmware='efi'><type arch='x86_64'>hvm</type></os></domain>`);
    expect(s).toMatchObject({ firmware: 'efi', nvramPath: null, vcpus: 1, maxVcpus: 1 });
    // Without <currentMemory> the current size is the maximum.
    expect(s.memoryKiB).toBe(65536);
  });

  it('gives plain defaults for a bare BIOS guest: no tags, no devices, empty title', () => {
    const s = readDomainXml(`<domain type='test'><name>bare</name>
      <memory>1024</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`);
    expect(s).toEqual({
      name: 'bare',
      title: '',
      description: '',
      tags: [],
      graphics: [],
      firmware: 'bios',
      nvramPath: null,
      disks: [],
      vcpus: 1,
      maxVcpus: 1,
      memoryKiB: 1024,
      maxMemoryKiB: 1024,
    });
  });

  it('converts every libvirt memory unit to KiB', () => {
    const kib = (memory: string) =>
      readDomainXml(`<domain><name>m</name>${memory}<vcpu>1</vcpu></domain>`).maxMemoryKiB;
    expect(kib("<memory unit='b'>2048</memory>")).toBe(2);
    expect(kib("<memory unit='bytes'>1024</memory>")).toBe(1);
    expect(kib("<memory unit='KB'>1024</memory>")).toBe(1000);
    expect(kib("<memory unit='M'>3</memory>")).toBe(3072);
    expect(kib("<memory unit='MB'>1</memory>")).toBe(976);
    expect(kib("<memory unit='G'>1</memory>")).toBe(1048576);
    expect(kib("<memory unit='TiB'>1</memory>")).toBe(1024 ** 3);
    expect(kib("<memory unit='parsecs'>1</memory>")).toBe(0);
    expect(kib('<memory>lots</memory>')).toBe(0);
  });

  it('ignores tags in another namespace, even under our element names', () => {
    const s = readDomainXml(`<domain><name>n</name><vcpu>1</vcpu><metadata>
      <x:tags xmlns:x="https://virtdeck.dev/xmlns/virtdeck/2"><x:tag>v2</x:tag></x:tags>
      <tags xmlns="https://virtdeck.dev/xmlns/virtdeck/1"><tag> spaced </tag><tag></tag></tags>
    </metadata></domain>`);
    // The default-namespace form counts; the other version does not; blanks are dropped.
    expect(s.tags).toEqual(['spaced']);
  });

  it('rejects what is not XML with the parser error', () => {
    expect(() => readDomainXml('<domain><name>x</domain>')).toThrow(/name|domain/);
  });
});
