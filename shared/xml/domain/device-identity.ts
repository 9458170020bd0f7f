import { getAttribute } from '../element-attributes';
import { findElement, findText } from '../element-query';
import type { XmlElement } from '../xml-node';

const attr = (el: XmlElement, path: string, name: string): string | undefined => {
  const target = path === '' ? el : findElement(el, path);
  return target && getAttribute(target, name);
};

const join = (...parts: (string | undefined)[]): string | undefined =>
  parts.every((p) => p === undefined) ? undefined : parts.map((p) => p ?? '').join(':');

/** The host device a `<hostdev>` (or `<interface type='hostdev'>`) passes through. */
function hostdevKey(el: XmlElement): string | undefined {
  const address = findElement(el, 'source/address');
  if (address) {
    const uuid = getAttribute(address, 'uuid');
    if (uuid) return uuid;
    const bus = getAttribute(address, 'bus');
    const slot = getAttribute(address, 'slot');
    if (slot !== undefined) {
      return `${getAttribute(address, 'domain') ?? ''}:${bus ?? ''}:${slot}.${getAttribute(address, 'function') ?? ''}`;
    }
    const device = getAttribute(address, 'device');
    if (bus !== undefined && device !== undefined) return `usb-${bus}.${device}`;
  }
  const vendor = attr(el, 'source/vendor', 'id');
  const product = attr(el, 'source/product', 'id');
  if (vendor || product) return `usb-${vendor ?? ''}:${product ?? ''}`;
  return join(attr(el, 'source/adapter', 'name'), attr(el, 'source', 'wwpn'));
}

/**
 * What distinguishes a device from others of its kind, independent of its position and of
 * run-time aliases: the target dev of a disk, the MAC of a NIC, type+index of a controller,
 * the host address of a hostdev … Undefined for devices that have no such key (the list then
 * falls back to the position among devices of the same kind).
 */
export function deviceKey(el: XmlElement): string | undefined {
  switch (el.name) {
    case 'disk':
      return attr(el, 'target', 'dev');
    case 'interface':
      return attr(el, 'mac', 'address');
    case 'controller':
      return join(getAttribute(el, 'type'), getAttribute(el, 'index'));
    case 'hostdev':
      return join(getAttribute(el, 'type'), hostdevKey(el));
    case 'filesystem':
      return attr(el, 'target', 'dir');
    case 'serial':
    case 'parallel':
    case 'console':
      return join(attr(el, 'target', 'type'), attr(el, 'target', 'port'));
    case 'channel':
      return (
        attr(el, 'target', 'name') ?? join(attr(el, 'target', 'type'), attr(el, 'target', 'port'))
      );
    case 'input':
      return join(getAttribute(el, 'type'), getAttribute(el, 'bus'));
    case 'graphics':
    case 'smartcard':
      return getAttribute(el, el.name === 'graphics' ? 'type' : 'mode');
    case 'redirdev':
      return join(getAttribute(el, 'bus'), getAttribute(el, 'type'));
    case 'video':
      return attr(el, 'model', 'type');
    case 'audio':
      return getAttribute(el, 'id');
    case 'shmem':
      return getAttribute(el, 'name');
    case 'lease':
      return join(findText(el, 'lockspace'), findText(el, 'key'));
    case 'sound':
    case 'tpm':
    case 'rng':
    case 'watchdog':
    case 'memballoon':
    case 'panic':
    case 'iommu':
    case 'vsock':
    case 'memory':
      return getAttribute(el, 'model');
    default:
      return undefined;
  }
}
