import { z } from 'zod';
import { channel } from './channel';
import { vmTargetSchema } from './vms';

/**
 * Performance statistics, sampled in the main process: one bulk call per connected host per
 * tick. `null` means "not known" (show "—"): no previous sample yet, a counter reset (the
 * VM restarted, a disk was hot-plugged), no balloon driver, no disks or NICs, or a group the
 * preferences switch off. Numbers are never NaN.
 *
 * Units: CPU and memory in percent (0–100, two decimals), I/O rates in bytes per second
 * (integers), memory sizes in KiB, times in epoch milliseconds.
 */

export const statsRanges = ['5m', '1h', '24h'] as const;
export type StatsRange = (typeof statsRanges)[number];

/** How long a `stats:subscribe` lasts unless renewed (subscribe again before it runs out). */
export const STATS_SUBSCRIPTION_LEASE_MS = 60_000;

export interface HostStatsSample {
  /** Busy share of all host CPUs, from node CPU time deltas. */
  cpuPct: number | null;
  /** total − free − buffers − cached, as a share of total. */
  memPct: number | null;
  memUsedKiB: number | null;
  memTotalKiB: number | null;
  /** Active host CPUs (the divisor of a VM's "% of host"). */
  cpus: number;
}

/**
 * One host's tick, columnar: entry i of every array belongs to `uuids[i]`. Only running
 * (and paused) VMs appear; a VM missing from `uuids` has no current values.
 */
export interface StatsTick {
  connectionId: string;
  /** When the sample was taken (just before the call). */
  t: number;
  intervalMs: number;
  host: HostStatsSample | null;
  uuids: string[];
  /** Δcpu.time / (Δt × host CPUs), clamped 0–100 (virt-manager's "host CPU usage"). */
  cpu: (number | null)[];
  /** Δcpu.time / (Δt × the VM's vCPUs), clamped 0–100 (the guest's own view). */
  cpuGuest: (number | null)[];
  /** (balloon.current − usable, else − unused) / balloon.current; null without guest stats. */
  mem: (number | null)[];
  /** Summed over all disks / NICs. */
  diskRd: (number | null)[];
  diskWr: (number | null)[];
  netRx: (number | null)[];
  netTx: (number | null)[];
}

/** Per-device detail of one subscribed VM, pushed every tick as 'stats:vm'. */
export interface VmStatsDetail {
  connectionId: string;
  uuid: string;
  t: number;
  cpu: number | null;
  cpuGuest: number | null;
  mem: number | null;
  /** balloon.current, and what the guest uses of it. */
  memCurrentKiB: number | null;
  memUsedKiB: number | null;
  disks: Array<{ name: string; rdBps: number | null; wrBps: number | null }>;
  nets: Array<{ name: string; rxBps: number | null; txBps: number | null }>;
  /** Each vCPU's busy share of one host CPU (Δvcpu.N.time / Δt). */
  vcpus: Array<{ index: number; pct: number | null }>;
}

/**
 * A VM's history for a graph, columnar like StatsTick. '5m' and '1h' are at full
 * resolution (one point per tick); '24h' is 1-minute averages (nulls ignored, a minute with
 * no value at all is null). A stopped VM keeps its history; a gap in `t` is time it was off.
 */
export interface VmStatsSeries {
  connectionId: string;
  uuid: string;
  range: StatsRange;
  /** The nominal spacing of points: the sampling interval, or 60 000 for '24h'. */
  stepMs: number;
  t: number[];
  cpu: (number | null)[];
  cpuGuest: (number | null)[];
  mem: (number | null)[];
  diskRd: (number | null)[];
  diskWr: (number | null)[];
  netRx: (number | null)[];
  netTx: (number | null)[];
}

export interface HostStatsSeries {
  connectionId: string;
  range: StatsRange;
  stepMs: number;
  t: number[];
  cpu: (number | null)[];
  mem: (number | null)[];
  memUsedKiB: (number | null)[];
}

const rangeSchema = z.enum(statsRanges);

export const statsChannels = {
  /**
   * Asks for per-device detail ('stats:vm' events) of one VM, also making its host sample
   * disks, NICs and memory even where the preferences switch them off. Lasts
   * `leaseMs`; subscribe again to renew, unsubscribe when the view closes.
   */
  'stats:subscribe': channel<{ leaseMs: number }>()(vmTargetSchema),
  'stats:unsubscribe': channel<{ subscribed: boolean }>()(vmTargetSchema),
  'stats:history': channel<VmStatsSeries>()(vmTargetSchema.extend({ range: rangeSchema }).strict()),
  /** The last tick of every sampled host, for a view that opens between ticks. */
  'stats:latest': channel<StatsTick[]>()(z.object({}).strict()),
  /** A host's CPU and memory history (for the connection details page). */
  'host:stats': channel<HostStatsSeries>()(
    z.object({ connectionId: z.uuid(), range: rangeSchema }).strict(),
  ),
};

/** Payloads of the stats events (see events.ts). */
export interface StatsEvents {
  /** One per connected host per tick. */
  'stats:tick': StatsTick;
  /** One per subscribed VM per tick. */
  'stats:vm': VmStatsDetail;
}

export const statsEventNames = ['stats:tick', 'stats:vm'] as const;
