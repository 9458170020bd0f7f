import { patchAttribute, type FieldPatch } from '../element-attributes';
import { updateChild, type ElementUpdate } from '../element-update';
import { setText } from '../element-text';
import type { XmlElement } from '../xml-node';
import { assertInteger } from '../xml-values';
import { DEVICE_CHILD_ORDERS } from './domain-order';

/** updateChild with the device's canonical child order. */
export function updateDeviceChild(
  device: XmlElement,
  name: string,
  update: ElementUpdate,
  options: { create?: boolean; keepEmpty?: boolean } = {},
): XmlElement {
  return updateChild(device, name, update, { ...options, order: DEVICE_CHILD_ORDERS[device.name] });
}

/** Patches one attribute of a device child (`driver@cache`); removing never creates the child. */
export function patchChildAttribute(
  device: XmlElement,
  child: string,
  name: string,
  value: FieldPatch<string | number>,
): XmlElement {
  if (value === undefined) return device;
  return updateDeviceChild(device, child, (el) => patchAttribute(el, name, value), {
    create: value !== null,
  });
}

/** A presence flag child (`<readonly/>`, `<shareable/>`). */
export function setChildFlag(device: XmlElement, child: string, present: boolean): XmlElement {
  return updateDeviceChild(device, child, (el) => (present ? el : null), {
    create: present,
    keepEmpty: true,
  });
}

/** A text child (`<serial>`); null removes it. */
export function patchChildText(
  device: XmlElement,
  child: string,
  value: FieldPatch<string | number>,
): XmlElement {
  if (value === undefined) return device;
  return updateDeviceChild(
    device,
    child,
    (el) => (value === null ? null : setText(el, String(value))),
    {
      create: value !== null,
      keepEmpty: true,
    },
  );
}

export const yesNo = (value: FieldPatch<boolean>): FieldPatch<string> =>
  value === undefined || value === null ? value : value ? 'yes' : 'no';

/** Per-device boot order (disks, NICs, host devices); null removes `<boot>`. */
export function setDeviceBoot(device: XmlElement, order: number | null): XmlElement {
  if (order === null) return updateDeviceChild(device, 'boot', () => null, { create: false });
  assertInteger(order, 'boot order', 1);
  return patchChildAttribute(device, 'boot', 'order', order);
}
