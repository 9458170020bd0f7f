import { getAttribute } from '../element-attributes';
import { appendChild, removeChildAt, replaceChildAt } from '../element-children';
import { childElements, localName } from '../element-query';
import { getText } from '../element-text';
import { XmlEditError } from '../xml-edit-error';
import { createElement, createText, type XmlDocument, type XmlElement } from '../xml-node';
import { domainRoot, updateDomainPath } from './domain-edit';

/** Our namespace inside `<metadata>`; libvirt keeps one element per namespace. */
export const VIRTDECK_XMLNS = 'https://virtdeck.dev/xmlns/virtdeck/1';
export const VIRTDECK_XMLNS_PREFIX = 'virtdeck';

function prefixOf(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? '' : name.slice(0, colon);
}

/** The namespace URI a prefix resolves to, looking from `chain`'s last element upwards. */
function resolvePrefix(chain: readonly XmlElement[], prefix: string): string | undefined {
  const attribute = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    const element = chain[i];
    const uri = element ? getAttribute(element, attribute) : undefined;
    if (uri !== undefined) return uri;
  }
  return undefined;
}

/** Index among <metadata>'s children of our element (any prefix bound to our URI). */
function virtDeckIndex(root: XmlElement, metadata: XmlElement): number {
  return metadata.children.findIndex(
    (child) =>
      child.kind === 'element' &&
      localName(child.name) === 'tags' &&
      resolvePrefix([root, metadata, child], prefixOf(child.name)) === VIRTDECK_XMLNS,
  );
}

/** VirtDeck's tags for this domain, in stored order. */
export function readVirtDeckTags(doc: XmlDocument): string[] {
  const root = domainRoot(doc);
  const metadata = childElements(root, 'metadata')[0];
  if (!metadata) return [];
  const tags = metadata.children[virtDeckIndex(root, metadata)];
  if (tags?.kind !== 'element') return [];
  return childElements(tags)
    .filter((child) => localName(child.name) === 'tag')
    .map((child) => getText(child) ?? '')
    .filter((tag) => tag !== '');
}

/** Trims, drops empty and duplicate tags; refuses tags spanning lines. */
export function normaliseTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim();
    if (/[\r\n]/.test(tag)) throw new XmlEditError(`tag '${tag}' spans lines`);
    if (tag !== '' && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/**
 * The `<virtdeck:tags>` element, also the payload for virDomainSetMetadata (key `virtdeck`,
 * our URI), which stores it exactly like this.
 */
export function createVirtDeckTagsElement(tags: readonly string[]): XmlElement {
  const prefix = VIRTDECK_XMLNS_PREFIX;
  return createElement(
    `${prefix}:tags`,
    { [`xmlns:${prefix}`]: VIRTDECK_XMLNS },
    normaliseTags(tags).map((tag) => createElement(`${prefix}:tag`, [], [createText(tag)])),
  );
}

/**
 * Replaces VirtDeck's tags in `<metadata>`, leaving other applications' metadata alone. An
 * empty list removes our element (and `<metadata>` only if we created it in this call).
 */
export function setVirtDeckTags(doc: XmlDocument, tags: readonly string[]): XmlDocument {
  const root = domainRoot(doc);
  const element = createVirtDeckTagsElement(tags);
  const empty = element.children.length === 0;
  return updateDomainPath(
    doc,
    'metadata',
    (metadata) => {
      const index = virtDeckIndex(root, metadata);
      if (index >= 0) {
        if (!empty) return replaceChildAt(metadata, index, element);
        return removeChildAt(metadata, index);
      }
      return empty ? metadata : appendChild(metadata, element);
    },
    { create: !empty },
  );
}
