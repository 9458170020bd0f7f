import type { MdevParent, MdevType, MediatedDevice } from '../../shared/contract/host-devices';
import {
  createElement,
  createText,
  documentRoot,
  findElement,
  findElements,
  findText,
  getAttribute,
  getText,
  parseXml,
  serializeElement,
  type XmlElement,
} from '../../shared/xml';

const trimmed = (text: string | undefined): string | null => text?.trim() || null;

/** `<capability type='…'>` at any depth: mdev_types sits inside the pci / css / ap_matrix one. */
function findCapability(parent: XmlElement, type: string): XmlElement | undefined {
  for (const cap of findElements(parent, 'capability')) {
    if (getAttribute(cap, 'type') === type) return cap;
    const nested = findCapability(cap, type);
    if (nested) return nested;
  }
  return undefined;
}

function readType(el: XmlElement): MdevType | null {
  const id = getAttribute(el, 'id')?.trim();
  const deviceApi = trimmed(findText(el, 'deviceAPI'));
  if (!id || !deviceApi) return null;
  const available = trimmed(findText(el, 'availableInstances'));
  const count = available === null ? NaN : Number(available);
  return {
    id,
    name: trimmed(findText(el, 'name')),
    deviceApi,
    availableInstances: Number.isInteger(count) && count >= 0 ? count : null,
  };
}

/**
 * The mdev-capable parent one node device's XML describes, or null when it offers no
 * mediated device types.
 */
export function readMdevParent(xml: string): MdevParent | null {
  const root = documentRoot(parseXml(xml));
  const name = trimmed(findText(root, 'name'));
  const types = findCapability(root, 'mdev_types');
  if (!name || !types) return null;
  const pci = findCapability(root, 'pci');
  const label = (tag: string): string | null => {
    const el = pci && findElement(pci, tag);
    return el ? trimmed(getText(el)) : null;
  };
  return {
    name,
    vendor: label('vendor'),
    product: label('product'),
    types: findElements(types, 'type')
      .map(readType)
      .filter((t): t is MdevType => t !== null),
  };
}

/**
 * A mediated device from its node device XML, or null when it is not one (or has no UUID,
 * which a hostdev needs). `deviceApi` and `active` are filled in by the caller.
 */
export function readMediatedDevice(
  xml: string,
): Omit<MediatedDevice, 'deviceApi' | 'active'> | null {
  const root = documentRoot(parseXml(xml));
  const name = trimmed(findText(root, 'name'));
  const cap = findCapability(root, 'mdev');
  const uuid = cap && trimmed(findText(cap, 'uuid'));
  const type = cap && findElement(cap, 'type');
  const typeId = type && getAttribute(type, 'id')?.trim();
  if (!name || !uuid || !typeId) return null;
  return { name, uuid: uuid.toLowerCase(), parent: trimmed(findText(root, 'parent')), typeId };
}

/** The node device XML that defines a mediated device of `typeId` on `parent`. */
export function mdevDefinitionXml(parent: string, typeId: string, uuid: string): string {
  return serializeElement(
    createElement('device', {}, [
      createElement('parent', {}, [createText(parent)]),
      createElement('capability', { type: 'mdev' }, [
        createElement('type', { id: typeId }),
        createElement('uuid', {}, [createText(uuid)]),
      ]),
    ]),
  );
}
