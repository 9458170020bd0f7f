import type { HostDeviceKind, HostDeviceSummary } from '../../shared/contract/host-devices';
import {
  documentRoot,
  findElement,
  findText,
  getAttribute,
  getText,
  parseXml,
  type XmlElement,
} from '../../shared/xml';

/** libvirt writes PCI address parts in decimal in node device XML, sometimes as 0x… hex. */
function number(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  const value = /^0x[0-9a-f]+$/i.test(trimmed) ? parseInt(trimmed, 16) : Number(trimmed);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}

function idAndName(cap: XmlElement, name: string): { id: string | null; label: string | null } {
  const el = findElement(cap, name);
  const label = el ? (getText(el) ?? '').trim() : '';
  return { id: (el && getAttribute(el, 'id')) ?? null, label: label || null };
}

/**
 * The summary of one node device's XML (`virNodeDeviceGetXMLDesc`), or null when it has no
 * capability of this kind or lacks the address a hostdev needs.
 */
export function readHostDevice(xml: string, kind: HostDeviceKind): HostDeviceSummary | null {
  const root = documentRoot(parseXml(xml));
  const name = findText(root, 'name')?.trim();
  const capType = kind === 'pci' ? 'pci' : 'usb_device';
  const cap = root.children.find(
    (c): c is XmlElement =>
      c.kind === 'element' && c.name === 'capability' && getAttribute(c, 'type') === capType,
  );
  if (!name || !cap) return null;
  const vendor = idAndName(cap, 'vendor');
  const product = idAndName(cap, 'product');
  const base = {
    name,
    kind,
    vendor: vendor.label,
    product: product.label,
    vendorId: vendor.id,
    productId: product.id,
    driver: findText(root, 'driver/name')?.trim() ?? null,
  };
  if (kind === 'usb') {
    const bus = number(findText(cap, 'bus'));
    const device = number(findText(cap, 'device'));
    if (bus === undefined || device === undefined) return null;
    return { ...base, usb: { bus, device } };
  }
  const parts = ['domain', 'bus', 'slot', 'function'].map((p) => number(findText(cap, p)));
  const [domain, bus, slot, fn] = parts;
  if (domain === undefined || bus === undefined || slot === undefined || fn === undefined) {
    return null;
  }
  return { ...base, pci: { domain, bus, slot, function: fn } };
}
