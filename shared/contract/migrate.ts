import { z } from 'zod';
import { channel } from './channel';
import type { ContractError } from './errors';
import { vmTargetSchema, type VmRef } from './vms';

/**
 * Moving a VM to another saved connection. By default the app drives libvirt's managed
 * migration itself over its two connections (Begin/Perform/Confirm on the source,
 * Prepare/Finish on the destination), so any two hosts the app reaches can be paired, SSH
 * ones included; peer-to-peer and tunnelled hand the job to the source daemon, which must
 * then reach the destination's URI itself.
 */

export type MigrateMode = 'live' | 'offline';
export type MigrateStorage = 'shared' | 'copy-all' | 'copy-incremental';
export type MigrateTransport = 'direct' | 'peer-to-peer' | 'tunnelled';

/** Stable codes, so the UI can word each finding; `message` says it in English. */
export type MigrateIssueCode =
  | 'same-connection'
  | 'same-host'
  | 'not-connected'
  | 'session-system-mismatch'
  | 'session-connection'
  | 'host-device'
  | 'mediated-device'
  | 'cpu-incompatible'
  | 'cpu-unchecked'
  | 'cpu-host-passthrough'
  | 'storage-not-shared'
  | 'disk-exists-on-destination'
  | 'no-destination-pool'
  | 'name-in-use'
  | 'uuid-in-use'
  | 'older-libvirt-destination'
  | 'not-running'
  | 'not-shut-off'
  | 'offline-storage-copy'
  | 'peer-to-peer-reach';

export interface MigrateIssue {
  code: MigrateIssueCode;
  message: string;
}

export interface MigrateHostFacts {
  connectionId: string;
  alias: string;
  /** `<host><uuid>` of the capabilities (libvirtd.conf host_uuid when set). */
  hostUuid: string;
  hostname: string;
  /** e.g. '9.0.0'. */
  libvirtVersion: string;
  /** The daemon's own URI (`qemu:///system`, `qemu:///session`). */
  driverUri: string;
}

export interface MigrateDiskPlan {
  target: string;
  path: string;
  format: string | null;
  /** Where the copy goes on the destination (same path when not moved); null when shared. */
  destinationPath: string | null;
  /** The destination holds a volume at `path` already (shared storage, or a copy). */
  onDestination: boolean;
}

export interface MigrateCheck {
  connectionId: string;
  uuid: string;
  name: string;
  /** The VM is running or paused (live is possible) vs shut off (offline). */
  active: boolean;
  source: MigrateHostFacts;
  destination: MigrateHostFacts;
  /** Each one keeps Start disabled. */
  blockers: MigrateIssue[];
  warnings: MigrateIssue[];
  /** Some disk is not on the destination: 'shared' storage cannot work. */
  copyStorageRequired: boolean;
  disks: MigrateDiskPlan[];
  /** Running directory-like pools on the destination (where copied disks may go). */
  destinationPools: Array<{ name: string; path: string }>;
  /** The XML the destination gets (migratable, disk paths moved) — the start of an edit. */
  destinationXml: string;
}

const hostAddressSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$/, {
    message: 'The migration address is a host name, an IPv4 address or [IPv6 address]',
  });

const poolNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/, { message: 'Not a storage pool name' });

const migrateOptionsShape = {
  destinationId: z.uuid(),
  /** Default: live for a running VM, offline for a shut-off one. */
  mode: z.enum(['live', 'offline']).optional(),
  storage: z.enum(['shared', 'copy-all', 'copy-incremental']).optional(),
  transport: z.enum(['direct', 'peer-to-peer', 'tunnelled']).optional(),
  /** Copied disks go into this destination pool (default: same folder as on the source). */
  destinationPool: poolNameSchema.optional(),
};

export const migrateCheckSchema = vmTargetSchema.extend(migrateOptionsShape).strict();
export type MigrateCheckRequest = z.infer<typeof migrateCheckSchema>;

export const MIGRATE_BANDWIDTH_MAX_MIBS = 1_000_000;

export const migrateSchema = vmTargetSchema
  .extend({
    ...migrateOptionsShape,
    /** Names this migration in progress events and for Cancel. */
    jobId: z.uuid(),
    /** Define the VM on the destination (always for offline). Default true. */
    persistent: z.boolean().optional(),
    /** Remove the definition from the source once moved. Default false. */
    undefineSource: z.boolean().optional(),
    /** MiB/s, 0 or absent = unlimited. */
    bandwidthMiBs: z.number().int().min(0).max(MIGRATE_BANDWIDTH_MAX_MIBS).optional(),
    /** Where the source's QEMU sends the data (default: the destination connection's host). */
    address: hostAddressSchema.optional(),
    /** The whole destination XML (from the check's `destinationXml`, edited). */
    destinationXml: z.string().min(1).max(1_000_000).optional(),
  })
  .strict();
export type MigrateRequest = z.infer<typeof migrateSchema>;

export type MigratePhase =
  | 'checking'
  | 'begin'
  | 'prepare'
  | 'perform'
  | 'finish'
  | 'confirm'
  | 'done'
  | 'failed'
  | 'cancelled';

/** Bytes unless said otherwise; null where libvirt gave no figure (yet). */
export interface MigrateProgress {
  jobId: string;
  connectionId: string;
  uuid: string;
  name: string;
  destinationId: string;
  phase: MigratePhase;
  elapsedMs: number;
  dataTotal: number | null;
  dataProcessed: number | null;
  dataRemaining: number | null;
  memoryTotal: number | null;
  memoryProcessed: number | null;
  memoryRemaining: number | null;
  diskTotal: number | null;
  diskProcessed: number | null;
  diskRemaining: number | null;
  /** Memory transfer rate, bytes/s. */
  memoryBps: number | null;
  diskBps: number | null;
  /** Expected (while running) or real (when done) pause of the guest, ms. */
  downtimeMs: number | null;
  /** Set with phase 'failed'/'cancelled'. */
  error?: ContractError;
}

export interface MigrateResult {
  jobId: string;
  /** The VM as the destination names it now. */
  destination: VmRef;
  /** Whether the source still has a definition. */
  sourceDefined: boolean;
  elapsedMs: number;
  /** The last figures (completed job statistics where libvirt kept them). */
  final: MigrateProgress;
}

export interface MigrateEvents {
  'vm:migrateProgress': MigrateProgress;
}

export const migrateChannels = {
  /** Blockers and warnings for moving this VM to that connection; nothing is changed. */
  'vm:migrateCheck': channel<MigrateCheck>()(migrateCheckSchema),
  /** Runs the migration; progress as 'vm:migrateProgress'; answers when it is done. */
  'vm:migrate': channel<MigrateResult>()(migrateSchema),
  /** Aborts a running migration (virDomainAbortJob); the source keeps running. */
  'vm:migrateCancel': channel<{ cancelled: boolean }>()(z.object({ jobId: z.uuid() }).strict()),
} as const;
