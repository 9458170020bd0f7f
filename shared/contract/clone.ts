import { z } from 'zod';
import { channel } from './channel';
import { vmTargetSchema, type VmRef } from './vms';

/**
 * Cloning a VM on its own host: a new definition (new name, UUID and MACs) and, per disk,
 * a copy made by libvirt (a storage volume create-from when the VM is shut off, a block
 * copy into a new volume while it runs), a shared disk or none. 'vm:clonePlan' says what
 * is possible before anything is made; 'vm:clone' makes it, and undoes all of it on failure.
 */

/** What the clone gets for one disk of the source. */
export type CloneDiskAction = 'clone' | 'share' | 'skip';

/** Why a disk cannot be copied by libvirt (it can still be shared or left out). */
export type CloneDiskBlocker = 'not-in-pool' | 'network' | 'empty';

export interface CloneDiskPlan {
  /** The disk's target (`vda`). */
  target: string;
  /** disk, cdrom, floppy, lun. */
  device: string;
  /** The file or block device the disk uses (null for network disks and empty drives). */
  path: string | null;
  /** The pool and volume libvirt knows it as (null when none). */
  pool: string | null;
  volume: string | null;
  /** qcow2, raw…, as the disk's driver says. */
  format: string | null;
  /** Bytes the guest sees, and bytes used on the host (null outside a pool). */
  capacity: number | null;
  allocation: number | null;
  readonly: boolean;
  shareable: boolean;
  /** libvirt can copy it: a volume of an active pool. */
  cloneable: boolean;
  blocker: CloneDiskBlocker | null;
  /** What the dialog pre-selects (virt-clone's rule: copy writable disks, share the rest). */
  defaultAction: CloneDiskAction;
  /** A free volume name for the copy in its own pool. */
  suggestedVolume: string | null;
}

export interface ClonePoolInfo {
  name: string;
  /** Pool type (dir, logical, …). */
  type: string;
  active: boolean;
  /** Bytes free in the pool as libvirt reports them. */
  available: number;
}

export interface ClonePlan {
  connectionId: string;
  uuid: string;
  name: string;
  alias: string;
  /** A free name: `<name>-clone`, `<name>-clone1`, … */
  suggestedName: string;
  /** running, paused, shutoff… (VmState's words). */
  state: string;
  /**
   * The source must not be written while its disks are copied (virt-manager refuses a
   * running source). VirtDeck pauses a running source for the copy and resumes it after.
   */
  pauseWhileCopying: boolean;
  disks: CloneDiskPlan[];
  /**
   * A UEFI VM's variable store, copied for the clone as a storage volume (through a
   * transient pool over its folder when no pool holds it). Should libvirt refuse, the clone
   * gets a fresh store from the firmware's template and CloneResult says so.
   */
  nvram: { path: string } | null;
  /** Active pools that can receive copies. */
  pools: ClonePoolInfo[];
  /** Things the clone will not carry over (emulated TPM state, snapshots…). */
  notes: string[];
}

const domainNameSchema = z
  .string()
  .trim()
  .min(1, 'A name is required')
  .max(200, 'A name has at most 200 characters')
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/, {
    message: 'A name may use letters, digits and _ . + - only, and must not start with . or -',
  });

const volumeNameSchema = z
  .string()
  .min(1, 'A volume name is required')
  .max(200)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/, {
    message:
      'A volume name may use letters, digits and _ . + - only, and must not start with . or -',
  });

export const cloneDiskChoiceSchema = z
  .object({
    target: z.string().min(1).max(32),
    action: z.enum(['clone', 'share', 'skip']),
    /** Clone into this pool (default: the source volume's own pool). */
    pool: volumeNameSchema.optional(),
    /** The new volume's name (default: the plan's suggestion). */
    volume: volumeNameSchema.optional(),
  })
  .strict();
export type CloneDiskChoice = z.infer<typeof cloneDiskChoiceSchema>;

export const vmCloneSchema = vmTargetSchema
  .extend({
    name: domainNameSchema,
    /** Disks not listed get the plan's default action. */
    disks: z.array(cloneDiskChoiceSchema).max(64).optional(),
    /** Names this clone for progress events and 'vm:cloneCancel'. */
    jobId: z.uuid(),
  })
  .strict();
export type VmCloneRequest = z.infer<typeof vmCloneSchema>;

export interface CloneDiskOutcome {
  target: string;
  action: CloneDiskAction;
  /** The clone's storage for this disk (the source's when shared, null when skipped). */
  path: string | null;
  pool: string | null;
  volume: string | null;
}

export interface CloneResult extends VmRef {
  sourceUuid: string;
  disks: CloneDiskOutcome[];
  /** The EFI variables were copied (false: a fresh store from the template, see notes). */
  nvramCopied: boolean | null;
  /** MAC addresses of the clone's interfaces, in order. */
  macs: string[];
  /** What the user should know (variables not copied, source resumed…). */
  notes: string[];
}

export type ClonePhase = 'preparing' | 'copying' | 'defining' | 'cleaning-up' | 'done';

export interface CloneProgress {
  jobId: string;
  connectionId: string;
  uuid: string;
  phase: ClonePhase;
  /** The disk being copied (target), when copying. */
  disk: string | null;
  /** Bytes copied so far of every disk, and the total to copy. */
  bytes: number;
  total: number;
  /** A cancel was asked for; with a shut-off source the running volume copy ends first. */
  cancelling: boolean;
}

export interface CloneEvents {
  /** At most every 300 ms while cloning, and once per phase change. */
  'clone:progress': CloneProgress;
}

export const cloneChannels = {
  /** What a clone of this VM would be: a free name, its disks and what can be done with each. */
  'vm:clonePlan': channel<ClonePlan>()(vmTargetSchema),
  /** Clones the VM; a failure (or cancel) removes every volume and the definition it made. */
  'vm:clone': channel<CloneResult>()(vmCloneSchema),
  /** Asks a running clone to stop; it cleans up and 'vm:clone' fails as cancelled. */
  'vm:cloneCancel': channel<{ cancelled: boolean }>()(z.object({ jobId: z.uuid() }).strict()),
};
