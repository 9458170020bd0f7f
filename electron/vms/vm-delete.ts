import type {
  VmDeleteDiskOutcome,
  VmDeleteRequest,
  VmDeleteResult,
} from '../../shared/contract/vms';
import { toContractError } from '../handlers/to-contract-error';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { isLibvirtError } from '../libvirt/errors';
import {
  domainDestroy,
  domainIsActive,
  domainIsPersistent,
  domainUndefine,
  type DomainRef,
} from '../libvirt/facade/domain';
import { volDelete, type StorageVolRef } from '../libvirt/facade/storage-volume';
import { VIR_ERR_NO_DOMAIN } from '../libvirt/protocol/constants.gen';
import { vmRefusal } from './vm-action-error';
import type { DeletePlanWithVolumes, PlannedDisk } from './vm-delete-plan';

/**
 * Checks a delete request against a fresh plan before anything is done: every named disk
 * exists, every disk chosen for deletion can be deleted by libvirt.
 */
export function checkDeleteRequest(
  plan: DeletePlanWithVolumes,
  request: Pick<VmDeleteRequest, 'disks'>,
): DeletableDisk[] {
  const chosen: DeletableDisk[] = [];
  const problems: string[] = [];
  for (const [index, entry] of request.disks.entries()) {
    const disk = plan.disks.find((d) => d.target === entry.target);
    if (!disk) {
      problems.push(`${plan.name} has no disk '${entry.target}' (at disks.${index})`);
    } else if (entry.delete && (!disk.deletable || disk.vol === null)) {
      problems.push(`${disk.target}: ${disk.message ?? 'libvirt cannot delete it'}`);
    } else if (entry.delete && !chosen.some((c) => c.target === disk.target)) {
      chosen.push({ ...disk, vol: disk.vol as StorageVolRef });
    }
  }
  if (problems.length > 0) {
    throw vmRefusal(
      `Nothing was deleted: ${problems.join('; ')}. Untick the disks libvirt cannot delete.`,
      'disks',
    );
  }
  return chosen;
}

type DeletableDisk = PlannedDisk & { vol: StorageVolRef };

const isGone = (err: unknown): boolean => isLibvirtError(err, VIR_ERR_NO_DOMAIN);

/**
 * Deletes a VM: powers it off when asked (refused otherwise if it runs), undefines it with
 * its managed-save image, snapshot/checkpoint metadata and UEFI variable store, then
 * deletes the chosen volumes. The volumes go last so a failed undefine leaves a complete VM;
 * a volume that cannot be deleted afterwards is reported per disk.
 */
export async function deleteVm(
  c: LibvirtClient,
  dom: DomainRef,
  plan: DeletePlanWithVolumes,
  request: Pick<VmDeleteRequest, 'disks' | 'forceOff'>,
): Promise<VmDeleteResult> {
  const chosen = checkDeleteRequest(plan, request);
  let forcedOff = false;
  if (await domainIsActive(c, dom)) {
    if (!request.forceOff) {
      throw vmRefusal(
        `${plan.name} on ${plan.alias} is running: force it off to delete it (nothing was deleted)`,
        'forceOff',
      );
    }
    await domainDestroy(c, dom);
    forcedOff = true;
  }
  // A transient VM is gone once it stops.
  const persistent = await domainIsPersistent(c, dom).catch((err: unknown) => {
    if (isGone(err)) return false;
    throw err;
  });
  if (persistent) {
    await domainUndefine(c, dom, {
      managedSave: true,
      snapshotsMetadata: true,
      checkpointsMetadata: true,
      // Only where there is one: some drivers (test) refuse the flag outright.
      nvram: plan.nvram !== null,
    });
  }
  const disks: VmDeleteDiskOutcome[] = [];
  for (const disk of chosen) {
    try {
      await volDelete(c, disk.vol);
      disks.push({ target: disk.target, path: disk.path, deleted: true });
    } catch (err) {
      disks.push({
        target: disk.target,
        path: disk.path,
        deleted: false,
        error: toContractError(err),
      });
    }
  }
  return {
    connectionId: plan.connectionId,
    uuid: plan.uuid,
    name: plan.name,
    forcedOff,
    undefined: persistent,
    nvramRemoved: persistent && plan.nvram !== null,
    disks,
  };
}
