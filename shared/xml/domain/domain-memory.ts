import { getAttribute, setAttribute, patchAttribute } from '../element-attributes';
import { findElement } from '../element-query';
import { getText, setText } from '../element-text';
import { scaledToKiB } from '../units';
import type { XmlDocument, XmlElement } from '../xml-node';
import { assertInteger, parseInteger } from '../xml-values';
import { domainRoot, updateDomainPath } from './domain-edit';

export interface ScaledValue {
  /** The number as written. */
  readonly value: string | undefined;
  /** The unit as written (libvirt's default for memory is KiB). */
  readonly unit: string | undefined;
  /** Converted to KiB; undefined when unreadable. */
  readonly kib: number | undefined;
}

export interface MemoryView {
  /** `<memory>`: the maximum memory the guest boots with. */
  readonly memory: ScaledValue | undefined;
  /** `<currentMemory>`: the balloon target. */
  readonly currentMemory: ScaledValue | undefined;
  /** `<maxMemory slots>`: the hot-plug ceiling, when memory hot-plug is configured. */
  readonly maxMemory: (ScaledValue & { readonly slots: number | undefined }) | undefined;
}

function scaled(element: XmlElement | undefined): ScaledValue | undefined {
  if (!element) return undefined;
  const value = getText(element)?.trim();
  const unit = getAttribute(element, 'unit');
  return { value, unit, kib: scaledToKiB(value, unit) };
}

export function readMemory(doc: XmlDocument): MemoryView {
  const root = domainRoot(doc);
  const max = findElement(root, 'maxMemory');
  const maxMemory = scaled(max);
  return {
    memory: scaled(findElement(root, 'memory')),
    currentMemory: scaled(findElement(root, 'currentMemory')),
    maxMemory: maxMemory &&
      max && { ...maxMemory, slots: parseInteger(getAttribute(max, 'slots')) },
  };
}

/** Writes `<name unit='KiB'>kib</name>` as libvirt itself normalises it. */
function writeKiB(element: XmlElement, kib: number): XmlElement {
  return setText(setAttribute(element, 'unit', 'KiB'), String(kib));
}

export function setMemoryKiB(doc: XmlDocument, kib: number): XmlDocument {
  assertInteger(kib, 'memory (KiB)', 1);
  return updateDomainPath(doc, 'memory', (el) => writeKiB(el, kib));
}

export function setCurrentMemoryKiB(doc: XmlDocument, kib: number): XmlDocument {
  assertInteger(kib, 'current memory (KiB)', 1);
  return updateDomainPath(doc, 'currentMemory', (el) => writeKiB(el, kib));
}

/** Sets both `<memory>` and `<currentMemory>` (no balloon headroom), as virt-manager's form does. */
export function setMemoryAndCurrentKiB(doc: XmlDocument, kib: number): XmlDocument {
  return setCurrentMemoryKiB(setMemoryKiB(doc, kib), kib);
}

/** Hot-plug ceiling and slots; null removes `<maxMemory>`. */
export function setMaxMemory(
  doc: XmlDocument,
  max: { kib: number; slots?: number } | null,
): XmlDocument {
  if (max === null) return updateDomainPath(doc, 'maxMemory', () => null, { create: false });
  assertInteger(max.kib, 'maximum memory (KiB)', 1);
  if (max.slots !== undefined) assertInteger(max.slots, 'memory slots', 0, 255);
  return updateDomainPath(doc, 'maxMemory', (el) =>
    writeKiB(patchAttribute(el, 'slots', max.slots), max.kib),
  );
}
