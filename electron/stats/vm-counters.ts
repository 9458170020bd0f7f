import type { TypedParamRecord } from '../libvirt/facade/stats';

/** Cumulative counters of a set of devices (disks or NICs), in the daemon's order. */
export interface DeviceCounters {
  names: string[];
  /** rd.bytes / rx.bytes per device (null where the daemon sent none, e.g. an empty drive). */
  in: (bigint | null)[];
  /** wr.bytes / tx.bytes per device. */
  out: (bigint | null)[];
}

/** One domain's counters from one `GetAllDomainStats` record; null = not reported. */
export interface VmCounters {
  /** The running domain's ID: a new one means the VM was restarted between samples. */
  domainId: number;
  cpuTimeNs: bigint | null;
  vcpus: number | null;
  vcpuTimesNs: Array<{ index: number; timeNs: bigint }>;
  balloonCurrentKiB: number | null;
  balloonUnusedKiB: number | null;
  balloonUsableKiB: number | null;
  /** null when the group was not sampled; empty `names` when the VM has no devices. */
  block: DeviceCounters | null;
  net: DeviceCounters | null;
}

function bigField(stats: TypedParamRecord, key: string): bigint | null {
  const v = stats[key];
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return null;
}

function numberField(stats: TypedParamRecord, key: string): number | null {
  const v = stats[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return null;
}

function devices(stats: TypedParamRecord, group: 'block' | 'net'): DeviceCounters | null {
  const count = numberField(stats, `${group}.count`);
  if (count === null) return null;
  const [inKey, outKey] = group === 'block' ? ['rd.bytes', 'wr.bytes'] : ['rx.bytes', 'tx.bytes'];
  const result: DeviceCounters = { names: [], in: [], out: [] };
  for (let i = 0; i < count; i++) {
    const name = stats[`${group}.${i}.name`];
    result.names.push(typeof name === 'string' ? name : `#${i}`);
    result.in.push(bigField(stats, `${group}.${i}.${inKey}`));
    result.out.push(bigField(stats, `${group}.${i}.${outKey}`));
  }
  return result;
}

function vcpuTimes(stats: TypedParamRecord): Array<{ index: number; timeNs: bigint }> {
  const times: Array<{ index: number; timeNs: bigint }> = [];
  // The array may be sparse after hot-unplug, so read what is there, up to vcpu.maximum.
  const max = numberField(stats, 'vcpu.maximum') ?? numberField(stats, 'vcpu.current') ?? 0;
  for (let index = 0; index < max; index++) {
    const timeNs = bigField(stats, `vcpu.${index}.time`);
    if (timeNs !== null) times.push({ index, timeNs });
  }
  return times;
}

export function readVmCounters(domainId: number, stats: TypedParamRecord): VmCounters {
  return {
    domainId,
    cpuTimeNs: bigField(stats, 'cpu.time'),
    vcpus: numberField(stats, 'vcpu.current'),
    vcpuTimesNs: vcpuTimes(stats),
    balloonCurrentKiB: numberField(stats, 'balloon.current'),
    balloonUnusedKiB: numberField(stats, 'balloon.unused'),
    balloonUsableKiB: numberField(stats, 'balloon.usable'),
    block: devices(stats, 'block'),
    net: devices(stats, 'net'),
  };
}
