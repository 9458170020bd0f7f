import { z } from 'zod';
import { channel } from './channel';
import { vmTargetSchema, type VmRef } from './vms';

/**
 * Snapshots of a VM (a tree, as libvirt keeps them) and saving a VM's memory to a file of
 * the user's choosing (virDomainSave/Restore, besides managed save). Every refusal libvirt
 * would give is also answered up front by 'snapshot:capabilities', so the UI can say so
 * before the user tries.
 */

/** libvirt's rule (virsh --internal/--external): external if the memory or any disk is. */
export type SnapshotLocation = 'internal' | 'external';

export interface SnapshotDiskInfo {
  /** The disk's target (`vda`). */
  target: string;
  /** `internal`, `external`, `manual` or `no`, as the snapshot XML says. */
  snapshot: string;
  /** The overlay file of an external disk snapshot. */
  file: string | null;
}

export interface SnapshotNode {
  name: string;
  /** '' when none. */
  description: string;
  /** Seconds since the epoch; null if libvirt gave none. */
  creationTime: number | null;
  /**
   * The VM's state when taken, libvirt's word: `running`, `paused`, `shutoff`, or
   * `disk-snapshot` for a disk-only snapshot of a running VM.
   */
  state: string;
  /** The VM's memory was saved too (reverting resumes the guest where it was). */
  hasMemory: boolean;
  /** Only the disks (libvirt's `disk-snapshot` state). */
  diskOnly: boolean;
  location: SnapshotLocation;
  /** The external memory file, when there is one. */
  memoryFile: string | null;
  disks: SnapshotDiskInfo[];
  /** null for a root. */
  parent: string | null;
  current: boolean;
  /** A screenshot was stored with it (read it with 'snapshot:thumbnail'). */
  hasThumbnail: boolean;
  /** Oldest first. */
  children: SnapshotNode[];
}

export interface SnapshotTree {
  connectionId: string;
  uuid: string;
  /** The roots (oldest first), each with its descendants. */
  roots: SnapshotNode[];
  /** The current snapshot's name, null when there is none. */
  current: string | null;
  count: number;
}

/** Why libvirt on this host would refuse something; stable codes for the UI's texts. */
export type SnapshotRefusalCode =
  /** libvirt refuses internal snapshots of a VM with pflash (UEFI) firmware. */
  | 'uefi-internal'
  /** Internal snapshots need every snapshotted disk in qcow2 format. */
  | 'non-qcow2-disk'
  /** Internal snapshots keep their data inside a qcow2 image; the VM has none. */
  | 'no-qcow2-disk'
  /** No writable disk: an external snapshot would hold nothing. */
  | 'no-disks'
  /** Memory can only be saved from a running (or paused) VM. */
  | 'not-running'
  /** libvirt reverts to external snapshots from 9.9 on. */
  | 'revert-external-old-libvirt'
  /** libvirt deletes external snapshots from 9.0 on. */
  | 'delete-external-old-libvirt'
  /** A disk libvirt cannot snapshot (network, NVMe, vhost-user …). */
  | 'unsupported-disk';

export type SnapshotVerdict =
  { allowed: true } | { allowed: false; code: SnapshotRefusalCode; reason: string };

export interface SnapshotCapabilityDisk {
  target: string;
  /** The driver's format (`qcow2`, `raw`); null when unset. */
  format: string | null;
  path: string | null;
  /** Part of a snapshot (writable disks with a source); CD-ROMs and read-only disks are not. */
  included: boolean;
}

export interface SnapshotCapabilities {
  connectionId: string;
  uuid: string;
  /** The host's libvirt, e.g. '9.0.0'. */
  libvirtVersion: string;
  /** Running or paused: memory can be saved. */
  active: boolean;
  /** How many of its snapshots are external (then new ones default to external too). */
  externalSnapshots: number;
  firmware: 'bios' | 'efi';
  disks: SnapshotCapabilityDisk[];
  /** Creating an internal snapshot (for a running VM: always with its memory). */
  internal: SnapshotVerdict;
  /** Creating an external snapshot (disk-only, or with a memory file when running). */
  external: SnapshotVerdict;
  /** Saving the memory with the snapshot. */
  memory: SnapshotVerdict;
  /** Reverting to an external snapshot of this VM. */
  revertExternal: SnapshotVerdict;
  /** Deleting an external snapshot of this VM. */
  deleteExternal: SnapshotVerdict;
  /** What 'snapshot:create' picks without a mode; null when neither is possible. */
  defaultMode: SnapshotLocation | null;
}

export const SNAPSHOT_NAME_MAX = 100;
export const SNAPSHOT_DESCRIPTION_MAX = 4000;

// Names become parts of file names (external overlays, thumbnails): no slashes or dot-names.
const snapshotNameSchema = z
  .string()
  .min(1, 'A snapshot needs a name')
  .max(SNAPSHOT_NAME_MAX, `A snapshot name has at most ${SNAPSHOT_NAME_MAX} characters`)
  .regex(/^[^/\p{Cc}]+$/u, 'A snapshot name must not contain "/" or control characters')
  .refine((name) => !name.startsWith('.') && name.trim() === name, {
    message: 'A snapshot name must not start with "." or with or end in spaces',
  });

const descriptionSchema = z
  .string()
  .max(SNAPSHOT_DESCRIPTION_MAX, `A description has at most ${SNAPSHOT_DESCRIPTION_MAX} characters`)
  .regex(/^(?:[\t\n\r]|\P{Cc})*$/u, 'A description must not contain control characters');

/** An absolute host path, normalised (no `.`/`..` segments, no doubled or trailing slash). */
export const hostFilePathSchema = z
  .string()
  .min(2)
  .max(4096)
  .refine((p) => p.startsWith('/') && !p.endsWith('/') && !p.includes('\0'), {
    message: 'An absolute path on the host is required (starting with "/")',
  })
  .refine(
    (p) =>
      p
        .split('/')
        .slice(1)
        .every((seg) => seg !== '' && seg !== '.' && seg !== '..'),
    {
      message: 'The path must not contain empty, "." or ".." parts',
    },
  );

const snapshotTargetSchema = vmTargetSchema.extend({ name: snapshotNameSchema }).strict();

export const snapshotCreateSchema = vmTargetSchema
  .extend({
    name: snapshotNameSchema,
    description: descriptionSchema.optional(),
    /** Default: the capabilities' `defaultMode` (internal for qcow2-only VMs). */
    mode: z.enum(['internal', 'external']).optional(),
    /**
     * Save the memory of a running VM (default true when running). Internal snapshots of a
     * running VM always include it; for external ones false means disk-only.
     */
    memory: z.boolean().optional(),
    /** External with memory: where the memory goes (default: beside the first disk). */
    memoryFile: hostFilePathSchema.optional(),
    /** Store a screenshot with it when the VM shows a display (default true). */
    thumbnail: z.boolean().optional(),
  })
  .strict();
export type SnapshotCreateRequest = z.infer<typeof snapshotCreateSchema>;

export const snapshotRevertSchema = snapshotTargetSchema
  .extend({
    /** The state after reverting; default: as the snapshot recorded it. */
    after: z.enum(['snapshot', 'running', 'paused']).optional(),
    /** libvirt's FORCE: allow reverts it deems risky (it says which in its error). */
    force: z.boolean().optional(),
  })
  .strict();

export const snapshotDeleteSchema = snapshotTargetSchema
  .extend({ /** Also every descendant. */ children: z.boolean().optional() })
  .strict();

export const snapshotDescribeSchema = snapshotTargetSchema
  .extend({ description: descriptionSchema })
  .strict();

export interface SnapshotThumbnail {
  mime: 'image/png';
  dataBase64: string;
}

/** A memory image written by 'vm:saveToFile'. */
export interface SavedFileInfo {
  connectionId: string;
  path: string;
  /** The file's size in bytes, when a storage pool holds it; otherwise null (unknown). */
  sizeBytes: number | null;
  /** The pool and volume that hold it (null when none does). */
  pool: string | null;
  volume: string | null;
  /** The VM the image belongs to, from the image's own XML. */
  vm: { name: string; uuid: string } | null;
}

const afterRestoreSchema = z.enum(['image', 'running', 'paused']).optional();

export const vmSaveToFileSchema = vmTargetSchema
  .extend({
    path: hostFilePathSchema,
    /** Bypass the host's page cache (slower, but does not evict other data). */
    bypassCache: z.boolean().optional(),
    /** Recorded in the image: how a later restore starts the VM (default: as it was). */
    after: afterRestoreSchema,
  })
  .strict();

export const vmRestoreFromFileSchema = z
  .object({
    connectionId: z.uuid(),
    path: hostFilePathSchema,
    bypassCache: z.boolean().optional(),
    after: afterRestoreSchema,
  })
  .strict();

export const snapshotChannels = {
  /** The VM's snapshots as a tree, current marked. */
  'snapshot:list': channel<SnapshotTree>()(vmTargetSchema),
  /** What libvirt on this host allows for this VM, with reasons; read before offering actions. */
  'snapshot:capabilities': channel<SnapshotCapabilities>()(vmTargetSchema),
  /** Takes a snapshot; answers it as listed afterwards. Refusals above come before any call. */
  'snapshot:create': channel<SnapshotNode>()(snapshotCreateSchema),
  'snapshot:revert': channel<VmRef>()(snapshotRevertSchema),
  /** Deletes one snapshot (its children move to its parent), or with `children` its subtree. */
  'snapshot:delete': channel<{ deleted: string[] }>()(snapshotDeleteSchema),
  /** Replaces the description ('' removes it); libvirt redefines the snapshot's metadata. */
  'snapshot:describe': channel<SnapshotNode>()(snapshotDescribeSchema),
  /** The screenshot stored with a snapshot; null when there is none. */
  'snapshot:thumbnail': channel<SnapshotThumbnail | null>()(snapshotTargetSchema),
  /** Saves the running VM's memory to a file on its host and stops it (virDomainSave). */
  'vm:saveToFile': channel<SavedFileInfo>()(vmSaveToFileSchema),
  /** Starts the VM a file from 'vm:saveToFile' holds (virDomainRestore). */
  'vm:restoreFromFile': channel<VmRef>()(vmRestoreFromFileSchema),
  /** Which VM a saved image holds, and its size. */
  'vm:savedFileInfo': channel<SavedFileInfo>()(
    z.object({ connectionId: z.uuid(), path: hostFilePathSchema }).strict(),
  ),
};

export type SnapshotChange = 'created' | 'reverted' | 'deleted' | 'updated';

export interface SnapshotEvents {
  /**
   * A VM's snapshots changed: by us, or a revert by anyone (libvirt's lifecycle events
   * with a from-snapshot detail). Read 'snapshot:list' anew. `name` is null when unknown.
   */
  'snapshot:changed': {
    connectionId: string;
    uuid: string;
    change: SnapshotChange;
    name: string | null;
  };
}

export const snapshotEventNames = ['snapshot:changed'] as const;
