import { getAttribute } from '../element-attributes';
import { childElements, findElement, findText } from '../element-query';
import { scaledToBytes } from '../units';
import { documentRoot } from '../xml-document';
import { XmlEditError } from '../xml-edit-error';
import type { XmlDocument, XmlElement } from '../xml-node';

export interface PoolSource {
  readonly hosts: readonly {
    readonly name: string | undefined;
    readonly port: string | undefined;
  }[];
  /** Source directory of netfs/gluster pools. */
  readonly dir: string | undefined;
  /** Device paths of disk/logical/iscsi pools. */
  readonly devices: readonly string[];
  /** Source name (volume group, rbd pool, gluster volume). */
  readonly name: string | undefined;
  readonly format: string | undefined;
  /** SCSI adapter name or type. */
  readonly adapter: string | undefined;
}

export interface PoolView {
  /** dir, fs, netfs, logical, disk, iscsi, iscsi-direct, scsi, mpath, rbd, gluster, zfs, vstorage. */
  readonly type: string | undefined;
  readonly name: string | undefined;
  readonly uuid: string | undefined;
  readonly capacityBytes: number | undefined;
  readonly allocationBytes: number | undefined;
  readonly availableBytes: number | undefined;
  readonly targetPath: string | undefined;
  readonly source: PoolSource | undefined;
}

/** The <pool> root; any other document is refused. */
export function poolRoot(doc: XmlDocument): XmlElement {
  const root = documentRoot(doc);
  if (root.name !== 'pool') throw new XmlEditError(`expected <pool>, found <${root.name}>`);
  return root;
}

export function readPool(doc: XmlDocument): PoolView {
  const root = poolRoot(doc);
  const bytes = (name: string): number | undefined => {
    const el = findElement(root, name);
    return el && scaledToBytes(findText(root, name)?.trim(), getAttribute(el, 'unit'));
  };
  const source = findElement(root, 'source');
  const attr = (path: string, name: string): string | undefined => {
    const el = source && findElement(source, path);
    return el && getAttribute(el, name);
  };
  const adapter = source && findElement(source, 'adapter');
  return {
    type: getAttribute(root, 'type'),
    name: findText(root, 'name'),
    uuid: findText(root, 'uuid'),
    capacityBytes: bytes('capacity'),
    allocationBytes: bytes('allocation'),
    availableBytes: bytes('available'),
    targetPath: findText(root, 'target/path'),
    source: source && {
      hosts: childElements(source, 'host').map((h) => ({
        name: getAttribute(h, 'name'),
        port: getAttribute(h, 'port'),
      })),
      dir: attr('dir', 'path'),
      devices: childElements(source, 'device').flatMap((d) => getAttribute(d, 'path') ?? []),
      name: findText(source, 'name'),
      format: attr('format', 'type'),
      adapter: adapter && (getAttribute(adapter, 'name') ?? getAttribute(adapter, 'type')),
    },
  };
}
