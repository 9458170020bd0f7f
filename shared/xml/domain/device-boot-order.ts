import { getAttribute } from '../element-attributes';
import { replaceChildAt } from '../element-children';
import { findElement } from '../element-query';
import { XmlEditError } from '../xml-edit-error';
import type { XmlDocument } from '../xml-node';
import { parseInteger } from '../xml-values';
import { setDeviceBoot } from './device-edit';
import { updateDomainPath } from './domain-edit';
import { listDevices } from './domain-devices';
import { setBootDevices } from './domain-os-boot';

/** Device kinds that take a per-device `<boot order>`. */
export const BOOTABLE_DEVICE_KINDS: readonly string[] = [
  'disk',
  'interface',
  'hostdev',
  'redirdev',
  'filesystem',
];

/** Devices with a per-device boot order, first to boot first. */
export function readDeviceBootOrder(doc: XmlDocument): { id: string; order: number }[] {
  return listDevices(doc)
    .flatMap((d) => {
      const boot = findElement(d.element, 'boot');
      const order = boot && parseInteger(getAttribute(boot, 'order'));
      return order === undefined ? [] : [{ id: d.id, order }];
    })
    .sort((a, b) => a.order - b.order);
}

/**
 * Boots from the listed devices in this order (virt-manager's boot list): each gets
 * `<boot order='n'>`, every other device loses its order, and `<os><boot dev>` goes, since
 * libvirt refuses both at once. Devices whose order stays the same are not touched.
 */
export function setDeviceBootOrder(doc: XmlDocument, ids: readonly string[]): XmlDocument {
  const devices = listDevices(doc);
  for (const id of ids) {
    const device = devices.find((d) => d.id === id);
    if (!device) throw new XmlEditError(`no device '${id}' in this domain`);
    if (!BOOTABLE_DEVICE_KINDS.includes(device.kind)) {
      throw new XmlEditError(`a <${device.kind}> device cannot be a boot device`);
    }
  }
  if (new Set(ids).size !== ids.length) throw new XmlEditError('a device may appear only once');
  const next = updateDomainPath(doc, 'devices', (el) => {
    let updated = el;
    for (const device of devices) {
      const position = ids.indexOf(device.id);
      const hasBoot = findElement(device.element, 'boot') !== undefined;
      if (position < 0 && !hasBoot) continue;
      const patched = setDeviceBoot(device.element, position < 0 ? null : position + 1);
      updated = replaceChildAt(updated, device.childIndex, patched);
    }
    return updated;
  });
  return ids.length > 0 ? setBootDevices(next, []) : next;
}
