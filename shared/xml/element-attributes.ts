import { assertXmlChars, assertXmlName } from './xml-chars';
import type { XmlAttribute, XmlElement } from './xml-node';

export function getAttribute(element: XmlElement, name: string): string | undefined {
  return element.attributes.find((a) => a.name === name)?.value;
}

export function hasAttribute(element: XmlElement, name: string): boolean {
  return element.attributes.some((a) => a.name === name);
}

/**
 * Sets an attribute, keeping its place when it exists and appending it otherwise. Returns the
 * same element when nothing changes.
 */
export function setAttribute(element: XmlElement, name: string, value: string): XmlElement {
  assertXmlName(name, 'attribute name');
  assertXmlChars(value, `attribute '${name}'`);
  const index = element.attributes.findIndex((a) => a.name === name);
  if (index >= 0 && element.attributes[index]?.value === value) return element;
  const attributes: XmlAttribute[] = [...element.attributes];
  if (index >= 0) attributes[index] = { name, value };
  else attributes.push({ name, value });
  return { ...element, attributes };
}

export function removeAttribute(element: XmlElement, name: string): XmlElement {
  if (!hasAttribute(element, name)) return element;
  return { ...element, attributes: element.attributes.filter((a) => a.name !== name) };
}

/** A field edit: `undefined` leaves the field alone, `null` removes it, a value sets it. */
export type FieldPatch<T> = T | null | undefined;

/** Applies one attribute patch (numbers are written in decimal). */
export function patchAttribute(
  element: XmlElement,
  name: string,
  value: FieldPatch<string | number>,
): XmlElement {
  if (value === undefined) return element;
  if (value === null) return removeAttribute(element, name);
  return setAttribute(element, name, String(value));
}

/** Applies several attribute patches in order. */
export function patchAttributes(
  element: XmlElement,
  patch: Readonly<Record<string, FieldPatch<string | number>>>,
): XmlElement {
  let next = element;
  for (const [name, value] of Object.entries(patch)) next = patchAttribute(next, name, value);
  return next;
}
