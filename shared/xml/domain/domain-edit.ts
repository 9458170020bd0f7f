import { patchAttribute, type FieldPatch } from '../element-attributes';
import { removeChild } from '../element-children';
import { childElement, findElement } from '../element-query';
import { setText } from '../element-text';
import { updatePath, type ElementUpdate } from '../element-update';
import { documentRoot, updateRoot } from '../xml-document';
import { XmlEditError } from '../xml-edit-error';
import type { XmlDocument, XmlElement } from '../xml-node';
import { domainChildOrder } from './domain-order';

/** The <domain> root element; any other document is refused. */
export function domainRoot(doc: XmlDocument): XmlElement {
  const root = documentRoot(doc);
  if (root.name !== 'domain') throw new XmlEditError(`expected <domain>, found <${root.name}>`);
  return root;
}

/** The element at a slash path under <domain>, e.g. `os/type`. */
export function domainElement(doc: XmlDocument, path: string): XmlElement | undefined {
  return findElement(domainRoot(doc), path);
}

/**
 * Updates the element at `path` under <domain>, creating missing elements at libvirt's place
 * for them. Every other node keeps its identity, so only the named part serialises differently.
 */
export function updateDomainPath(
  doc: XmlDocument,
  path: string,
  update: ElementUpdate,
  options: { create?: boolean; keepEmpty?: boolean } = {},
): XmlDocument {
  domainRoot(doc);
  const segments = path.split('/').filter((s) => s !== '');
  return updateRoot(doc, (root) => {
    const next = updatePath(root, segments, update, { ...options, order: domainChildOrder });
    if (next === null) throw new XmlEditError('the <domain> element cannot be removed');
    return pruneEmptiedContainer(root, next, segments[0]);
  });
}

/** Containers that mean nothing once empty; libvirt drops them when it formats. */
const PRUNABLE: readonly string[] = [
  'cputune',
  'numatune',
  'blkiotune',
  'memoryBacking',
  'metadata',
];

/** Removes `name` from `after` if this edit emptied it (an already empty one stays). */
function pruneEmptiedContainer(
  before: XmlElement,
  after: XmlElement,
  name: string | undefined,
): XmlElement {
  if (name === undefined || !PRUNABLE.includes(name)) return after;
  const was = childElement(before, name);
  const now = childElement(after, name);
  const empty = (el: XmlElement): boolean => el.children.length === 0 && el.attributes.length === 0;
  if (!was || !now || empty(was) || !empty(now)) return after;
  return removeChild(after, now);
}

/** Sets (string), removes (null) or leaves (undefined) the text element at `path`. */
export function patchDomainText(
  doc: XmlDocument,
  path: string,
  value: FieldPatch<string | number>,
): XmlDocument {
  if (value === undefined) return doc;
  if (value === null) return updateDomainPath(doc, path, () => null, { create: false });
  return updateDomainPath(doc, path, (el) => setText(el, String(value)), { keepEmpty: true });
}

/** Patches one attribute of the element at `path`; removing never creates the element. */
export function patchDomainAttribute(
  doc: XmlDocument,
  path: string,
  name: string,
  value: FieldPatch<string | number>,
): XmlDocument {
  if (value === undefined) return doc;
  return updateDomainPath(doc, path, (el) => patchAttribute(el, name, value), {
    create: value !== null,
  });
}

/** Presence flags such as `<features><acpi/></features>`. */
export function setDomainFlag(doc: XmlDocument, path: string, present: boolean): XmlDocument {
  return updateDomainPath(doc, path, (el) => (present ? el : null), {
    create: present,
    keepEmpty: true,
  });
}
