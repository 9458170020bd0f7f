import { insertChildInOrder, removeChild, replaceChild } from './element-children';
import { childElement } from './element-query';
import { assertXmlName } from './xml-chars';
import { createElement, type XmlElement } from './xml-node';

/** Canonical child order for an element reached by `path` from the root being edited. */
export type ChildOrder = (path: readonly string[]) => readonly string[] | undefined;

export interface UpdatePathOptions {
  /** Create missing elements along the path (default true). */
  readonly create?: boolean;
  /** Where created elements go; by default they are appended. */
  readonly order?: ChildOrder;
  /** Insert a created element even if the update leaves it empty (flags like `<acpi/>`). */
  readonly keepEmpty?: boolean;
}

export type ElementUpdate = (element: XmlElement) => XmlElement | null;

function isEmpty(element: XmlElement): boolean {
  return element.attributes.length === 0 && element.children.length === 0;
}

/**
 * Applies `update` to the element reached by `path` (first match at each step) and rebuilds
 * only the elements on that path. `update` returning null removes the element. Missing
 * elements are created at their canonical place, and not inserted at all when the update
 * leaves them empty — so clearing a field that was never set changes nothing.
 */
export function updatePath(
  root: XmlElement,
  path: readonly string[],
  update: ElementUpdate,
  options: UpdatePathOptions = {},
): XmlElement | null {
  return updateAt(root, path, 0, update, options);
}

function updateAt(
  element: XmlElement,
  path: readonly string[],
  depth: number,
  update: ElementUpdate,
  options: UpdatePathOptions,
): XmlElement | null {
  const name = path[depth];
  if (name === undefined) return update(element);
  const existing = childElement(element, name);
  if (existing === undefined && options.create === false) return element;
  if (existing === undefined) assertXmlName(name, 'element name');
  const child = existing ?? createElement(name);
  const next = updateAt(child, path, depth + 1, update, options);
  if (existing === undefined) {
    const keepEmpty = options.keepEmpty === true && depth === path.length - 1;
    if (next === null || (isEmpty(next) && !keepEmpty)) return element;
    return insertChildInOrder(element, next, options.order?.(path.slice(0, depth)));
  }
  if (next === null) return removeChild(element, existing);
  return next === existing ? element : replaceChild(element, existing, next);
}

/** Replaces or removes (null) the first child element named `name`, creating it if missing. */
export function updateChild(
  parent: XmlElement,
  name: string,
  update: ElementUpdate,
  options: Omit<UpdatePathOptions, 'order'> & { readonly order?: readonly string[] } = {},
): XmlElement {
  const order = options.order;
  return (
    updatePath(parent, [name], update, { ...options, order: order ? () => order : undefined }) ??
    parent
  );
}
