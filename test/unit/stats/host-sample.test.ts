import { describe, expect, it } from 'vitest';
import { hostCpuPercent, hostMemory } from '../../../electron/stats/host-sample';

// Field names as libvirt's Linux driver reports them (VIR_NODE_CPU_STATS_*, ns; memory KiB).
const cpu = (kernel: bigint, user: bigint, idle: bigint, iowait: bigint) => ({
  kernel,
  user,
  idle,
  iowait,
});

describe('host CPU and memory', () => {
  it('is the busy share of all CPU time between two readings', () => {
    const before = cpu(100n, 300n, 1000n, 0n);
    const after = cpu(150n, 400n, 1340n, 10n);
    // busy 150 of 500 total.
    expect(hostCpuPercent(before, after)).toBe(30);
    expect(hostCpuPercent(null, after)).toBeNull();
  });

  it('is unknown when counters stand still or go back (a test driver, a host reboot)', () => {
    const same = cpu(1n, 1n, 1n, 1n);
    expect(hostCpuPercent(same, same)).toBeNull();
    expect(hostCpuPercent(cpu(10n, 10n, 10n, 0n), cpu(5n, 10n, 20n, 0n))).toBeNull();
    expect(hostCpuPercent({ idle: 1n }, { idle: 2n })).toBeNull();
  });

  it('takes a ready-made utilization where the platform gives only that', () => {
    expect(hostCpuPercent(null, { utilization: 42n })).toBe(42);
  });

  it('counts memory used as total − free − buffers − cached', () => {
    expect(hostMemory({ total: 1000n, free: 400n, buffers: 100n, cached: 250n })).toEqual({
      memPct: 25,
      memUsedKiB: 250,
      memTotalKiB: 1000,
    });
    expect(hostMemory(null)).toEqual({ memPct: null, memUsedKiB: null, memTotalKiB: null });
    expect(hostMemory({ total: 1000n })).toEqual({
      memPct: null,
      memUsedKiB: null,
      memTotalKiB: 1000,
    });
  });
});
