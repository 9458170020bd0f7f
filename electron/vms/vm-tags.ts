import { VIRTDECK_METADATA_NS } from '../../shared/contract/vms';
import {
  childElements,
  createElement,
  createText,
  getAttribute,
  getText,
  localName,
  serializeElement,
  type XmlElement,
} from '../../shared/xml';

/** Trimmed, without empty ones and repeats, in a stable (code point) order. */
export function normalizeTags(tags: readonly string[]): string[] {
  const unique = new Set(tags.map((t) => t.trim()).filter((t) => t !== ''));
  return [...unique].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function prefixOf(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? '' : name.slice(0, colon);
}

/** The namespace a prefix is bound to, looking outwards through `scopes` (innermost first). */
function namespaceOf(prefix: string, scopes: readonly XmlElement[]): string | undefined {
  const attribute = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
  for (const scope of scopes) {
    const uri = getAttribute(scope, attribute);
    if (uri !== undefined) return uri;
  }
  return undefined;
}

/**
 * Our tags from a domain's `<metadata>`: the `tags` element in our namespace, whatever
 * prefix the writer chose (libvirt keeps the one given as `key`; another tool may differ).
 */
export function readVmTags(metadata: XmlElement | undefined, domain: XmlElement): string[] {
  if (!metadata) return [];
  const tags: string[] = [];
  for (const element of childElements(metadata)) {
    if (localName(element.name) !== 'tags') continue;
    const prefix = prefixOf(element.name);
    if (namespaceOf(prefix, [element, metadata, domain]) !== VIRTDECK_METADATA_NS) continue;
    for (const tag of childElements(element)) {
      if (localName(tag.name) === 'tag' && prefixOf(tag.name) === prefix) {
        tags.push(getText(tag) ?? '');
      }
    }
  }
  return normalizeTags(tags);
}

/**
 * The element `domainSetMetadata` stores for `tags` (libvirt adds our prefix and namespace
 * to it), or null to remove it when there are none.
 */
export function tagsMetadataXml(tags: readonly string[]): string | null {
  const normalized = normalizeTags(tags);
  if (normalized.length === 0) return null;
  return serializeElement(
    createElement(
      'tags',
      [],
      normalized.map((tag) => createElement('tag', [], [createText(tag)])),
    ),
  );
}
