import type { FieldPatch } from '../element-attributes';
import { insertChildInOrder, removeChild, replaceChild } from '../element-children';
import { childElements, findElement, findText } from '../element-query';
import { setText } from '../element-text';
import { updateChild } from '../element-update';
import { XmlEditError } from '../xml-edit-error';
import { createElement, createText, type XmlDocument, type XmlElement } from '../xml-node';
import { assertInteger, parseInteger } from '../xml-values';
import { DOMAIN_CHILD_ORDERS } from './domain-order';
import { domainRoot, patchDomainText, updateDomainPath } from './domain-edit';

/** Per-device limits of `<blkiotune><device>`, by element name. */
export type BlkioDeviceValueName =
  'weight' | 'read_bytes_sec' | 'write_bytes_sec' | 'read_iops_sec' | 'write_iops_sec';

const DEVICE_VALUES: readonly BlkioDeviceValueName[] = [
  'weight',
  'read_iops_sec',
  'write_iops_sec',
  'read_bytes_sec',
  'write_bytes_sec',
];

export interface BlkioDevice {
  readonly path: string | undefined;
  readonly values: Partial<Readonly<Record<BlkioDeviceValueName, number>>>;
}

export interface BlkiotuneView {
  /** Relative I/O weight, 100–1000. */
  readonly weight: number | undefined;
  readonly devices: readonly BlkioDevice[];
}

function deviceValues(device: XmlElement): Partial<Record<BlkioDeviceValueName, number>> {
  const values: Partial<Record<BlkioDeviceValueName, number>> = {};
  for (const name of DEVICE_VALUES) {
    const value = parseInteger(findText(device, name));
    if (value !== undefined) values[name] = value;
  }
  return values;
}

export function readBlkiotune(doc: XmlDocument): BlkiotuneView {
  const blkiotune = findElement(domainRoot(doc), 'blkiotune');
  return {
    weight: blkiotune && parseInteger(findText(blkiotune, 'weight')),
    devices: blkiotune
      ? childElements(blkiotune, 'device').map((d) => ({
          path: findText(d, 'path'),
          values: deviceValues(d),
        }))
      : [],
  };
}

export function setBlkioWeight(doc: XmlDocument, weight: number | null): XmlDocument {
  if (weight !== null) assertInteger(weight, 'I/O weight', 100, 1000);
  return patchDomainText(doc, 'blkiotune/weight', weight);
}

/**
 * Patches the limits for one host block device (matched by path). A device left with no
 * values is removed; null removes it outright.
 */
export function setBlkioDevice(
  doc: XmlDocument,
  path: string,
  values: Partial<Record<BlkioDeviceValueName, FieldPatch<number>>> | null,
): XmlDocument {
  if (!path.startsWith('/')) throw new XmlEditError(`'${path}' is not an absolute device path`);
  for (const [name, value] of Object.entries(values ?? {})) {
    if (typeof value === 'number') assertInteger(value, name, 0);
  }
  return updateDomainPath(
    doc,
    'blkiotune',
    (blkiotune) => {
      const old = childElements(blkiotune, 'device').find((d) => findText(d, 'path') === path);
      if (values === null) return old ? removeChild(blkiotune, old) : blkiotune;
      let device =
        old ?? createElement('device', [], [createElement('path', [], [createText(path)])]);
      for (const name of DEVICE_VALUES) {
        const value = values[name];
        if (value === undefined) continue;
        device = updateChild(
          device,
          name,
          (el) => (value === null ? null : setText(el, String(value))),
          {
            keepEmpty: true,
          },
        );
      }
      if (Object.keys(deviceValues(device)).length === 0) {
        return old ? removeChild(blkiotune, old) : blkiotune;
      }
      return old
        ? replaceChild(blkiotune, old, device)
        : insertChildInOrder(blkiotune, device, DOMAIN_CHILD_ORDERS['blkiotune']);
    },
    { create: values !== null },
  );
}
