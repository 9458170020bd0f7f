import { getAttribute } from '../element-attributes';
import { insertChildInOrder, removeChildAt, replaceChildAt } from '../element-children';
import { findElement } from '../element-query';
import { XmlEditError } from '../xml-edit-error';
import type { XmlDocument, XmlElement } from '../xml-node';
import { deviceKey } from './device-identity';
import { domainRoot, updateDomainPath } from './domain-edit';
import { DOMAIN_CHILD_ORDERS } from './domain-order';

export interface DeviceEntry {
  /**
   * Stable identity: `kind:key` (`disk:vda`, `interface:52:54:00:…`, `controller:usb:0`) or,
   * for devices without a key, `kind#n` by position among that kind. Repeated keys get `#n`.
   */
  readonly id: string;
  /** The element name: disk, interface, graphics, controller, … */
  readonly kind: string;
  /** Position among devices of the same kind (0-based). */
  readonly ordinal: number;
  readonly key: string | undefined;
  /** `<alias name>` (live XML and user aliases `ua-…`). */
  readonly alias: string | undefined;
  readonly element: XmlElement;
  /** Position among `<devices>`' children. */
  readonly childIndex: number;
}

/** Children of `<devices>` that are not devices. */
const NOT_DEVICES: readonly string[] = ['emulator'];

/** Every device under `<devices>`, in document order. */
export function listDevices(doc: XmlDocument): DeviceEntry[] {
  const devices = findElement(domainRoot(doc), 'devices');
  if (!devices) return [];
  const ordinals = new Map<string, number>();
  const seen = new Map<string, number>();
  const out: DeviceEntry[] = [];
  devices.children.forEach((child, childIndex) => {
    if (child.kind !== 'element' || NOT_DEVICES.includes(child.name)) return;
    const ordinal = ordinals.get(child.name) ?? 0;
    ordinals.set(child.name, ordinal + 1);
    const key = deviceKey(child);
    let id = key === undefined ? `${child.name}#${ordinal}` : `${child.name}:${key}`;
    const repeats = (seen.get(id) ?? 0) + 1;
    seen.set(id, repeats);
    if (repeats > 1) id = `${id}#${repeats}`;
    const aliasEl = findElement(child, 'alias');
    out.push({
      id,
      kind: child.name,
      ordinal,
      key,
      alias: aliasEl && getAttribute(aliasEl, 'name'),
      element: child,
      childIndex,
    });
  });
  return out;
}

/** Devices of one kind (`disk`, `interface`, …). */
export function listDevicesOfKind(doc: XmlDocument, kind: string): DeviceEntry[] {
  return listDevices(doc).filter((d) => d.kind === kind);
}

export function findDevice(doc: XmlDocument, id: string): DeviceEntry | undefined {
  return listDevices(doc).find((d) => d.id === id);
}

/** The device with this id; XmlEditError when there is none. */
export function getDevice(doc: XmlDocument, id: string): DeviceEntry {
  const entry = findDevice(doc, id);
  if (!entry) throw new XmlEditError(`no device '${id}' in this domain`);
  return entry;
}

/** The id of a device element of this document (by identity), e.g. right after addDevice. */
export function deviceIdOf(doc: XmlDocument, element: XmlElement): string | undefined {
  return listDevices(doc).find((d) => d.element === element)?.id;
}

/** Adds a device after the last one of its kind, where libvirt would list it. */
export function addDevice(doc: XmlDocument, device: XmlElement): XmlDocument {
  if (NOT_DEVICES.includes(device.name)) throw new XmlEditError(`<${device.name}> is not a device`);
  return updateDomainPath(doc, 'devices', (devices) =>
    insertChildInOrder(devices, device, DOMAIN_CHILD_ORDERS['devices']),
  );
}

export function removeDevice(doc: XmlDocument, id: string): XmlDocument {
  const entry = getDevice(doc, id);
  return updateDomainPath(doc, 'devices', (devices) => removeChildAt(devices, entry.childIndex));
}

/** Puts `device` in place of the device `id` (same position). */
export function replaceDevice(doc: XmlDocument, id: string, device: XmlElement): XmlDocument {
  const entry = getDevice(doc, id);
  return updateDomainPath(doc, 'devices', (devices) =>
    replaceChildAt(devices, entry.childIndex, device),
  );
}

/** Applies `update` to the device `id`; the typed device editors fit here. */
export function updateDevice(
  doc: XmlDocument,
  id: string,
  update: (device: XmlElement) => XmlElement,
): XmlDocument {
  const entry = getDevice(doc, id);
  return replaceDevice(doc, id, update(entry.element));
}
