import type { HostStatsSample } from '../../shared/contract/stats';
import { percent } from './vm-sample';

/** Cumulative node CPU times (ns) by field, as nodeGetCpuStats gives them. */
export type NodeCpuTimes = Record<string, bigint>;

// Linux reports these four; idle and iowait are the time the CPUs were not busy.
const BUSY_FIELDS = ['kernel', 'user'] as const;
const IDLE_FIELDS = ['idle', 'iowait'] as const;

function sum(times: NodeCpuTimes, fields: readonly string[]): bigint | null {
  let total = 0n;
  for (const field of fields) {
    const v = times[field];
    if (v === undefined) return null;
    total += v;
  }
  return total;
}

/**
 * Host CPU busy share between two readings: Δ(kernel + user) / Δ(kernel + user + idle +
 * iowait). Some platforms report a ready-made `utilization` percentage instead.
 */
export function hostCpuPercent(prev: NodeCpuTimes | null, cur: NodeCpuTimes): number | null {
  if (cur.kernel === undefined && cur.utilization !== undefined) {
    return percent(Number(cur.utilization), 100);
  }
  if (!prev) return null;
  const busyNow = sum(cur, BUSY_FIELDS);
  const busyBefore = sum(prev, BUSY_FIELDS);
  const idleNow = sum(cur, IDLE_FIELDS);
  const idleBefore = sum(prev, IDLE_FIELDS);
  if (busyNow === null || busyBefore === null || idleNow === null || idleBefore === null)
    return null;
  const busy = busyNow - busyBefore;
  const total = busy + (idleNow - idleBefore);
  if (busy < 0n || total <= 0n) return null;
  return percent(Number(busy), Number(total));
}

/** Used = total − free − buffers − cached (KiB), as `free` counts it. */
export function hostMemory(
  mem: Record<string, bigint> | null,
): Pick<HostStatsSample, 'memPct' | 'memUsedKiB' | 'memTotalKiB'> {
  const total = mem?.total;
  const free = mem?.free;
  if (total === undefined || free === undefined || total <= 0n) {
    return {
      memPct: null,
      memUsedKiB: null,
      memTotalKiB: total === undefined ? null : Number(total),
    };
  }
  const used = total - free - (mem?.buffers ?? 0n) - (mem?.cached ?? 0n);
  if (used < 0n) return { memPct: null, memUsedKiB: null, memTotalKiB: Number(total) };
  return {
    memPct: percent(Number(used), Number(total)),
    memUsedKiB: Number(used),
    memTotalKiB: Number(total),
  };
}
