import type { HostFile, NewVmPreview, NewVmSpec, OsEntry } from '../../shared/contract/new-vm';
import { sizeToBytes } from '../../shared/contract/storage';
import type { StorageVolRef } from '../libvirt/facade/storage-volume';
import { buildDomainXml } from './domain-xml/build-domain-xml';
import type { DiskSource, NewVmDisk } from './domain-xml/new-vm-disk';
import { diskFormatOf, type ResolvedHostFile } from './resolve-host-file';

/** How a planned volume gets its bytes. */
export type VolumeCreation =
  | { kind: 'empty' }
  /** A full copy of a pool volume (virStorageVolCreateXMLFrom), then grown to the size. */
  | { kind: 'clone'; from: StorageVolRef }
  /** A qcow2 file that reads through to the base image and writes only its own changes. */
  | { kind: 'overlay'; backingPath: string; backingFormat: string }
  /** Bytes we make or fetch (seed image, kernel, initrd), uploaded through libvirt. */
  | { kind: 'upload' };

export interface PlannedVolume {
  pool: string;
  name: string;
  capacityBytes: number;
  format: 'qcow2' | 'raw';
  purpose: NewVmPreview['volumes'][number]['purpose'];
  creation: VolumeCreation;
}

/** Everything the spec resolved to on the host, for the plan. */
export interface PlanContext {
  spec: NewVmSpec;
  uuid: string;
  os: OsEntry | null;
  domainType: string;
  machine: string | null;
  /** The spec's host files as libvirt found them (null: a path libvirt cannot see). */
  files: {
    method: ResolvedHostFile | null;
    storage: ResolvedHostFile | null;
    driverIso: ResolvedHostFile | null;
  };
  /** Where the seed, kernel and initrd volumes go (null: no pool to put them in). */
  auxPool: string | null;
  /** The seed image's size, when the method is `cloud`. */
  seedBytes: number | null;
}

export interface NewVmPlan {
  volumes: PlannedVolume[];
  disks: NewVmDisk[];
  /** The persistent definition (what the summary shows). */
  xml: string;
}

/** Volume names derived from the VM's name; the pool must not have them yet. */
export function volumeNames(name: string, format: 'qcow2' | 'raw') {
  return {
    disk: `${name}.${format === 'qcow2' ? 'qcow2' : 'img'}`,
    seed: `${name}-cidata.iso`,
    kernel: `${name}-install-vmlinuz`,
    initrd: `${name}-install-initrd.img`,
  };
}

/**
 * The volumes, disks and XML a spec makes. Pure: every host lookup happened before, so the
 * preview and the creation build the same thing from the same facts.
 */
export function planNewVm(ctx: PlanContext): NewVmPlan {
  const { spec } = ctx;
  const volumes: PlannedVolume[] = [];
  const disks: NewVmDisk[] = [];
  const method = spec.method;
  const storage = spec.storage;
  const names = volumeNames(spec.name, storage.kind === 'new' ? storage.format : 'qcow2');
  // A file libvirt could not see is written as given (the checks warned about it).
  const sourceOf = (file: ResolvedHostFile | null, given: HostFile): DiskSource => {
    if (file) return file.source;
    return given.kind === 'path'
      ? { kind: 'path', path: given.path }
      : { kind: 'volume', pool: given.pool, volume: given.volume };
  };
  if (method.kind === 'media') {
    disks.push({
      device: 'cdrom',
      source: sourceOf(ctx.files.method, method.media),
      format: 'raw',
      role: 'install-media',
    });
  }
  if (method.kind === 'import') {
    disks.push({
      device: 'disk',
      source: sourceOf(ctx.files.method, method.disk),
      format: method.format ?? diskFormatOf(ctx.files.method, hostFileName(method.disk)),
      role: 'system',
    });
  } else if (storage.kind === 'new') {
    const creation: VolumeCreation =
      method.kind !== 'cloud'
        ? { kind: 'empty' }
        : method.mode === 'clone' && ctx.files.method?.vol
          ? { kind: 'clone', from: ctx.files.method.vol }
          : {
              kind: 'overlay',
              backingPath: ctx.files.method?.path ?? hostFileName(method.base),
              backingFormat: diskFormatOf(ctx.files.method, hostFileName(method.base)),
            };
    // An overlay is qcow2 whatever was asked: raw files cannot have a backing file.
    const format = creation.kind === 'overlay' ? 'qcow2' : storage.format;
    const name = volumeNames(spec.name, format).disk;
    volumes.push({
      pool: storage.pool,
      name,
      capacityBytes: sizeToBytes(storage.size),
      format,
      purpose: 'disk',
      creation,
    });
    disks.push({
      device: 'disk',
      source: { kind: 'volume', pool: storage.pool, volume: name },
      format,
      role: 'system',
    });
  } else if (storage.kind === 'existing') {
    disks.push({
      device: 'disk',
      source: sourceOf(ctx.files.storage, storage.disk),
      format: diskFormatOf(ctx.files.storage, hostFileName(storage.disk)),
      role: 'system',
    });
  }
  if (spec.driverIso) {
    disks.push({
      device: 'cdrom',
      source: sourceOf(ctx.files.driverIso, spec.driverIso),
      format: 'raw',
      role: 'driver-iso',
    });
  }
  if (method.kind === 'cloud' && ctx.auxPool) {
    volumes.push({
      pool: ctx.auxPool,
      name: names.seed,
      capacityBytes: ctx.seedBytes ?? 0,
      format: 'raw',
      purpose: 'seed',
      creation: { kind: 'upload' },
    });
    disks.push({
      device: 'cdrom',
      source: { kind: 'volume', pool: ctx.auxPool, volume: names.seed },
      format: 'raw',
      role: 'seed',
    });
  }
  if (method.kind === 'tree' && ctx.auxPool) {
    // Sizes are known once fetched; the summary shows them as 0 until then.
    for (const purpose of ['kernel', 'initrd'] as const) {
      volumes.push({
        pool: ctx.auxPool,
        name: names[purpose],
        capacityBytes: 0,
        format: 'raw',
        purpose,
        creation: { kind: 'upload' },
      });
    }
  }
  const xml = buildDomainXml({
    spec,
    uuid: ctx.uuid,
    os: ctx.os,
    domainType: ctx.domainType,
    machine: ctx.machine,
    disks,
  });
  return { volumes, disks, xml };
}

export function hostFileName(file: HostFile): string {
  return file.kind === 'volume' ? file.volume : file.path;
}
