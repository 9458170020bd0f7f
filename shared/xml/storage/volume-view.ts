import { getAttribute, setAttribute } from '../element-attributes';
import { findElement, findText } from '../element-query';
import { setText } from '../element-text';
import { updatePath, type ElementUpdate } from '../element-update';
import { scaledToBytes } from '../units';
import { createDocument, documentRoot, updateRoot } from '../xml-document';
import { XmlEditError } from '../xml-edit-error';
import { createElement, createText, type XmlDocument, type XmlElement } from '../xml-node';
import { assertInteger } from '../xml-values';

export interface VolumeSize {
  readonly value: string | undefined;
  readonly unit: string | undefined;
  /** Converted to bytes (libvirt's default unit here). */
  readonly bytes: number | undefined;
}

export interface VolumeView {
  readonly name: string | undefined;
  readonly key: string | undefined;
  /** file, block, dir, network, netdir, ploop. */
  readonly type: string | undefined;
  readonly capacity: VolumeSize | undefined;
  readonly allocation: VolumeSize | undefined;
  readonly path: string | undefined;
  /** raw, qcow2, … */
  readonly format: string | undefined;
  readonly backingStore:
    { readonly path: string | undefined; readonly format: string | undefined } | undefined;
}

/** The <volume> root; any other document is refused. */
export function volumeRoot(doc: XmlDocument): XmlElement {
  const root = documentRoot(doc);
  if (root.name !== 'volume') throw new XmlEditError(`expected <volume>, found <${root.name}>`);
  return root;
}

function size(root: XmlElement, name: string): VolumeSize | undefined {
  const el = findElement(root, name);
  if (!el) return undefined;
  const value = findText(root, name)?.trim();
  const unit = getAttribute(el, 'unit');
  return { value, unit, bytes: scaledToBytes(value, unit) };
}

export function readVolume(doc: XmlDocument): VolumeView {
  const root = volumeRoot(doc);
  const format = findElement(root, 'target/format');
  const backing = findElement(root, 'backingStore');
  const backingFormat = backing && findElement(backing, 'format');
  return {
    name: findText(root, 'name'),
    key: findText(root, 'key'),
    type: getAttribute(root, 'type'),
    capacity: size(root, 'capacity'),
    allocation: size(root, 'allocation'),
    path: findText(root, 'target/path'),
    format: format && getAttribute(format, 'type'),
    backingStore: backing && {
      path: findText(backing, 'path'),
      format: backingFormat && getAttribute(backingFormat, 'type'),
    },
  };
}

const VOLUME_ORDER = 'name key source capacity allocation physical target backingStore'.split(' ');

function updateVolumePath(
  doc: XmlDocument,
  path: readonly string[],
  update: ElementUpdate,
): XmlDocument {
  volumeRoot(doc);
  return updateRoot(doc, (root) => {
    const order = (p: readonly string[]) => (p.length === 0 ? VOLUME_ORDER : undefined);
    return updatePath(root, path, update, { order, keepEmpty: true }) ?? root;
  });
}

/** New capacity in bytes (written as `unit='bytes'`, libvirt's own form). */
export function setVolumeCapacity(doc: XmlDocument, bytes: number): XmlDocument {
  assertInteger(bytes, 'volume capacity (bytes)', 0);
  return updateVolumePath(doc, ['capacity'], (el) =>
    setText(setAttribute(el, 'unit', 'bytes'), String(bytes)),
  );
}

function assertVolumeName(name: string): void {
  if (name.trim() === '' || name.includes('/')) {
    throw new XmlEditError(`'${name}' is not a valid volume name (empty or contains '/')`);
  }
}

export function setVolumeName(doc: XmlDocument, name: string): XmlDocument {
  assertVolumeName(name);
  return updateVolumePath(doc, ['name'], (el) => setText(el, name));
}

export function setVolumeFormat(doc: XmlDocument, format: string): XmlDocument {
  return updateVolumePath(doc, ['target', 'format'], (el) => setAttribute(el, 'type', format));
}

/** XML for virStorageVolCreateXML: a named volume of `capacityBytes`, optionally backed. */
export function createVolumeDocument(spec: {
  name: string;
  capacityBytes: number;
  format?: string;
  allocationBytes?: number;
  backingStore?: { path: string; format: string };
}): XmlDocument {
  assertVolumeName(spec.name);
  assertInteger(spec.capacityBytes, 'volume capacity (bytes)', 0);
  const text = (name: string, value: string, attrs: Record<string, string> = {}): XmlElement =>
    createElement(name, attrs, [createText(value)]);
  const children: XmlElement[] = [
    text('name', spec.name),
    text('capacity', String(spec.capacityBytes), { unit: 'bytes' }),
  ];
  if (spec.allocationBytes !== undefined) {
    children.push(text('allocation', String(spec.allocationBytes), { unit: 'bytes' }));
  }
  if (spec.format !== undefined) {
    children.push(createElement('target', [], [createElement('format', { type: spec.format })]));
  }
  if (spec.backingStore) {
    children.push(
      createElement(
        'backingStore',
        [],
        [
          text('path', spec.backingStore.path),
          createElement('format', { type: spec.backingStore.format }),
        ],
      ),
    );
  }
  return createDocument(createElement('volume', [], children));
}
