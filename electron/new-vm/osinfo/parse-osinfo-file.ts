import {
  childElement,
  childElements,
  documentRoot,
  getAttribute,
  getText,
  parseXml,
  type XmlElement,
} from '../../../shared/xml';
import type { OsinfoRecord, OsinfoResources } from './osinfo-record';

/**
 * The `<os>` entries of one osinfo-db file. Translations (`xml:lang`) are skipped: the
 * English text is what the list shows and what media/name rules match.
 */
export function parseOsinfoFile(text: string): OsinfoRecord[] {
  const root = documentRoot(parseXml(text));
  if (root.name !== 'libosinfo') return [];
  return childElements(root, 'os').flatMap((os) => {
    const record = readOs(os);
    return record ? [record] : [];
  });
}

function untranslated(parent: XmlElement, name: string): XmlElement[] {
  return childElements(parent, name).filter((el) => getAttribute(el, 'xml:lang') === undefined);
}

function textOf(parent: XmlElement, name: string): string {
  const el = untranslated(parent, name)[0];
  return el ? (getText(el) ?? '').trim() : '';
}

function readOs(os: XmlElement): OsinfoRecord | null {
  const id = getAttribute(os, 'id');
  if (!id) return null;
  const resources: OsinfoRecord['resources'] = new Map();
  for (const r of childElements(os, 'resources')) {
    resources.set(getAttribute(r, 'arch') ?? 'all', {
      minimum: readResources(childElement(r, 'minimum')),
      recommended: readResources(childElement(r, 'recommended')),
      maximum: readResources(childElement(r, 'maximum')),
    });
  }
  const devices = new Map<string, boolean>();
  for (const block of childElements(os, 'devices')) {
    for (const d of childElements(block, 'device')) {
      const deviceId = getAttribute(d, 'id');
      if (deviceId) devices.set(deviceId, getAttribute(d, 'supported') !== 'false');
    }
  }
  const arch = (el: XmlElement): string => getAttribute(el, 'arch') ?? 'all';
  const eol = textOf(os, 'eol-date');
  const released = textOf(os, 'release-date');
  return {
    id,
    shortIds: untranslated(os, 'short-id')
      .map((el) => (getText(el) ?? '').trim())
      .filter((s) => s !== ''),
    name: textOf(os, 'name'),
    vendor: textOf(os, 'vendor'),
    family: textOf(os, 'family'),
    distro: textOf(os, 'distro'),
    version: textOf(os, 'version'),
    releaseDate: released || null,
    eolDate: eol || null,
    parents: [...childElements(os, 'derives-from'), ...childElements(os, 'upgrades')]
      .map((el) => getAttribute(el, 'id'))
      .filter((p): p is string => p !== undefined),
    resources,
    devices,
    firmware: childElements(os, 'firmware').map((f) => ({
      arch: arch(f),
      type: getAttribute(f, 'type') ?? '',
      supported: getAttribute(f, 'supported') !== 'false',
    })),
    trees: childElements(os, 'tree').flatMap((t) => {
      const url = textOf(t, 'url');
      return url ? [{ arch: arch(t), url }] : [];
    }),
    images: childElements(os, 'image').flatMap((img) => {
      const url = textOf(img, 'url');
      // Container disks are for KubeVirt, not a file a pool can hold.
      if (!url || getAttribute(img, 'format') === 'containerdisk') return [];
      return [{ arch: arch(img), url, cloudInit: getAttribute(img, 'cloud-init') === 'true' }];
    }),
    mediaVolumeIds: childElements(os, 'media').flatMap((m) => {
      const iso = childElement(m, 'iso');
      const pattern = iso ? textOf(iso, 'volume-id') : '';
      return pattern ? [{ arch: arch(m), pattern }] : [];
    }),
  };
}

function readResources(el: XmlElement | undefined): OsinfoResources {
  const num = (name: string): number | null => {
    const t = el ? textOf(el, name) : '';
    const n = Number(t);
    return t !== '' && Number.isSafeInteger(n) && n > 0 ? n : null;
  };
  return { memoryBytes: num('ram'), vcpus: num('n-cpus'), diskBytes: num('storage') };
}
