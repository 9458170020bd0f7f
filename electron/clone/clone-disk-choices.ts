import type { CloneDiskAction, VmCloneRequest } from '../../shared/contract/clone';
import type { StorageVolRef } from '../libvirt/facade/storage-volume';
import { vmRefusal } from '../vms/vm-action-error';
import { cloneVolumeName } from './clone-names';
import type { CloneSource, SourceDisk } from './clone-source';

/** One source disk and what the clone does with it, checked against the host. */
export interface PlannedCopy {
  disk: SourceDisk;
  action: CloneDiskAction;
  /** How the source names its storage; the copy is named the same way. */
  sourceType: 'file' | 'block' | 'volume';
  copy: {
    source: StorageVolRef;
    pool: string;
    volume: string;
    /** What the copy will take in its pool (see bytesNeeded). */
    expectedBytes: number;
  } | null;
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/**
 * A qcow2 (or other image format) copy holds only the clusters the source uses; a raw copy
 * may end up fully allocated (a block pool always is, and a file copy loses its holes on
 * file systems without them), so it is counted at its full size — virt-clone's rule too.
 */
function bytesNeeded(disk: SourceDisk): number {
  const format = disk.format ?? 'raw';
  return format === 'raw' ? (disk.capacity ?? 0) : (disk.allocation ?? disk.capacity ?? 0);
}

/**
 * Each disk's action from the request (else the plan's default) with the new volume's pool
 * and free name — refused before anything is made when a name is taken (on the host or twice
 * in the request), a disk cannot be copied, or a pool lacks the space.
 */
export function planCloneDisks(src: CloneSource, request: VmCloneRequest): PlannedCopy[] {
  if (src.takenNames.has(request.name)) {
    throw vmRefusal(`A VM named ${request.name} exists already on ${src.plan.alias}`, 'name');
  }
  const known = new Set(src.disks.map((d) => d.target));
  for (const choice of request.disks ?? []) {
    if (!known.has(choice.target)) {
      throw vmRefusal(`${src.plan.name} has no disk ${choice.target}`, 'disks');
    }
  }
  const chosen = new Map<string, Set<string>>();
  const need = new Map<string, number>();
  const planned = src.disks.map((disk): PlannedCopy => {
    const choice = request.disks?.find((d) => d.target === disk.target);
    const action = choice?.action ?? disk.defaultAction;
    const sourceType =
      disk.xmlType === 'volume' ? 'volume' : disk.xmlType === 'block' ? 'block' : 'file';
    if (action !== 'clone') return { disk, action, sourceType, copy: null };
    if (!disk.cloneable || !disk.vol) {
      throw vmRefusal(
        `Disk ${disk.target} cannot be copied by libvirt (${disk.blocker ?? disk.device}); share it or leave it out`,
        'disks',
      );
    }
    const pool = choice?.pool ?? disk.vol.pool;
    const info = src.plan.pools.find((p) => p.name === pool);
    if (!info) throw vmRefusal(`There is no storage pool ${pool} on ${src.plan.alias}`, 'disks');
    if (!info.active) throw vmRefusal(`The storage pool ${pool} is not active`, 'disks');
    const existing = src.poolVolumes.get(pool) ?? new Set<string>();
    const mine = chosen.get(pool) ?? new Set<string>();
    const volume =
      choice?.volume ??
      cloneVolumeName(disk.vol.name, src.plan.name, request.name, new Set([...existing, ...mine]));
    if (existing.has(volume)) {
      throw vmRefusal(`The pool ${pool} already has a volume named ${volume}`, 'disks');
    }
    if (mine.has(volume)) {
      throw vmRefusal(`Two disks would be copied to ${pool}/${volume}`, 'disks');
    }
    mine.add(volume);
    chosen.set(pool, mine);
    const expectedBytes = bytesNeeded(disk);
    need.set(pool, (need.get(pool) ?? 0) + expectedBytes);
    return {
      disk,
      action,
      sourceType,
      copy: { source: disk.vol, pool, volume, expectedBytes },
    };
  });
  for (const [pool, bytes] of need) {
    const available = src.plan.pools.find((p) => p.name === pool)?.available ?? 0;
    if (bytes > available) {
      throw vmRefusal(
        `Not enough space in the storage pool ${pool}: the copies need ${formatBytes(bytes)}, ` +
          `${formatBytes(available)} are free`,
        'disks',
      );
    }
  }
  return planned;
}
