import { getAttribute, patchAttribute, type FieldPatch } from '../element-attributes';
import { childElements, findElement } from '../element-query';
import { scaledToKiB } from '../units';
import { createElement, type XmlDocument } from '../xml-node';
import { assertInteger } from '../xml-values';
import { domainRoot, patchDomainAttribute, setDomainFlag, updateDomainPath } from './domain-edit';
import { assertCpuset } from './domain-vcpu';

export interface HugepageSize {
  readonly sizeKiB: number | undefined;
  readonly nodeset: string | undefined;
}

export interface MemoryBackingView {
  /** `<hugepages>` present: guest memory on huge pages (default size when `pages` is empty). */
  readonly hugepages: boolean;
  readonly pages: readonly HugepageSize[];
  readonly nosharepages: boolean;
  readonly locked: boolean;
  /** anonymous, file or memfd (virtiofs needs file or memfd with shared access). */
  readonly source: string | undefined;
  /** shared or private. */
  readonly access: string | undefined;
  readonly allocation: string | undefined;
  readonly discard: boolean;
}

export function readMemoryBacking(doc: XmlDocument): MemoryBackingView {
  const backing = findElement(domainRoot(doc), 'memoryBacking');
  const hugepages = backing && findElement(backing, 'hugepages');
  const attr = (name: string, attribute: string): string | undefined => {
    const el = backing && findElement(backing, name);
    return el && getAttribute(el, attribute);
  };
  const has = (name: string): boolean =>
    backing !== undefined && findElement(backing, name) !== undefined;
  return {
    hugepages: hugepages !== undefined,
    pages: hugepages
      ? childElements(hugepages, 'page').map((p) => ({
          sizeKiB: scaledToKiB(getAttribute(p, 'size'), getAttribute(p, 'unit')),
          nodeset: getAttribute(p, 'nodeset'),
        }))
      : [],
    nosharepages: has('nosharepages'),
    locked: has('locked'),
    source: attr('source', 'type'),
    access: attr('access', 'mode'),
    allocation: attr('allocation', 'mode'),
    discard: has('discard'),
  };
}

/**
 * Huge pages: false removes them, true asks for the default size, a list sets explicit sizes
 * (KiB), optionally per guest NUMA nodeset.
 */
export function setHugepages(
  doc: XmlDocument,
  pages: boolean | readonly { sizeKiB: number; nodeset?: string }[],
): XmlDocument {
  if (pages === false) {
    return updateDomainPath(doc, 'memoryBacking/hugepages', () => null, { create: false });
  }
  const list = pages === true ? [] : pages;
  for (const page of list) {
    assertInteger(page.sizeKiB, 'huge page size (KiB)', 1);
    if (page.nodeset !== undefined) assertCpuset(page.nodeset, 'huge page nodeset');
  }
  return updateDomainPath(
    doc,
    'memoryBacking/hugepages',
    (el) => {
      if (pages === true && el.children.length > 0) return el;
      const children = list.map((p) =>
        patchAttribute(
          createElement('page', { size: String(p.sizeKiB), unit: 'KiB' }),
          'nodeset',
          p.nodeset,
        ),
      );
      return { ...el, children };
    },
    { keepEmpty: true },
  );
}

/** Memory source type; null restores the default (anonymous). */
export function setMemorySource(
  doc: XmlDocument,
  type: FieldPatch<'anonymous' | 'file' | 'memfd'>,
): XmlDocument {
  if (type === null)
    return updateDomainPath(doc, 'memoryBacking/source', () => null, { create: false });
  return patchDomainAttribute(doc, 'memoryBacking/source', 'type', type);
}

/** Shared memory access (what virtiofs needs) or private; null restores the default. */
export function setMemoryAccess(
  doc: XmlDocument,
  mode: FieldPatch<'shared' | 'private'>,
): XmlDocument {
  if (mode === null)
    return updateDomainPath(doc, 'memoryBacking/access', () => null, { create: false });
  return patchDomainAttribute(doc, 'memoryBacking/access', 'mode', mode);
}

/** Presence flags of `<memoryBacking>`. */
export function setMemoryBackingFlag(
  doc: XmlDocument,
  flag: 'nosharepages' | 'locked' | 'discard',
  present: boolean,
): XmlDocument {
  return setDomainFlag(doc, `memoryBacking/${flag}`, present);
}
