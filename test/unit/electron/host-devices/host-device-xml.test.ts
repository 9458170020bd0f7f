import { describe, expect, it } from 'vitest';
import { readHostDevice } from '../../../../electron/host-devices/host-device-xml';

// Shapes of `virsh nodedev-dumpxml` output (libvirt 9) for one PCI and one USB device.
const PCI = `<device>
  <name>pci_0000_00_1f_3</name>
  <path>/sys/devices/pci0000:00/0000:00:1f.3</path>
  <parent>computer</parent>
  <driver>
    <name>snd_hda_intel</name>
  </driver>
  <capability type='pci'>
    <class>0x040300</class>
    <domain>0</domain>
    <bus>0</bus>
    <slot>31</slot>
    <function>3</function>
    <product id='0x293e'>82801I (ICH9 Family) HD Audio Controller</product>
    <vendor id='0x8086'>Intel Corporation</vendor>
  </capability>
</device>
`;
const USB = `<device>
  <name>usb_1_2</name>
  <parent>usb_usb1</parent>
  <capability type='usb_device'>
    <bus>1</bus>
    <device>2</device>
    <product id='0xc077'/>
    <vendor id='0x046d'>Logitech, Inc.</vendor>
  </capability>
</device>
`;

describe('node device XML → host device summary', () => {
  it('reads a PCI device: address, ids, names, driver', () => {
    expect(readHostDevice(PCI, 'pci')).toEqual({
      name: 'pci_0000_00_1f_3',
      kind: 'pci',
      vendor: 'Intel Corporation',
      product: '82801I (ICH9 Family) HD Audio Controller',
      vendorId: '0x8086',
      productId: '0x293e',
      driver: 'snd_hda_intel',
      pci: { domain: 0, bus: 0, slot: 31, function: 3 },
    });
  });

  it('reads a USB device with an unnamed product', () => {
    expect(readHostDevice(USB, 'usb')).toMatchObject({
      name: 'usb_1_2',
      vendor: 'Logitech, Inc.',
      product: null,
      productId: '0xc077',
      driver: null,
      usb: { bus: 1, device: 2 },
    });
  });

  it('gives null for a device without the asked capability or without its address', () => {
    expect(readHostDevice(USB, 'pci')).toBeNull();
    expect(readHostDevice(PCI.replace('<slot>31</slot>', ''), 'pci')).toBeNull();
  });
});
