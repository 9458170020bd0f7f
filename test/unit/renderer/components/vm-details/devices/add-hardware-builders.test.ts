import { describe, expect, it } from 'vitest';
import type { HostDeviceSummary } from '../../../../../../shared/contract/host-devices';
import { parseXml, serializeXml } from '../../../../../../shared/xml';
import { nextDiskTarget } from '../../../../../../renderer/src/components/vm-details/devices/disk-target-name';
import {
  hostDeviceLabel,
  hostDeviceXml,
} from '../../../../../../renderer/src/components/vm-details/devices/host-device-xml';
import {
  initialValues,
  simpleDeviceKinds,
  simpleDeviceXml,
  visibleFields,
} from '../../../../../../renderer/src/components/vm-details/devices/simple-device-kinds';

describe('Add Hardware: disk target names', () => {
  it('takes the first free name of the bus prefix', () => {
    expect(nextDiskTarget('virtio', [])).toBe('vda');
    expect(nextDiskTarget('virtio', ['vda', 'vdb', 'hdc'])).toBe('vdc');
    expect(nextDiskTarget('sata', ['vda', 'sda'])).toBe('sdb');
    expect(nextDiskTarget('ide', ['hda'])).toBe('hdb');
    expect(nextDiskTarget('fdc', [])).toBe('fda');
  });

  it('goes on after z as Linux does: aa, ab', () => {
    const used = Array.from({ length: 26 }, (_, i) => `vd${String.fromCharCode(97 + i)}`);
    expect(nextDiskTarget('virtio', used)).toBe('vdaa');
    expect(nextDiskTarget('virtio', [...used, 'vdaa'])).toBe('vdab');
  });
});

describe('Add Hardware: device XML from the small forms', () => {
  it('builds well-formed XML for every kind from its defaults, or waits for required fields', () => {
    for (const [name, kind] of Object.entries(simpleDeviceKinds)) {
      const values = initialValues(kind);
      const required = visibleFields(kind, values).some((f) => f.required && !values[f.key]);
      const xml = simpleDeviceXml(name as keyof typeof simpleDeviceKinds, values);
      if (required) {
        expect(xml, name).toBeNull();
      } else {
        expect(xml, name).not.toBeNull();
        expect(() => parseXml(xml!), name).not.toThrow();
      }
    }
  });

  it('escapes what the user types instead of pasting it into markup', () => {
    const xml = simpleDeviceXml('filesystem', {
      driver: 'virtiofs',
      source: "/srv/it's <here> & there",
      target: 'tag"x',
    });
    expect(xml).not.toBeNull();
    const doc = parseXml(xml!);
    expect(serializeXml(doc)).toContain('&lt;here&gt; &amp; there');
    expect(xml).toContain("<driver type='virtiofs'/>");
  });

  it('builds the channel for the guest agent and SPICE agent, and only shows fields that apply', () => {
    expect(simpleDeviceXml('serial', { device: 'channel', channel: 'qemu-guest-agent' })).toBe(
      "<channel type='unix'>\n  <target type='virtio' name='org.qemu.guest_agent.0'/>\n</channel>",
    );
    expect(simpleDeviceXml('serial', { device: 'channel', channel: 'spice-vdagent' })).toContain(
      "type='spicevmc'",
    );
    const kind = simpleDeviceKinds.serial;
    expect(visibleFields(kind, { device: 'serial' }).map((f) => f.key)).toEqual(['device']);
    expect(visibleFields(kind, { device: 'channel' }).map((f) => f.key)).toEqual([
      'device',
      'channel',
    ]);
  });

  it('takes a vsock CID only as a number; empty means automatic', () => {
    expect(simpleDeviceXml('vsock', { cid: '' })).toContain("<cid auto='yes'/>");
    expect(simpleDeviceXml('vsock', { cid: '7' })).toContain("<cid auto='no' address='7'/>");
    expect(simpleDeviceXml('vsock', { cid: '7; rm' })).toBeNull();
  });
});

describe('Add Hardware: host devices', () => {
  const pci: HostDeviceSummary = {
    name: 'pci_0000_00_1f_3',
    kind: 'pci',
    vendor: 'Intel Corporation',
    product: 'Audio',
    vendorId: '0x8086',
    productId: '0x293e',
    driver: 'snd_hda_intel',
    pci: { domain: 0, bus: 0, slot: 31, function: 3 },
  };
  const usb: HostDeviceSummary = {
    name: 'usb_1_2',
    kind: 'usb',
    vendor: 'Logitech',
    product: null,
    vendorId: '0x046d',
    productId: '0xc077',
    driver: null,
    usb: { bus: 1, device: 2 },
  };

  it('passes a PCI device by address and a USB device by ids, managed', () => {
    expect(hostDeviceXml(pci)).toBe(
      "<hostdev mode='subsystem' type='pci' managed='yes'>\n  <source>\n" +
        "    <address domain='0x0000' bus='0x00' slot='0x1f' function='0x3'/>\n  </source>\n</hostdev>",
    );
    expect(hostDeviceXml(usb)).toContain("<vendor id='0x046d'/>");
    expect(hostDeviceXml(usb)).toContain("<product id='0xc077'/>");
    expect(hostDeviceXml({ ...usb, productId: null })).toBeNull();
  });

  it('labels devices by where they sit and what they are', () => {
    expect(hostDeviceLabel(pci)).toBe('0000:00:1f.3 Intel Corporation Audio');
    expect(hostDeviceLabel(usb)).toBe('001:002 Logitech');
  });
});
