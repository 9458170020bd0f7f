import { z } from 'zod';
import { channel } from './channel';
import { poolDefineSchema } from './storage-pools';

export * from './storage-pools';

/**
 * Storage pools and volumes of one host. Sizes cross the border as whole bytes (numbers,
 * exact up to 8 PiB); inputs never take a unitless size: a capacity is a value plus one of
 * KiB/MiB/GiB/TiB (the guides' `--capacity 20` means 20 bytes, a trap we do not repeat).
 */

export const sizeUnits = ['KiB', 'MiB', 'GiB', 'TiB'] as const;
export type SizeUnit = (typeof sizeUnits)[number];

export const sizeUnitBytes: Record<SizeUnit, number> = {
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

export const sizeSchema = z
  .object({ value: z.number().positive().finite(), unit: z.enum(sizeUnits) })
  .strict()
  .refine((s) => Number.isSafeInteger(Math.round(s.value * sizeUnitBytes[s.unit])), {
    message: 'The size is too large',
  });
export type Size = z.infer<typeof sizeSchema>;

/** Whole bytes of a size (fractions of the unit are rounded to a byte). */
export function sizeToBytes(size: Size): number {
  return Math.round(size.value * sizeUnitBytes[size.unit]);
}

/** libvirt refuses '/' in names and we refuse what would be awkward in a path or XML. */
const objectNameSchema = z
  .string()
  .min(1, 'A name is required')
  .max(200)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/, {
    message: 'A name may use letters, digits and _ . + - only, and must not start with . or -',
  });

export const poolStates = [
  'inactive',
  'building',
  'running',
  'degraded',
  'inaccessible',
  'unknown',
] as const;
export type PoolStateName = (typeof poolStates)[number];

export interface PoolSummary {
  connectionId: string;
  name: string;
  uuid: string;
  /** dir, fs, netfs, logical, disk, iscsi, scsi, mpath, … (from the pool's XML). */
  type: string;
  state: PoolStateName;
  autostart: boolean;
  persistent: boolean;
  /** Bytes; 0 while inactive (libvirt knows sizes of running pools only). */
  capacity: number;
  allocation: number;
  available: number;
  /** The folder or device volumes live in. */
  targetPath: string | null;
  /** iSCSI, SCSI and multipath pools expose existing LUNs; they cannot create volumes. */
  canCreateVolumes: boolean;
  /** Why not, when canCreateVolumes is false. */
  cannotCreateReason?: string;
}

export interface VolumeSummary {
  connectionId: string;
  pool: string;
  name: string;
  key: string;
  path: string;
  /** raw, qcow2, iso, … (null when libvirt does not say). */
  format: string | null;
  capacity: number;
  allocation: number;
  /** Names of VMs whose definition references this volume's path. */
  usedBy: string[];
}

const connectionIdSchema = z.uuid();

export const poolTargetSchema = z
  .object({ connectionId: connectionIdSchema, pool: objectNameSchema })
  .strict();
export type PoolTarget = z.infer<typeof poolTargetSchema>;

export const volumeTargetSchema = z
  .object({ connectionId: connectionIdSchema, pool: objectNameSchema, volume: objectNameSchema })
  .strict();
export type VolumeTarget = z.infer<typeof volumeTargetSchema>;

const absolutePathSchema = z
  .string()
  .regex(/^\/[^\0]*$/, { message: 'An absolute path is required' })
  .max(4096)
  .refine((p) => !p.split('/').includes('..'), { message: "The path must not contain '..'" });

export const poolDeleteSchema = poolTargetSchema
  .extend({
    /** Delete every volume first (their data is lost). */
    withVolumes: z.boolean().default(false),
    /** Also remove the pool's backing (a dir pool's folder, which must then be empty). */
    deleteBacking: z.boolean().default(false),
  })
  .strict();

export const volumeFormats = ['qcow2', 'raw'] as const;

export const volumeCreateSchema = poolTargetSchema
  .extend({
    name: objectNameSchema,
    format: z.enum(volumeFormats),
    capacity: sizeSchema,
    /** Allocate all space now (raw) or the metadata (qcow2); sparse otherwise. */
    preallocate: z.boolean().default(false),
    /** qcow2 only: a volume of the same pool the new one is an overlay of. */
    backingVolume: objectNameSchema.optional(),
  })
  .strict();
export type VolumeCreateInput = z.input<typeof volumeCreateSchema>;

export const volumeResizeSchema = volumeTargetSchema
  .extend({ capacity: sizeSchema, allowShrink: z.boolean().default(false) })
  .strict();

export const volumeCloneSchema = volumeTargetSchema.extend({ newName: objectNameSchema }).strict();

export type PoolChange = 'defined' | 'undefined' | 'started' | 'stopped' | 'refreshed' | 'changed';

export interface StorageEvents {
  /** A pool (or its volumes) changed on a host; re-read pool:list / vol:list. */
  'pool:changed': { connectionId: string; pool: string; change: PoolChange };
}

export const storageChannels = {
  'pool:list': channel<PoolSummary[]>()(z.object({ connectionId: connectionIdSchema }).strict()),
  'pool:define': channel<PoolSummary>()(poolDefineSchema),
  'pool:build': channel<void>()(poolTargetSchema),
  'pool:start': channel<void>()(poolTargetSchema),
  'pool:stop': channel<void>()(poolTargetSchema),
  'pool:refresh': channel<void>()(poolTargetSchema),
  'pool:setAutostart': channel<void>()(
    poolTargetSchema.extend({ autostart: z.boolean() }).strict(),
  ),
  'pool:delete': channel<void>()(poolDeleteSchema),
  'vol:list': channel<VolumeSummary[]>()(poolTargetSchema),
  'vol:create': channel<VolumeSummary>()(volumeCreateSchema),
  'vol:delete': channel<void>()(volumeTargetSchema),
  'vol:wipe': channel<void>()(volumeTargetSchema),
  'vol:resize': channel<void>()(volumeResizeSchema),
  'vol:clone': channel<VolumeSummary>()(volumeCloneSchema),
} as const;

export const transferSchema = volumeTargetSchema
  .extend({
    /** Chosen by the caller so it can cancel before the call answers. */
    transferId: z.uuid(),
    /** A file on this machine (where the app runs), even for a remote host. */
    localPath: absolutePathSchema,
  })
  .strict();
export type TransferInput = z.infer<typeof transferSchema>;

export interface TransferProgress {
  transferId: string;
  connectionId: string;
  pool: string;
  volume: string;
  direction: 'upload' | 'download';
  bytes: number;
  total: number;
  bytesPerSecond: number;
}

export interface TransferEvents {
  /** At most every 200 ms during a transfer, and once at its end. */
  'transfer:progress': TransferProgress;
}

/**
 * The web host's HTTP endpoint for transfers with the browser's own files: PUT the file as
 * the body (with the header below, which a cross-site form cannot send) to upload, GET to
 * download. Query: connectionId, pool, volume, transferId. The PUT answers a JSON Result.
 */
export const VOLUME_TRANSFER_PATH = '/transfer/volume';
export const VOLUME_TRANSFER_HEADER = 'x-virtdeck-transfer';

export const streamTransferSchema = transferSchema.omit({ localPath: true });

export const transferChannels = {
  /** Local file → volume, on a separate libvirt connection; answers when the daemon has it all. */
  'vol:upload': channel<{ bytes: number }>()(transferSchema),
  /** Volume → local file (written beside it and renamed at the end: never half a file). */
  'vol:download': channel<{ bytes: number }>()(transferSchema),
  /** Stops a running transfer; its call then fails with "cancelled". */
  'transfer:cancel': channel<{ cancelled: boolean }>()(z.object({ transferId: z.uuid() }).strict()),
} as const;
