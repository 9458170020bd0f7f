import { mdevModels, type HostDeviceSummary, type MdevModel } from '../../../../../shared/contract';
import {
  createElement,
  findElement,
  getAttribute,
  serializeElement,
  type XmlElement,
} from '../../../../../shared/xml';

const hex = (n: number, width: number): string => `0x${n.toString(16).padStart(width, '0')}`;

/**
 * `<hostdev mode='subsystem' managed='yes'>` for a host device: USB by vendor/product (so it
 * follows the device to another port), PCI by address. managed='yes' lets libvirt detach the
 * PCI device from its host driver and bind vfio-pci, and give it back afterwards.
 */
export function hostDeviceXml(device: HostDeviceSummary): string | null {
  if (device.kind === 'usb') {
    if (!device.vendorId || !device.productId) return null;
    return serializeElement(
      createElement('hostdev', { mode: 'subsystem', type: 'usb', managed: 'yes' }, [
        createElement('source', {}, [
          createElement('vendor', { id: device.vendorId }),
          createElement('product', { id: device.productId }),
        ]),
      ]),
    ).trimEnd();
  }
  if (!device.pci) return null;
  const { domain, bus, slot, function: fn } = device.pci;
  return serializeElement(
    createElement('hostdev', { mode: 'subsystem', type: 'pci', managed: 'yes' }, [
      createElement('source', {}, [
        createElement('address', {
          domain: hex(domain, 4),
          bus: hex(bus, 2),
          slot: hex(slot, 2),
          function: hex(fn, 1),
        }),
      ]),
    ]),
  ).trimEnd();
}

/** How the picker lists a device: "0000:00:1f.3 Intel … Audio" / "001:002 Logitech … Mouse". */
export function hostDeviceLabel(device: HostDeviceSummary): string {
  const names = [device.vendor, device.product].filter(Boolean).join(' ');
  const ids = device.vendorId && device.productId ? `${device.vendorId}:${device.productId}` : '';
  let where = device.name;
  if (device.pci) {
    const p = device.pci;
    where = `${p.domain.toString(16).padStart(4, '0')}:${p.bus.toString(16).padStart(2, '0')}:${p.slot
      .toString(16)
      .padStart(2, '0')}.${p.function.toString(16)}`;
  } else if (device.usb) {
    where = `${String(device.usb.bus).padStart(3, '0')}:${String(device.usb.device).padStart(3, '0')}`;
  }
  return [where, names || ids].filter(Boolean).join(' ');
}

/** The hostdev model for a type's deviceAPI; null for an API libvirt cannot pass through. */
export function mdevModelOf(deviceApi: string | null): MdevModel | null {
  return mdevModels.find((m) => m === deviceApi) ?? null;
}

/**
 * `<hostdev mode='subsystem' type='mdev'>` for a mediated device by its UUID. `display`
 * (the vGPU as the VM's display) exists for vfio-pci only; libvirt refuses it elsewhere.
 */
export function mdevHostdevXml(device: {
  uuid: string;
  model: MdevModel;
  display?: boolean;
}): string {
  const attributes: Record<string, string> = {
    mode: 'subsystem',
    type: 'mdev',
    model: device.model,
  };
  if (device.model === 'vfio-pci' && device.display !== undefined) {
    attributes['display'] = device.display ? 'on' : 'off';
  }
  return serializeElement(
    createElement('hostdev', attributes, [
      createElement('source', {}, [createElement('address', { uuid: device.uuid })]),
    ]),
  ).trimEnd();
}

/** What a mediated-device hostdev says: its UUID, model and display, as the page shows them. */
export interface MdevHostdevView {
  uuid: string | null;
  model: string | null;
  display: string | null;
  ramfb: string | null;
}

/** The mdev facts of a `<hostdev>` element, or null when it is no mediated device. */
export function readMdevHostdev(el: XmlElement): MdevHostdevView | null {
  if (el.name !== 'hostdev' || getAttribute(el, 'type') !== 'mdev') return null;
  const address = findElement(el, 'source/address');
  return {
    uuid: (address && getAttribute(address, 'uuid')) ?? null,
    model: getAttribute(el, 'model') ?? null,
    display: getAttribute(el, 'display') ?? null,
    ramfb: getAttribute(el, 'ramfb') ?? null,
  };
}

/** The locale key under `addHardware.mdev.state` for a mediated device's state on the host. */
export function mdevStateKey(active: boolean | null): 'active' | 'defined' | 'unknown' {
  if (active === null) return 'unknown';
  return active ? 'active' : 'defined';
}
