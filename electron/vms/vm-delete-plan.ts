import type { VmDeletePlan, VmDeletePlanDisk, VmDisk, VmSummary } from '../../shared/contract/vms';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { isLibvirtError } from '../libvirt/errors';
import { poolLookup } from '../libvirt/facade/storage-pool';
import { volLookup, volLookupByPath, type StorageVolRef } from '../libvirt/facade/storage-volume';
import { VIR_ERR_NO_STORAGE_POOL, VIR_ERR_NO_STORAGE_VOL } from '../libvirt/protocol/constants.gen';

/** A disk of the plan with the volume to delete, when there is one. */
export interface PlannedDisk extends VmDeletePlanDisk {
  vol: StorageVolRef | null;
}

export interface DeletePlanWithVolumes extends VmDeletePlan {
  disks: PlannedDisk[];
}

function sameStorage(a: VmDisk, b: VmDisk, resolvedPath: string | null): boolean {
  if (resolvedPath !== null && b.path === resolvedPath) return true;
  if (a.path !== null && b.path === a.path) return true;
  return a.pool !== null && a.pool === b.pool && a.volume !== null && a.volume === b.volume;
}

/** Finds the libvirt volume behind a disk, the way `virsh undefine --remove-all-storage` does. */
async function volumeOf(
  c: LibvirtClient,
  disk: VmDisk,
): Promise<{ vol: StorageVolRef } | { keep: PlannedDisk['keepReason']; message: string }> {
  if (disk.type === 'volume' && disk.pool && disk.volume) {
    try {
      return { vol: await volLookup(c, await poolLookup(c, disk.pool), disk.volume) };
    } catch (err) {
      if (
        isLibvirtError(err, VIR_ERR_NO_STORAGE_POOL) ||
        isLibvirtError(err, VIR_ERR_NO_STORAGE_VOL)
      ) {
        return { keep: 'not-in-pool', message: err.message };
      }
      return { keep: 'lookup-failed', message: (err as Error).message };
    }
  }
  if (disk.path === null) {
    return disk.network !== null
      ? {
          keep: 'not-in-pool',
          message: `The network disk ${disk.network} is not a volume of a libvirt storage pool`,
        }
      : { keep: 'no-source', message: 'The drive is empty' };
  }
  try {
    return { vol: await volLookupByPath(c, disk.path) };
  } catch (err) {
    if (isLibvirtError(err, VIR_ERR_NO_STORAGE_VOL)) {
      // virsh's wording: the daemon's own message only says "no storage vol with matching path".
      return {
        keep: 'not-in-pool',
        message: `Storage volume '${disk.path}' is not managed by libvirt. Remove it manually.`,
      };
    }
    return { keep: 'lookup-failed', message: (err as Error).message };
  }
}

/**
 * What deleting `vm` would do: each disk with the pool volume libvirt would delete (or why
 * it cannot), which other VMs on the host use the same storage, and what goes with the VM.
 */
export async function planVmDelete(
  c: LibvirtClient,
  vm: VmSummary,
  alias: string,
  others: readonly VmSummary[],
): Promise<DeletePlanWithVolumes> {
  const disks = await Promise.all(
    vm.disks.map(async (disk): Promise<PlannedDisk> => {
      const found = await volumeOf(c, disk);
      const vol = 'vol' in found ? found.vol : null;
      // File volumes are keyed by their path.
      const resolvedPath = disk.path ?? (vol?.key.startsWith('/') ? vol.key : null);
      const usedBy = others
        .filter(
          (o) => o.uuid !== vm.uuid && o.disks.some((d) => sameStorage(disk, d, resolvedPath)),
        )
        .map((o) => o.name)
        .sort();
      const deletable = vol !== null;
      return {
        target: disk.target,
        device: disk.device,
        path: resolvedPath,
        pool: vol?.pool ?? disk.pool,
        volume: vol?.name ?? disk.volume,
        deletable,
        keepReason: 'keep' in found ? found.keep : null,
        message: 'keep' in found ? found.message : null,
        usedBy,
        suggested:
          deletable &&
          disk.device === 'disk' &&
          !disk.readonly &&
          !disk.shareable &&
          usedBy.length === 0,
        vol,
      };
    }),
  );
  return {
    connectionId: vm.connectionId,
    uuid: vm.uuid,
    name: vm.name,
    alias,
    state: vm.state,
    active: vm.id !== null,
    persistent: vm.persistent,
    disks,
    nvram: vm.firmware === 'efi' ? { path: vm.nvramPath } : null,
    managedSave: vm.hasManagedSave,
  };
}

/** The plan as the contract sends it (without the internal volume refs). */
export function publicPlan(plan: DeletePlanWithVolumes): VmDeletePlan {
  return { ...plan, disks: plan.disks.map(({ vol: _vol, ...disk }) => disk) };
}
