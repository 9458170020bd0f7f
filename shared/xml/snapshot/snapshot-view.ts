import { getAttribute } from '../element-attributes';
import { childElements, findElement, findText } from '../element-query';
import { setText } from '../element-text';
import { updatePath } from '../element-update';
import { documentRoot, updateRoot } from '../xml-document';
import { XmlEditError } from '../xml-edit-error';
import type { XmlDocument, XmlElement } from '../xml-node';
import { parseInteger } from '../xml-values';

export interface SnapshotDisk {
  readonly name: string | undefined;
  /** internal, external, manual, no. */
  readonly snapshot: string | undefined;
  readonly driverType: string | undefined;
  readonly sourceFile: string | undefined;
}

export interface SnapshotView {
  readonly name: string | undefined;
  readonly description: string | undefined;
  /** Domain state when taken: running, paused, shutoff, disk-snapshot … */
  readonly state: string | undefined;
  readonly parent: string | undefined;
  /** Seconds since the epoch. */
  readonly creationTime: number | undefined;
  readonly memory:
    { readonly snapshot: string | undefined; readonly file: string | undefined } | undefined;
  readonly disks: readonly SnapshotDisk[];
  /** The domain definition saved with the snapshot. */
  readonly domain: XmlElement | undefined;
}

/** The <domainsnapshot> root; any other document is refused. */
export function snapshotRoot(doc: XmlDocument): XmlElement {
  const root = documentRoot(doc);
  if (root.name !== 'domainsnapshot') {
    throw new XmlEditError(`expected <domainsnapshot>, found <${root.name}>`);
  }
  return root;
}

export function readSnapshot(doc: XmlDocument): SnapshotView {
  const root = snapshotRoot(doc);
  const memory = findElement(root, 'memory');
  const disks = findElement(root, 'disks');
  return {
    name: findText(root, 'name'),
    description: findText(root, 'description'),
    state: findText(root, 'state'),
    parent: findText(root, 'parent/name'),
    creationTime: parseInteger(findText(root, 'creationTime')),
    memory: memory && {
      snapshot: getAttribute(memory, 'snapshot'),
      file: getAttribute(memory, 'file'),
    },
    disks: disks
      ? childElements(disks, 'disk').map((d) => {
          const driver = findElement(d, 'driver');
          const source = findElement(d, 'source');
          return {
            name: getAttribute(d, 'name'),
            snapshot: getAttribute(d, 'snapshot'),
            driverType: driver && getAttribute(driver, 'type'),
            sourceFile: source && getAttribute(source, 'file'),
          };
        })
      : [],
    domain: findElement(root, 'domain'),
  };
}

/** Snapshot description (virDomainSnapshotCreateXML with REDEFINE edits it); null removes it. */
export function setSnapshotDescription(doc: XmlDocument, description: string | null): XmlDocument {
  snapshotRoot(doc);
  return updateRoot(doc, (root) => {
    const order = (p: readonly string[]) => (p.length === 0 ? ['name', 'description'] : undefined);
    const next = updatePath(
      root,
      ['description'],
      (el) => (description === null || description === '' ? null : setText(el, description)),
      { order, create: description !== null && description !== '', keepEmpty: true },
    );
    return next ?? root;
  });
}
