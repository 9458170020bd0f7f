import {
  getAttribute,
  patchAttributes,
  setAttribute,
  type FieldPatch,
} from '../element-attributes';
import { childElements, findElement, findText } from '../element-query';
import { getText } from '../element-text';
import { XmlEditError } from '../xml-edit-error';
import { createElement, type XmlElement } from '../xml-node';
import { assertInteger, parseInteger } from '../xml-values';
import {
  patchChildAttribute,
  patchChildText,
  setChildFlag,
  updateDeviceChild,
} from './device-edit';

export interface DiskSource {
  readonly file?: string;
  readonly dev?: string;
  readonly dir?: string;
  readonly pool?: string;
  readonly volume?: string;
  /** For volume sources: host or direct. */
  readonly mode?: string;
  /** Network disks: nbd, iscsi, rbd, gluster, http(s) … */
  readonly protocol?: string;
  readonly name?: string;
  readonly hosts?: readonly {
    readonly name?: string;
    readonly port?: string;
    readonly transport?: string;
  }[];
}

export interface DiskView {
  /** file, block, dir, network, volume, nvme, vhostuser. */
  readonly type: string | undefined;
  /** disk (default), cdrom, floppy, lun. */
  readonly device: string;
  readonly driver: {
    readonly name: string | undefined;
    readonly type: string | undefined;
    readonly cache: string | undefined;
    readonly io: string | undefined;
    readonly discard: string | undefined;
  };
  /** Undefined for an empty CD-ROM or floppy drive. */
  readonly source: DiskSource | undefined;
  readonly target: { readonly dev: string | undefined; readonly bus: string | undefined };
  readonly readonly: boolean;
  readonly shareable: boolean;
  readonly serial: string | undefined;
  readonly bootOrder: number | undefined;
  /** `<iotune>` limits by element name (total_bytes_sec, read_iops_sec, …). */
  readonly iotune: Readonly<Record<string, number>>;
}

const SOURCE_ATTRIBUTES = [
  'file',
  'dev',
  'dir',
  'pool',
  'volume',
  'mode',
  'protocol',
  'name',
] as const;

export function readDisk(disk: XmlElement): DiskView {
  const driver = findElement(disk, 'driver');
  const sourceEl = findElement(disk, 'source');
  const target = findElement(disk, 'target');
  const boot = findElement(disk, 'boot');
  const iotuneEl = findElement(disk, 'iotune');
  const iotune: Record<string, number> = {};
  for (const limit of iotuneEl ? childElements(iotuneEl) : []) {
    const value = parseInteger(getText(limit));
    if (value !== undefined) iotune[limit.name] = value;
  }
  let source: DiskSource | undefined;
  if (sourceEl) {
    const fields: Record<string, unknown> = {};
    for (const name of SOURCE_ATTRIBUTES) {
      const value = getAttribute(sourceEl, name);
      if (value !== undefined) fields[name] = value;
    }
    const hosts = childElements(sourceEl, 'host').map((h) => ({
      name: getAttribute(h, 'name'),
      port: getAttribute(h, 'port'),
      transport: getAttribute(h, 'transport'),
    }));
    if (hosts.length > 0) fields['hosts'] = hosts;
    source = fields as DiskSource;
  }
  return {
    type: getAttribute(disk, 'type'),
    device: getAttribute(disk, 'device') ?? 'disk',
    driver: {
      name: driver && getAttribute(driver, 'name'),
      type: driver && getAttribute(driver, 'type'),
      cache: driver && getAttribute(driver, 'cache'),
      io: driver && getAttribute(driver, 'io'),
      discard: driver && getAttribute(driver, 'discard'),
    },
    source,
    target: {
      dev: target && getAttribute(target, 'dev'),
      bus: target && getAttribute(target, 'bus'),
    },
    readonly: findElement(disk, 'readonly') !== undefined,
    shareable: findElement(disk, 'shareable') !== undefined,
    serial: findText(disk, 'serial'),
    bootOrder: boot && parseInteger(getAttribute(boot, 'order')),
    iotune,
  };
}

/** A source to point a disk at. The kind decides the disk's type attribute. */
export type DiskSourceSpec =
  | { readonly kind: 'file'; readonly file: string }
  | { readonly kind: 'block'; readonly dev: string }
  | { readonly kind: 'dir'; readonly dir: string }
  | {
      readonly kind: 'volume';
      readonly pool: string;
      readonly volume: string;
      readonly mode?: 'host' | 'direct';
    };

function sourceAttributes(spec: DiskSourceSpec): Record<string, string | null> {
  switch (spec.kind) {
    case 'file':
      return { file: spec.file };
    case 'block':
      return { dev: spec.dev };
    case 'dir':
      return { dir: spec.dir };
    case 'volume':
      return { pool: spec.pool, volume: spec.volume, mode: spec.mode ?? null };
  }
}

/**
 * Points the disk at a new source, or ejects the medium (null: `<source>` removed, as for
 * an empty CD-ROM). Same type: only the source's attributes change (its children, such as
 * seclabels, stay). Another type: the disk's type changes and the source is rebuilt.
 */
export function setDiskSource(disk: XmlElement, spec: DiskSourceSpec | null): XmlElement {
  if (spec === null) return updateDeviceChild(disk, 'source', () => null, { create: false });
  for (const value of Object.values(sourceAttributes(spec))) {
    if (value === '') throw new XmlEditError('a disk source needs a non-empty path or name');
  }
  const sameType = getAttribute(disk, 'type') === spec.kind;
  const typed = setAttribute(disk, 'type', spec.kind);
  return updateDeviceChild(typed, 'source', (source) =>
    patchAttributes(sameType ? source : createElement('source'), sourceAttributes(spec)),
  );
}

export function setDiskDriver(
  disk: XmlElement,
  patch: {
    name?: FieldPatch<string>;
    type?: FieldPatch<string>;
    cache?: FieldPatch<'default' | 'none' | 'writethrough' | 'writeback' | 'directsync' | 'unsafe'>;
    io?: FieldPatch<'threads' | 'native' | 'io_uring'>;
    discard?: FieldPatch<'unmap' | 'ignore'>;
  },
): XmlElement {
  let next = disk;
  for (const [name, value] of Object.entries(patch)) {
    next = patchChildAttribute(next, 'driver', name, value as FieldPatch<string>);
  }
  return next;
}

export type DiskBus = 'virtio' | 'sata' | 'scsi' | 'ide' | 'usb' | 'fdc' | 'sd' | 'xen';

export function setDiskTarget(
  disk: XmlElement,
  patch: { dev?: string; bus?: FieldPatch<DiskBus> },
): XmlElement {
  if (patch.dev !== undefined && !/^[a-z]+[a-z0-9]*$/.test(patch.dev)) {
    throw new XmlEditError(`'${patch.dev}' is not a disk target name like vda or sdb`);
  }
  const next = patchChildAttribute(disk, 'target', 'dev', patch.dev);
  return patchChildAttribute(next, 'target', 'bus', patch.bus);
}

export function setDiskReadonly(disk: XmlElement, readonly: boolean): XmlElement {
  return setChildFlag(disk, 'readonly', readonly);
}

export function setDiskShareable(disk: XmlElement, shareable: boolean): XmlElement {
  return setChildFlag(disk, 'shareable', shareable);
}

export function setDiskSerial(disk: XmlElement, serial: FieldPatch<string>): XmlElement {
  if (typeof serial === 'string' && !/^[A-Za-z0-9_. +-]{1,36}$/.test(serial)) {
    throw new XmlEditError('a disk serial takes up to 36 letters, digits, spaces, _ . + -');
  }
  return patchChildText(disk, 'serial', serial === '' ? null : serial);
}

/** I/O limits by element name (total_bytes_sec, read_iops_sec, …); null removes one. */
export function setDiskIotune(
  disk: XmlElement,
  limits: Readonly<Record<string, FieldPatch<number>>>,
): XmlElement {
  let next = disk;
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value === 'number') assertInteger(value, name, 0);
    if (value === undefined) continue;
    next = updateDeviceChild(
      next,
      'iotune',
      (iotune) => {
        const patched = patchChildText(iotune, name, value);
        // An empty <iotune/> means nothing; drop it with its last limit.
        return patched.children.length === 0 ? null : patched;
      },
      { create: value !== null },
    );
  }
  return next;
}

/** A new disk element ready for addDevice. */
export function createDiskElement(spec: {
  source: DiskSourceSpec | null;
  device?: 'disk' | 'cdrom' | 'floppy' | 'lun';
  driverType?: string;
  target: { dev: string; bus: DiskBus };
  readonly?: boolean;
}): XmlElement {
  const type = spec.source?.kind ?? 'file';
  let disk = createElement('disk', { type, device: spec.device ?? 'disk' });
  const driverType = spec.driverType ?? (spec.device === 'cdrom' ? 'raw' : undefined);
  disk = setDiskDriver(disk, { name: 'qemu', type: driverType });
  if (spec.source) disk = setDiskSource(disk, spec.source);
  disk = setDiskTarget(disk, spec.target);
  return spec.readonly || spec.device === 'cdrom' ? setDiskReadonly(disk, true) : disk;
}
