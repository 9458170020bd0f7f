import { z } from 'zod';
import { channel } from './channel';
import type { ContractError } from './errors';

/**
 * The VM list and lifecycle actions. Every VM is addressed by its host's connection id and
 * its libvirt UUID (names may change; UUIDs never do). An action answers once libvirt has
 * accepted it; the VM's NEW state arrives as a 'vm:changed' event, never as the reply.
 */

/**
 * libvirt's domain states, plus 'saved': shut off with a managed-save image (virsh list
 * --managed-save shows it the same way), so the UI can offer Restore.
 */
export const vmStates = [
  'running',
  'blocked',
  'paused',
  'shutdown',
  'shutoff',
  'crashed',
  'pmsuspended',
  'saved',
  'nostate',
] as const;
export type VmState = (typeof vmStates)[number];

export type VmFirmware = 'bios' | 'efi';

/** Our namespace in the domain's `<metadata>`: tags live there and travel with the VM. */
export const VIRTDECK_METADATA_NS = 'https://virtdeck.dev/xmlns/virtdeck/1';
export const VIRTDECK_METADATA_PREFIX = 'virtdeck';
export const VM_TAG_MAX_LENGTH = 64;
export const VM_TAGS_MAX = 32;

export interface VmDisk {
  /** The guest's device name (`vda`, `sda`); unique within the VM. */
  target: string;
  /** `disk`, `cdrom`, `floppy` or `lun`. */
  device: string;
  /** The source type: `file`, `block`, `volume`, `network`, `dir`, `nvme`, … */
  type: string;
  /** Host path of a file/block/dir source; null for other sources or an empty drive. */
  path: string | null;
  /** `<source pool volume>` of a `type='volume'` disk. */
  pool: string | null;
  volume: string | null;
  /** `protocol:name` of a network disk (`rbd:pool/image`). */
  network: string | null;
  readonly: boolean;
  shareable: boolean;
}

export interface VmSummary {
  connectionId: string;
  /** Lowercase canonical UUID. */
  uuid: string;
  name: string;
  /** The running domain's ID; null while it is not running. */
  id: number | null;
  /** '' when unset. */
  title: string;
  description: string;
  state: VmState;
  /**
   * libvirt's reason for the state in lowercase, as `virsh domstate --reason` words it
   * (`booted`, `user`, `destroyed`, `shutdown`, `saved`, `crashed`, …); 'unknown' if newer.
   */
  stateReason: string;
  persistent: boolean;
  autostart: boolean;
  hasManagedSave: boolean;
  /** Current vCPUs, and the most the VM can have (hot-plug limit). */
  vcpus: number;
  maxVcpus: number;
  /** `<currentMemory>` and `<memory>` in KiB (plain numbers: they stay far below 2^53). */
  memoryKiB: number;
  maxMemoryKiB: number;
  /** Sorted, unique; from our namespace in `<metadata>`. */
  tags: string[];
  /** `<graphics type>` of each graphics device, in order (`vnc`, `spice`, …). */
  graphics: string[];
  firmware: VmFirmware;
  /** The UEFI variable store, when libvirt has assigned one. */
  nvramPath: string | null;
  disks: VmDisk[];
}

/** What changed in a VM; never holds `connectionId` or `uuid`. */
export type VmPatch = Partial<Omit<VmSummary, 'connectionId' | 'uuid'>>;

/**
 * Where a host's list stands. 'loading' after (re)connect until the full list is known,
 * then 'ready'; 'failed' when it could not be read; 'disconnected' while the host is down
 * (its VMs are dropped from the list).
 */
export type VmHostListStatus = 'loading' | 'ready' | 'failed' | 'disconnected';

export interface VmHostList {
  connectionId: string;
  alias: string;
  status: VmHostListStatus;
  /** Set with status 'failed'. */
  error?: ContractError;
}

export interface VmList {
  /** Every saved host the VM service knows of, connected or not. */
  hosts: VmHostList[];
  /**
   * All VMs of every 'ready' host, and the provisional rows of 'loading' ones (identity,
   * state and, where the driver says, sizes; title, tags and disks come with 'ready').
   */
  vms: VmSummary[];
}

export interface VmRef {
  connectionId: string;
  uuid: string;
  name: string;
}

// libvirt accepts any 8-4-4-4-12 hex UUID (the test driver's are not RFC 4122 variants).
const domainUuidSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, {
    message: 'A VM is named by its UUID (8-4-4-4-12 hex digits)',
  })
  .transform((uuid) => uuid.toLowerCase());

export const vmTargetSchema = z.object({ connectionId: z.uuid(), uuid: domainUuidSchema }).strict();
export type VmTarget = z.infer<typeof vmTargetSchema>;

const tagSchema = z
  .string()
  .transform((tag) => tag.trim())
  .pipe(
    z
      .string()
      .min(1, 'A tag must not be empty')
      .max(VM_TAG_MAX_LENGTH, `A tag has at most ${VM_TAG_MAX_LENGTH} characters`)
      .regex(/^\P{Cc}+$/u, 'A tag must not contain control characters'),
  );

export const vmStartSchema = vmTargetSchema
  .extend({
    /** Start with the CPUs paused. */
    paused: z.boolean().optional(),
    /** Boot fresh, discarding a managed-save image (the "discard saved state" choice). */
    forceBoot: z.boolean().optional(),
  })
  .strict();

export const vmDeleteSchema = vmTargetSchema
  .extend({
    /** One entry per disk the user decided on; disks not listed are kept. */
    disks: z
      .array(z.object({ target: z.string().min(1).max(64), delete: z.boolean() }).strict())
      .max(256),
    /** Required to delete a running VM: it is powered off (destroyed) first. */
    forceOff: z.boolean().optional(),
  })
  .strict();
export type VmDeleteRequest = z.infer<typeof vmDeleteSchema>;

/** Actions `vm:bulk` can run on many VMs; each is the single-VM channel of the same name. */
export const vmBulkActions = [
  'start',
  'shutdown',
  'reboot',
  'forceOff',
  'reset',
  'pause',
  'resume',
  'save',
  'restore',
  'discardSavedState',
  'sendNmi',
  'autostartOn',
  'autostartOff',
] as const;
export type VmBulkAction = (typeof vmBulkActions)[number];

export const vmBulkSchema = z
  .object({
    action: z.enum(vmBulkActions),
    targets: z.array(vmTargetSchema).min(1).max(1000),
  })
  .strict();

export type VmBulkOutcome =
  | { connectionId: string; uuid: string; ok: true }
  | { connectionId: string; uuid: string; ok: false; error: ContractError };

export interface VmBulkResult {
  /** One per target, in the order given. */
  results: VmBulkOutcome[];
}

/** Why libvirt cannot delete a disk's storage. */
export type VmDiskKeepReason =
  /** An empty drive (a CD-ROM without media). */
  | 'no-source'
  /** No libvirt storage pool holds the path: libvirt cannot delete it, remove it by hand. */
  | 'not-in-pool'
  /** Looking the volume up failed for another reason (see `message`). */
  | 'lookup-failed';

export interface VmDeletePlanDisk {
  target: string;
  device: string;
  path: string | null;
  /** The pool and volume libvirt knows the storage as (null when none). */
  pool: string | null;
  volume: string | null;
  deletable: boolean;
  /** Why not, when `deletable` is false. */
  keepReason: VmDiskKeepReason | null;
  /** libvirt's words for why not (or ours for an empty drive). */
  message: string | null;
  /** Names of other VMs on this host whose disks use the same storage. */
  usedBy: string[];
  /**
   * What the dialog should pre-tick: deletable, a `disk` (not a CD-ROM), writable, not
   * shareable and not used by another VM — as virt-manager does.
   */
  suggested: boolean;
}

export interface VmDeletePlan {
  connectionId: string;
  uuid: string;
  name: string;
  /** The host's alias, for the dialog's text. */
  alias: string;
  state: VmState;
  /** Running (or paused…): deleting needs `forceOff: true`. */
  active: boolean;
  persistent: boolean;
  disks: VmDeletePlanDisk[];
  /** A UEFI VM's variable store is removed with it (null path: not created yet). */
  nvram: { path: string | null } | null;
  /** A managed-save image is removed with it. */
  managedSave: boolean;
}

export interface VmDeleteDiskOutcome {
  target: string;
  path: string | null;
  deleted: boolean;
  /** Why deleting this volume failed (the VM itself is gone by then). */
  error?: ContractError;
}

export interface VmDeleteResult {
  connectionId: string;
  uuid: string;
  name: string;
  forcedOff: boolean;
  /** False for a transient VM: powering it off already removed it. */
  undefined: boolean;
  nvramRemoved: boolean;
  disks: VmDeleteDiskOutcome[];
}

const vmAction = () => channel<VmRef>()(vmTargetSchema);

export const vmChannels = {
  /** Every VM of every connected host, and each host's list status. */
  'vm:list': channel<VmList>()(z.object({ connectionId: z.uuid().optional() }).strict()),
  'vm:get': channel<VmSummary>()(vmTargetSchema),
  /** Starts a shut-off VM; a saved one resumes from its image unless `forceBoot`. */
  'vm:start': channel<VmRef>()(vmStartSchema),
  /** ACPI / agent shutdown request; the guest decides. */
  'vm:shutdown': vmAction(),
  'vm:reboot': vmAction(),
  /** Hard power-off (virDomainDestroy). */
  'vm:forceOff': vmAction(),
  /** Hard reset. */
  'vm:reset': vmAction(),
  'vm:pause': vmAction(),
  'vm:resume': vmAction(),
  /** Managed save: RAM to the host's disk, then stop. The next start restores it. */
  'vm:save': vmAction(),
  /**
   * Start of a saved VM (refused with a validation error if it has no saved state). If it
   * fails, offer `vm:discardSavedState` (or `vm:start` with `forceBoot`), as virt-manager does.
   */
  'vm:restore': vmAction(),
  'vm:discardSavedState': vmAction(),
  'vm:sendNmi': vmAction(),
  'vm:setAutostart': channel<VmRef>()(vmTargetSchema.extend({ autostart: z.boolean() }).strict()),
  /** Replaces the VM's tags; answers the stored (trimmed, unique, sorted) list. */
  'vm:setTags': channel<{ tags: string[] }>()(
    vmTargetSchema
      .extend({
        tags: z.array(tagSchema).max(VM_TAGS_MAX, `A VM has at most ${VM_TAGS_MAX} tags`),
      })
      .strict(),
  ),
  /** What `vm:delete` would do: each disk with pool/volume/path and whether libvirt can delete it. */
  'vm:deletePlan': channel<VmDeletePlan>()(vmTargetSchema),
  /**
   * Undefines the VM (with its managed-save image, snapshot metadata and, for UEFI, its NVRAM)
   * and deletes the chosen disks' volumes. A running VM is refused unless `forceOff`; a disk
   * chosen for deletion that libvirt cannot delete refuses the whole request (nothing done).
   */
  'vm:delete': channel<VmDeleteResult>()(vmDeleteSchema),
  /** One action on many VMs; answers per target, never failing as a whole. */
  'vm:bulk': channel<VmBulkResult>()(vmBulkSchema),
};

/**
 * What a 'ready' list adds to the provisional rows its 'loading' list carried, so the
 * whole list does not travel twice. Entries hold whole field values (never deltas), so
 * applying them to rows that are already complete changes nothing.
 */
export interface VmListUpdate {
  /** Rows of the 'loading' list with the fields their XML filled in (only those that differ). */
  changed: Array<{ uuid: string; patch: VmPatch }>;
  /** Rows of the 'loading' list that are gone (undefined while the list was read). */
  removed: string[];
}

export interface VmListReset extends VmHostList {
  /**
   * Without `update`: the host's whole list, replacing every row the renderer had for it.
   * With `update`: only VMs that were not in the 'loading' list.
   */
  vms: VmSummary[];
  /**
   * Set on a 'ready' list that follows its 'loading' list: the rows that list carried stay,
   * changed and removed as said here.
   */
  update?: VmListUpdate;
}

/** Payloads of the VM events (see events.ts). */
export interface VmEvents {
  /**
   * A host's list: on (re)connect 'loading' with the provisional rows (identity and state),
   * then 'ready' with an `update` to them; on a load failure and on disconnect, the whole
   * (empty) list.
   */
  'vm:listReset': VmListReset;
  /** A VM appeared (defined, or created transient) on a 'ready' host. */
  'vm:added': VmSummary;
  /** Only the fields that changed. */
  'vm:changed': { connectionId: string; uuid: string; patch: VmPatch };
  'vm:removed': { connectionId: string; uuid: string; name: string };
}

export const vmEventNames = ['vm:listReset', 'vm:added', 'vm:changed', 'vm:removed'] as const;
