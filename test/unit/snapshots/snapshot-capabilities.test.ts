import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../shared/xml';
import {
  readSnapshotDomainFacts,
  snapshotCapabilities,
  versionText,
} from '../../../electron/snapshots/snapshot-capabilities';

const vm = { connectionId: '11111111-1111-4111-8111-111111111111', uuid: 'u' };

function domain(os: string, disks: string, extra = ''): string {
  return `<domain type='kvm'><name>d</name><os><type>hvm</type>${os}</os><devices>${disks}${extra}</devices></domain>`;
}

const disk = (format: string, target = 'vda', more = '') =>
  `<disk type='file' device='disk'><driver name='qemu' type='${format}'/><source file='/v/${target}.img'/><target dev='${target}'/>${more}</disk>`;
const cdrom = `<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='/iso/x.iso'/><target dev='sda'/><readonly/></disk>`;

function caps(xml: string, libVersion = 9_000_000, active = false, externalSnapshots = 0) {
  return snapshotCapabilities(
    readSnapshotDomainFacts(parseXml(xml)),
    libVersion,
    { active, externalSnapshots },
    vm,
  );
}

describe('snapshot capabilities', () => {
  it('allows internal snapshots of a qcow2-only BIOS VM, CD-ROMs left out', () => {
    const c = caps(domain('', disk('qcow2') + cdrom, "<graphics type='vnc'/>"));
    expect(c.internal).toEqual({ allowed: true });
    expect(c.defaultMode).toBe('internal');
    expect(c.disks).toEqual([
      { target: 'vda', format: 'qcow2', path: '/v/vda.img', included: true },
      { target: 'sda', format: 'raw', path: '/iso/x.iso', included: false },
    ]);
    expect(c.memory).toMatchObject({ allowed: false, code: 'not-running' });
  });

  it('refuses internal snapshots with a raw disk, defaulting to external', () => {
    const c = caps(domain('', disk('qcow2') + disk('raw', 'vdb')));
    expect(c.internal).toMatchObject({ allowed: false, code: 'non-qcow2-disk' });
    expect(c.internal.allowed === false && c.internal.reason).toContain('vdb is raw');
    expect(c.defaultMode).toBe('external');
  });

  it('refuses internal snapshots of UEFI VMs, by pflash loader or firmware autoselection', () => {
    for (const os of [
      "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>",
      '',
    ]) {
      const xml = os
        ? domain(os, disk('qcow2'))
        : domain('', disk('qcow2')).replace('<os>', "<os firmware='efi'>");
      const c = caps(xml);
      expect(c.firmware).toBe('efi');
      expect(c.internal).toMatchObject({ allowed: false, code: 'uefi-internal' });
      expect(c.external).toEqual({ allowed: true });
    }
  });

  it('has nothing to snapshot without writable disks', () => {
    const c = caps(domain('', cdrom));
    expect(c.internal).toMatchObject({ allowed: false, code: 'no-qcow2-disk' });
    expect(c.external).toMatchObject({ allowed: false, code: 'no-disks' });
    expect(c.defaultMode).toBeNull();
  });

  it('refuses network disks for both kinds', () => {
    const net = `<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='nbd' name='x'/><target dev='vdc'/></disk>`;
    const c = caps(domain('', disk('qcow2') + net));
    expect(c.internal).toMatchObject({ allowed: false, code: 'unsupported-disk' });
    expect(c.external).toMatchObject({ allowed: false, code: 'unsupported-disk' });
  });

  it('decides external revert and delete by the libvirt version', () => {
    const xml = domain('', disk('qcow2'));
    expect(caps(xml, 9_000_000).revertExternal).toMatchObject({
      allowed: false,
      code: 'revert-external-old-libvirt',
    });
    expect(caps(xml, 9_000_000).deleteExternal).toEqual({ allowed: true });
    expect(caps(xml, 9_009_000).revertExternal).toEqual({ allowed: true });
    expect(caps(xml, 8_010_000).deleteExternal).toMatchObject({
      allowed: false,
      code: 'delete-external-old-libvirt',
    });
    expect(caps(xml, 9_000_000).libvirtVersion).toBe('9.0.0');
    expect(versionText(10_002_003)).toBe('10.2.3');
  });

  it('keeps defaulting to external once the VM has external snapshots', () => {
    const c = caps(domain('', disk('qcow2')), 9_000_000, true, 2);
    expect(c.internal).toEqual({ allowed: true });
    expect(c.memory).toEqual({ allowed: true });
    expect(c.defaultMode).toBe('external');
  });
});
