import { describe, expect, it } from 'vitest';
import type { Contender } from '../../../bench/rpc/contender';
import { timeRun } from '../../../bench/rpc/contender';
import { processCpuSeconds, runRoundRobin } from '../../../bench/rpc/round-robin-runner';

function recorder(log: string[], name: string): Contender {
  return {
    scenario: 'a',
    client: 'virtdeck',
    variant: name,
    run: () => timeRun(async () => void log.push(name)),
  };
}

describe('runRoundRobin', () => {
  it('rotates the starting contender every round and keeps only measured rounds', async () => {
    const log: string[] = [];
    const contenders = ['x', 'y', 'z'].map((n) => recorder(log, n));
    const results = await runRoundRobin(contenders, {
      warmup: 1,
      repeats: 3,
      daemonPid: process.pid,
    });
    expect(log.join('')).toBe('xyz' + 'yzx' + 'zxy' + 'xyz');
    expect(results.map((r) => r.samples.length)).toEqual([3, 3, 3]);
    expect(results.map((r) => r.daemonCpuSeconds.length)).toEqual([3, 3, 3]);
    expect(results[0]?.contender.variant).toBe('x');
  });

  it('stops at the first failing run', async () => {
    const failing: Contender = {
      scenario: 'b',
      client: 'libvirt-python',
      variant: 'broken',
      run: () => Promise.reject(new Error('lookup failed')),
    };
    await expect(
      runRoundRobin([failing], { warmup: 0, repeats: 2, daemonPid: process.pid }),
    ).rejects.toThrow('lookup failed');
  });
});

describe('processCpuSeconds', () => {
  it('reads this process’s CPU time, which grows with work', () => {
    const before = processCpuSeconds(process.pid);
    const end = Date.now() + 60;
    let spin = 0;
    while (Date.now() < end) spin++;
    expect(spin).toBeGreaterThan(0);
    expect(processCpuSeconds(process.pid)).toBeGreaterThan(before);
  });

  it('fails for a process that does not exist', () => {
    expect(() => processCpuSeconds(0x3fffffff)).toThrow(/ENOENT/);
  });
});
