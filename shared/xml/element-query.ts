import { getText } from './element-text';
import type { XmlElement } from './xml-node';

/** Child elements, optionally only those with the given qualified name. */
export function childElements(parent: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of parent.children) {
    if (child.kind === 'element' && (name === undefined || child.name === name)) out.push(child);
  }
  return out;
}

/** The first child element with this name. */
export function childElement(parent: XmlElement, name: string): XmlElement | undefined {
  for (const child of parent.children) {
    if (child.kind === 'element' && child.name === name) return child;
  }
  return undefined;
}

function segments(path: string | readonly string[]): readonly string[] {
  return typeof path === 'string' ? path.split('/').filter((s) => s !== '') : path;
}

/** Every element reached by a slash-separated path of child names (`devices/disk`). */
export function findElements(parent: XmlElement, path: string | readonly string[]): XmlElement[] {
  let current = [parent];
  for (const name of segments(path)) current = current.flatMap((el) => childElements(el, name));
  return current;
}

/** The first element reached by a path of child names (`os/type`), taking first matches. */
export function findElement(
  parent: XmlElement,
  path: string | readonly string[],
): XmlElement | undefined {
  let current: XmlElement | undefined = parent;
  for (const name of segments(path)) {
    if (current === undefined) return undefined;
    current = childElement(current, name);
  }
  return current;
}

/** The part of a qualified name after the prefix (`tags` for `virtdeck:tags`). */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** Text of the element at `path` (see findElement), or undefined when it is missing. */
export function findText(parent: XmlElement, path: string | readonly string[]): string | undefined {
  const element = findElement(parent, path);
  return element ? getText(element) : undefined;
}
