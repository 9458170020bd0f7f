import { describe, expect, it } from 'vitest';
import { listDevices, parseXml } from '../../../../../shared/xml';
import {
  bootCandidates,
  bootOrderIds,
} from '../../../../../renderer/src/components/vm-details/boot-order';
import {
  chipsetOf,
  deviceNavItem,
  isPending,
  kibToMiB,
  libosinfoId,
  moveItem,
} from '../../../../../renderer/src/components/vm-details/details-nav';

const DOMAIN = `<domain type='kvm'>
  <name>web01</name>
  <metadata>
    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
      <libosinfo:os id="http://debian.org/debian/12"/>
    </libosinfo:libosinfo>
  </metadata>
  <memory unit='KiB'>1048576</memory>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
    <boot dev='cdrom'/>
    <boot dev='hd'/>
  </os>
  <devices>
    <disk type='file' device='disk'><source file='/a.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><target dev='sda' bus='sata'/></disk>
    <interface type='network'><mac address='52:54:00:12:34:56'/><source network='default'/></interface>
    <input type='keyboard' bus='ps2'/>
    <graphics type='vnc' port='-1'/>
  </devices>
</domain>`;

describe('Details navigation', () => {
  const doc = parseXml(DOMAIN);

  it('names each device by kind and what tells it apart', () => {
    const items = listDevices(doc).map(deviceNavItem);
    expect(items.map((i) => [i.labelKind, i.detail])).toEqual([
      ['disk', 'vda'],
      ['cdrom', 'sda'],
      ['interface', '52:54:00:12:34:56'],
      ['input', 'keyboard:ps2'],
      ['graphics', 'vnc'],
    ]);
    expect(new Set(items.map((i) => i.icon)).size).toBe(5);
    expect(items[1]?.kind).toBe('disk');
  });

  it('moves an item one place and ignores moves off either end', () => {
    expect(moveItem(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
    expect(moveItem(['a', 'b'], 1, 1)).toEqual(['a', 'b']);
  });

  it('reads the chipset, the recorded OS, pending parts and MiB', () => {
    expect(chipsetOf('pc-q35-7.2')).toBe('Q35');
    expect(chipsetOf('pc')).toBe('i440FX');
    expect(chipsetOf('pc-i440fx-7.2')).toBe('i440FX');
    expect(chipsetOf(undefined)).toBeNull();
    expect(libosinfoId(doc)).toBe('http://debian.org/debian/12');
    expect(libosinfoId(parseXml('<domain><name>x</name></domain>'))).toBeNull();
    expect(isPending([{ part: 'vcpu.maximum' }], ['vcpu.maximum'])).toBe(true);
    expect(isPending([{ part: 'vcpu.maximum' }], ['vcpu.current'])).toBe(false);
    expect(kibToMiB(1048576)).toBe(1024);
    expect(kibToMiB(1500)).toBe(1);
    expect(kibToMiB(undefined)).toBeNull();
  });
});

describe('Boot order list', () => {
  it('follows <os><boot dev> classes when no device has an order', () => {
    const list = bootCandidates(parseXml(DOMAIN));
    expect(list.map((c) => [c.id, c.enabled])).toEqual([
      ['disk:sda', true],
      ['disk:vda', true],
      ['interface:52:54:00:12:34:56', false],
    ]);
    expect(bootOrderIds(list)).toEqual(['disk:sda', 'disk:vda']);
  });

  it('follows per-device boot orders when there are some', () => {
    const xml = DOMAIN.replace(/<boot dev='[a-z]+'\/>/g, '')
      .replace("<source network='default'/>", "<source network='default'/><boot order='1'/>")
      .replace(
        "<target dev='vda' bus='virtio'/>",
        "<target dev='vda' bus='virtio'/><boot order='2'/>",
      );
    const list = bootCandidates(parseXml(xml));
    expect(list.map((c) => [c.id, c.enabled])).toEqual([
      ['interface:52:54:00:12:34:56', true],
      ['disk:vda', true],
      ['disk:sda', false],
    ]);
  });
});
