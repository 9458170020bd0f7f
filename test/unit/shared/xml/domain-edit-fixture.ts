import { parseXml, serializeXml, type XmlDocument } from '../../../../shared/xml/index';
import { changedHunk } from './canonical-walk';

/** A virt-manager style q35 guest, as libvirt formats it (trimmed from libvirt's corpus). */
export const BASE_DOMAIN = `<domain type='kvm'>
  <name>basic</name>
  <uuid>1b826c23-8767-47ad-a6b5-c83a88277f71</uuid>
  <memory unit='KiB'>4194304</memory>
  <currentMemory unit='KiB'>4194304</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <boot dev='hd'/>
  </os>
  <features>
    <acpi/>
    <apic/>
    <vmport state='off'/>
  </features>
  <cpu mode='custom' match='exact' check='none'>
    <model fallback='forbid'>qemu64</model>
  </cpu>
  <clock offset='utc'>
    <timer name='rtc' tickpolicy='catchup'/>
    <timer name='pit' tickpolicy='delay'/>
    <timer name='hpet' present='no'/>
  </clock>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>restart</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/basic.qcow2'/>
      <target dev='vda' bus='virtio'/>
      <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <source file='/isos/install.iso'/>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
    <interface type='network'>
      <mac address='52:54:00:9a:e6:c6'/>
      <source network='default'/>
      <model type='virtio'/>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </interface>
    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'>
      <listen type='address' address='127.0.0.1'/>
    </graphics>
    <memballoon model='virtio'/>
  </devices>
</domain>
`;

export const baseDomain = (): XmlDocument => parseXml(BASE_DOMAIN);

/** The one changed region of the serialised document: lines removed and lines added. */
export function diffLines(
  before: XmlDocument,
  after: XmlDocument,
): { removed: string[]; added: string[] } {
  const { removed, added } = changedHunk(
    serializeXml(before).split('\n'),
    serializeXml(after).split('\n'),
  );
  return { removed, added };
}
