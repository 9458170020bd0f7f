import { describe, expect, it } from 'vitest';
import { cloneDomainXml, interfaceCount } from '../../../../electron/clone/clone-domain-xml';
import { cloneVolumeName, freeCloneName, freeMac } from '../../../../electron/clone/clone-names';

const SOURCE = `<domain type='kvm'>
  <name>web01</name>
  <uuid>8f1c1c3e-5d0e-4a55-9f6a-2a1e6b0c9d01</uuid>
  <genid>43dc0cf8-809b-4adb-9bea-a9abb5f3d90d</genid>
  <sysinfo type='smbios'>
    <system>
      <entry name='manufacturer'>ACME</entry>
      <entry name='uuid'>8f1c1c3e-5d0e-4a55-9f6a-2a1e6b0c9d01</entry>
    </system>
  </sysinfo>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
    <nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>/var/lib/libvirt/qemu/nvram/web01_VARS.fd</nvram>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/pool/web01-vda.qcow2'/>
      <backingStore type='file'>
        <format type='qcow2'/>
        <source file='/pool/base.qcow2'/>
      </backingStore>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='volume' device='disk'>
      <driver name='qemu' type='raw'/>
      <source pool='data' volume='web01-data'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <source file='/iso/install.iso'/>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
    <interface type='network'>
      <mac address='52:54:00:11:22:33'/>
      <source network='default'/>
      <target dev='vnet3'/>
      <model type='virtio'/>
    </interface>
    <interface type='bridge'>
      <mac address='52:54:00:44:55:66'/>
      <source bridge='br0'/>
    </interface>
    <graphics type='vnc' port='5901' autoport='no' listen='127.0.0.1'/>
    <graphics type='spice' autoport='yes'/>
  </devices>
  <seclabel type='static' model='selinux' relabel='yes'>
    <label>system_u:system_r:svirt_t:s0:c10,c20</label>
  </seclabel>
  <seclabel type='none' model='dac'/>
</domain>
`;

const NEW_UUID = '0a0b0c0d-1111-4222-8333-444455556666';

function clone(nvramPath: string | null = '/var/lib/libvirt/qemu/nvram/web02_VARS.fd'): string {
  return cloneDomainXml(SOURCE, {
    name: 'web02',
    uuid: NEW_UUID,
    macs: ['52:54:00:aa:bb:01', '52:54:00:aa:bb:02'],
    disks: new Map([
      ['vda', { kind: 'file', file: '/pool/web02-vda.qcow2' }],
      ['vdb', { kind: 'volume', pool: 'fast', volume: 'web02-data' }],
      ['sda', { kind: 'keep' }],
    ]),
    nvramPath,
  });
}

describe('cloneDomainXml', () => {
  it('gives the clone its own name, UUID (also in sysinfo) and a new generation', () => {
    const xml = clone();
    expect(xml).toContain('<name>web02</name>');
    expect(xml).toContain(`<uuid>${NEW_UUID}</uuid>`);
    expect(xml).toContain(`<entry name='uuid'>${NEW_UUID}</entry>`);
    expect(xml).toContain("<entry name='manufacturer'>ACME</entry>");
    expect(xml).toContain('<genid/>');
    expect(xml).not.toContain('8f1c1c3e');
  });

  it('points copied disks at their copies, flattened, and keeps shared ones', () => {
    const xml = clone();
    expect(xml).toContain("<source file='/pool/web02-vda.qcow2'/>");
    expect(xml).not.toContain('base.qcow2');
    expect(xml).toContain("<disk type='volume' device='disk'>");
    expect(xml).toContain("<source pool='fast' volume='web02-data'/>");
    expect(xml).toContain("<source file='/iso/install.iso'/>");
  });

  it('drops skipped disks', () => {
    const xml = cloneDomainXml(SOURCE, {
      name: 'web02',
      uuid: NEW_UUID,
      macs: ['52:54:00:aa:bb:01', '52:54:00:aa:bb:02'],
      disks: new Map([['vdb', { kind: 'drop' }]]),
      nvramPath: null,
    });
    expect(xml).not.toContain('web01-data');
    expect(xml).toContain("<source file='/pool/web01-vda.qcow2'/>");
  });

  it('gives every NIC its new MAC and drops host-side device names', () => {
    const xml = clone();
    expect(xml).toContain("<mac address='52:54:00:aa:bb:01'/>");
    expect(xml).toContain("<mac address='52:54:00:aa:bb:02'/>");
    expect(xml).not.toContain('52:54:00:11:22:33');
    expect(xml).not.toContain('vnet3');
    expect(() =>
      cloneDomainXml(SOURCE, {
        name: 'x',
        uuid: NEW_UUID,
        macs: ['52:54:00:aa:bb:01'],
        disks: new Map(),
        nvramPath: null,
      }),
    ).toThrow(/MAC/);
  });

  it('turns fixed graphics ports into automatic ones and drops labels but not "none"', () => {
    const xml = clone();
    expect(xml).toContain("<graphics type='vnc' autoport='yes' listen='127.0.0.1'/>");
    expect(xml).toContain("<graphics type='spice' autoport='yes'/>");
    expect(xml).not.toContain('svirt_t');
    expect(xml).toContain("<seclabel type='none' model='dac'/>");
  });

  it('sets the new variable store and keeps the template, or leaves the path to libvirt', () => {
    expect(clone()).toContain(
      "<nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>/var/lib/libvirt/qemu/nvram/web02_VARS.fd</nvram>",
    );
    expect(clone(null)).toContain("<nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'/>");
  });

  it('counts interfaces', () => {
    expect(interfaceCount(SOURCE)).toBe(2);
  });
});

describe('clone names', () => {
  it('suggests <name>-clone, then -clone1, -clone2', () => {
    expect(freeCloneName('web01', new Set())).toBe('web01-clone');
    expect(freeCloneName('web01', new Set(['web01-clone', 'web01-clone1']))).toBe('web01-clone2');
  });

  it("puts the clone's name in the volume's, else -clone before the extension", () => {
    expect(cloneVolumeName('web01-vda.qcow2', 'web01', 'web02', new Set())).toBe('web02-vda.qcow2');
    expect(cloneVolumeName('disk.img', 'web01', 'web02', new Set())).toBe('disk-clone.img');
    expect(cloneVolumeName('data', 'web01', 'web02', new Set(['data-clone']))).toBe('data-clone-1');
  });

  it('makes unicast 52:54:00 MACs not taken yet', () => {
    const taken = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const mac = freeMac(taken);
      expect(mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
      expect(taken.has(mac)).toBe(false);
      taken.add(mac);
    }
  });
});
