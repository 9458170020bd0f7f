import type { DeviceCounters, VmCounters } from './vm-counters';

/** Counters and the monotonic time (ms) they were taken at. */
export interface TimedCounters {
  atMs: number;
  counters: VmCounters;
}

export interface DeviceRates {
  name: string;
  in: number | null;
  out: number | null;
}

/** One VM's values for one tick; null wherever the value is not known (never NaN). */
export interface VmSample {
  cpu: number | null;
  cpuGuest: number | null;
  mem: number | null;
  memCurrentKiB: number | null;
  memUsedKiB: number | null;
  diskRd: number | null;
  diskWr: number | null;
  netRx: number | null;
  netTx: number | null;
  disks: DeviceRates[];
  nets: DeviceRates[];
  vcpus: Array<{ index: number; pct: number | null }>;
}

/** A percentage clamped to 0–100 with two decimals. */
export function percent(part: number, whole: number): number | null {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0) return null;
  const pct = (part / whole) * 100;
  return Math.round(Math.min(100, Math.max(0, pct)) * 100) / 100;
}

function delta(now: bigint | null, before: bigint | null): number | null {
  if (now === null || before === null || now < before) return null;
  return Number(now - before);
}

/** Bytes per second from a byte counter's delta (whole bytes). */
function rate(now: bigint | null, before: bigint | null, seconds: number): number | null {
  const d = delta(now, before);
  return d === null ? null : Math.round(d / seconds);
}

const sameDevices = (a: DeviceCounters, b: DeviceCounters): boolean =>
  a.names.length === b.names.length && a.names.every((name, i) => b.names[i] === name);

/**
 * Per-device rates and their sums. Unknown when the group was not sampled, the VM has no
 * such devices, the device set changed (hot-plug: counters do not line up), or any
 * device's counter went backwards.
 */
function deviceRates(
  now: DeviceCounters | null,
  before: DeviceCounters | null | undefined,
  seconds: number | null,
): { devices: DeviceRates[]; in: number | null; out: number | null } {
  if (now === null) return { devices: [], in: null, out: null };
  const comparable = seconds !== null && before && sameDevices(now, before);
  const devices = now.names.map((name, i) => ({
    name,
    in: comparable ? rate(now.in[i] ?? null, before.in[i] ?? null, seconds) : null,
    out: comparable ? rate(now.out[i] ?? null, before.out[i] ?? null, seconds) : null,
  }));
  const sum = (key: 'in' | 'out'): number | null => {
    const reported = devices.filter((_, i) => now[key][i] !== null);
    if (reported.length === 0 || reported.some((d) => d[key] === null)) return null;
    return reported.reduce((total, d) => total + (d[key] ?? 0), 0);
  };
  return { devices, in: sum('in'), out: sum('out') };
}

/**
 * Guest memory in use: balloon.current minus what the guest reports as usable (free plus
 * reclaimable caches), else minus unused (free). Unknown without the guest's balloon stats.
 */
function memory(c: VmCounters): { usedKiB: number | null; pct: number | null } {
  const current = c.balloonCurrentKiB;
  const spare = c.balloonUsableKiB ?? c.balloonUnusedKiB;
  if (current === null || spare === null || current <= 0) return { usedKiB: null, pct: null };
  const used = current - spare;
  // During boot the guest can report more usable memory than the balloon holds.
  if (used < 0) return { usedKiB: null, pct: null };
  return { usedKiB: used, pct: percent(used, current) };
}

/**
 * virt-manager's formulas (shared/reference/libvirt-rpc.md §4) on bigint deltas and a
 * monotonic clock: CPU % of the host = Δcpu.time / (Δt × host CPUs), % of the guest =
 * Δcpu.time / (Δt × vCPUs), both clamped; I/O rates = Δbytes / Δt summed over devices.
 * Everything that needs a previous sample is null after a restart (another domain ID, or
 * cpu.time going backwards) or on the first sample.
 */
export function computeVmSample(
  prev: TimedCounters | null,
  cur: TimedCounters,
  hostCpus: number,
): VmSample {
  const c = cur.counters;
  const before =
    prev &&
    prev.counters.domainId === c.domainId &&
    !(
      c.cpuTimeNs !== null &&
      prev.counters.cpuTimeNs !== null &&
      c.cpuTimeNs < prev.counters.cpuTimeNs
    )
      ? prev.counters
      : null;
  const elapsedMs = prev ? cur.atMs - prev.atMs : 0;
  const seconds = before && elapsedMs > 0 ? elapsedMs / 1000 : null;
  const elapsedNs = seconds === null ? null : elapsedMs * 1e6;
  const cpuDelta = before && elapsedNs !== null ? delta(c.cpuTimeNs, before.cpuTimeNs) : null;
  const mem = memory(c);
  const disks = deviceRates(c.block, before?.block, seconds);
  const nets = deviceRates(c.net, before?.net, seconds);
  const previousVcpu = new Map(before?.vcpuTimesNs.map((v) => [v.index, v.timeNs]));
  return {
    cpu: cpuDelta === null || elapsedNs === null ? null : percent(cpuDelta, elapsedNs * hostCpus),
    cpuGuest:
      cpuDelta === null || elapsedNs === null || c.vcpus === null
        ? null
        : percent(cpuDelta, elapsedNs * c.vcpus),
    mem: mem.pct,
    memCurrentKiB: c.balloonCurrentKiB,
    memUsedKiB: mem.usedKiB,
    diskRd: disks.in,
    diskWr: disks.out,
    netRx: nets.in,
    netTx: nets.out,
    disks: disks.devices,
    nets: nets.devices,
    vcpus: c.vcpuTimesNs.map(({ index, timeNs }) => {
      const d = elapsedNs === null ? null : delta(timeNs, previousVcpu.get(index) ?? null);
      return { index, pct: d === null || elapsedNs === null ? null : percent(d, elapsedNs) };
    }),
  };
}
