import { XmlEditError } from './xml-edit-error';
import type { XmlDocument, XmlElement, XmlNode } from './xml-node';

export function createDocument(root: XmlElement, prolog: readonly XmlNode[] = []): XmlDocument {
  return { kind: 'document', children: [...prolog, root] };
}

/** The document's one root element. */
export function documentRoot(doc: XmlDocument): XmlElement {
  const root = doc.children.find((node) => node.kind === 'element');
  if (root?.kind !== 'element') throw new XmlEditError('the document has no root element');
  return root;
}

/** The same document (prolog and epilog kept) with `update` applied to its root. */
export function updateRoot(
  doc: XmlDocument,
  update: (root: XmlElement) => XmlElement,
): XmlDocument {
  const index = doc.children.findIndex((node) => node.kind === 'element');
  const root = doc.children[index];
  if (root?.kind !== 'element') throw new XmlEditError('the document has no root element');
  const next = update(root);
  if (next === root) return doc;
  const children = [...doc.children];
  children[index] = next;
  return { kind: 'document', children };
}
