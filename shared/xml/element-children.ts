import { dropFormattingWhitespace } from './formatting-whitespace';
import { XmlEditError } from './xml-edit-error';
import type { XmlElement, XmlNode } from './xml-node';

function withChildren(element: XmlElement, children: readonly XmlNode[]): XmlElement {
  return { ...element, children: dropFormattingWhitespace(children) };
}

function checkIndex(element: XmlElement, index: number, allowEnd: boolean): void {
  const max = allowEnd ? element.children.length : element.children.length - 1;
  if (!Number.isInteger(index) || index < 0 || index > max) {
    throw new XmlEditError(`child index ${index} is out of range for <${element.name}>`);
  }
}

/** Inserts `node` so that it becomes child number `index` (0 = first). */
export function insertChild(element: XmlElement, index: number, node: XmlNode): XmlElement {
  checkIndex(element, index, true);
  const children = [...element.children];
  children.splice(index, 0, node);
  return withChildren(element, children);
}

export function appendChild(element: XmlElement, node: XmlNode): XmlElement {
  return insertChild(element, element.children.length, node);
}

export function removeChildAt(element: XmlElement, index: number): XmlElement {
  checkIndex(element, index, false);
  const children = [...element.children];
  children.splice(index, 1);
  return withChildren(element, children);
}

export function replaceChildAt(element: XmlElement, index: number, node: XmlNode): XmlElement {
  checkIndex(element, index, false);
  if (element.children[index] === node) return element;
  const children = [...element.children];
  children[index] = node;
  return withChildren(element, children);
}

/** Replaces the child that is `old` (by identity). */
export function replaceChild(element: XmlElement, old: XmlNode, node: XmlNode): XmlElement {
  const index = element.children.indexOf(old);
  if (index < 0) throw new XmlEditError(`node is not a child of <${element.name}>`);
  return replaceChildAt(element, index, node);
}

/** Removes the child that is `old` (by identity). */
export function removeChild(element: XmlElement, old: XmlNode): XmlElement {
  const index = element.children.indexOf(old);
  if (index < 0) throw new XmlEditError(`node is not a child of <${element.name}>`);
  return removeChildAt(element, index);
}

/**
 * Where a new child element belongs under a canonical order of names (libvirt's formatting
 * order): before the first element that comes later in that order, else at the end.
 * Names outside the order go at the end.
 */
export function orderedInsertIndex(
  element: XmlElement,
  name: string,
  order: readonly string[] | undefined,
): number {
  const rank = order?.indexOf(name) ?? -1;
  if (order === undefined || rank < 0) return element.children.length;
  const index = element.children.findIndex(
    (child) => child.kind === 'element' && order.indexOf(child.name) > rank,
  );
  return index < 0 ? element.children.length : index;
}

/** Inserts a child element at its place in a canonical order (see orderedInsertIndex). */
export function insertChildInOrder(
  element: XmlElement,
  child: XmlElement,
  order: readonly string[] | undefined,
): XmlElement {
  return insertChild(element, orderedInsertIndex(element, child.name, order), child);
}
