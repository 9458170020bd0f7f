import type { StatsTick, VmSummary } from '../../../shared/contract';

export const HOST_A = '0b7c2a4e-5d7f-4c53-9a1e-2f7b1c9d4e01';
export const HOST_B = '6f1d3b2a-8c4e-4f61-b2a7-9d0e5c3f1a02';

let counter = 0;

/** A VM summary as 'vm:list' would send it; every field can be overridden. */
export function vmSummary(overrides: Partial<VmSummary> = {}): VmSummary {
  counter++;
  return {
    connectionId: HOST_A,
    uuid: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    name: `vm-${counter}`,
    id: null,
    title: '',
    description: '',
    state: 'shutoff',
    stateReason: 'unknown',
    persistent: true,
    autostart: false,
    hasManagedSave: false,
    vcpus: 1,
    maxVcpus: 1,
    memoryKiB: 65536,
    maxMemoryKiB: 65536,
    tags: [],
    graphics: ['vnc'],
    firmware: 'bios',
    nvramPath: null,
    disks: [],
    ...overrides,
  };
}

/** A host's tick with the given per-VM CPU values (other columns null). */
export function statsTick(
  connectionId: string,
  t: number,
  cpu: Record<string, number | null>,
  extra: Partial<StatsTick> = {},
): StatsTick {
  const uuids = Object.keys(cpu);
  const nulls = uuids.map(() => null);
  return {
    connectionId,
    t,
    intervalMs: 2000,
    host: { cpuPct: 12.5, memPct: 40, memUsedKiB: 4096, memTotalKiB: 10240, cpus: 4 },
    uuids,
    cpu: uuids.map((u) => cpu[u] ?? null),
    cpuGuest: nulls,
    mem: nulls,
    diskRd: nulls,
    diskWr: nulls,
    netRx: nulls,
    netTx: nulls,
    ...extra,
  };
}
