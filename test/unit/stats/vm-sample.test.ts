import { describe, expect, it } from 'vitest';
import type { TypedParamRecord } from '../../../electron/libvirt/facade/stats';
import { readVmCounters } from '../../../electron/stats/vm-counters';
import { computeVmSample, percent, type TimedCounters } from '../../../electron/stats/vm-sample';

const SEC = 1_000_000_000n;

/** A record as GetAllDomainStats returns it for a running QEMU guest (see libvirt-rpc.md §4). */
function record(over: Record<string, TypedParamRecord[string] | undefined> = {}): TypedParamRecord {
  const full: Record<string, TypedParamRecord[string] | undefined> = {
    'state.state': 1,
    'state.reason': 1,
    'cpu.time': 100n * SEC,
    'cpu.user': 60n * SEC,
    'cpu.system': 40n * SEC,
    'balloon.current': 1048576n,
    'balloon.maximum': 1048576n,
    'balloon.unused': 524288n,
    'balloon.usable': 786432n,
    'vcpu.current': 2,
    'vcpu.maximum': 4,
    'vcpu.0.state': 1,
    'vcpu.0.time': 50n * SEC,
    'vcpu.1.state': 1,
    'vcpu.1.time': 40n * SEC,
    'net.count': 1,
    'net.0.name': 'vnet0',
    'net.0.rx.bytes': 1_000_000n,
    'net.0.tx.bytes': 2_000_000n,
    'block.count': 2,
    'block.0.name': 'vda',
    'block.0.rd.bytes': 10_000_000n,
    'block.0.wr.bytes': 20_000_000n,
    'block.1.name': 'sda',
    'block.1.rd.bytes': 0n,
    'block.1.wr.bytes': 0n,
    ...over,
  };
  // An undefined override means "the daemon did not send this field".
  return Object.fromEntries(
    Object.entries(full).filter(
      (entry): entry is [string, TypedParamRecord[string]] => entry[1] !== undefined,
    ),
  );
}

const at = (atMs: number, stats: TypedParamRecord, domainId = 7): TimedCounters => ({
  atMs,
  counters: readVmCounters(domainId, stats),
});

function noNaN(value: unknown): void {
  expect(JSON.stringify(value, (_k, v: unknown) => (Number.isNaN(v) ? 'NaN!' : v))).not.toContain(
    'NaN!',
  );
}

describe('computeVmSample', () => {
  it("applies virt-manager's CPU formulas: % of host and % of guest vCPUs", () => {
    // 1.5 s of CPU time in 2 s on a 4-CPU host, guest with 2 vCPUs.
    const s = computeVmSample(
      at(1000, record()),
      at(3000, record({ 'cpu.time': 101_500_000_000n })),
      4,
    );
    expect(s.cpu).toBe(18.75);
    expect(s.cpuGuest).toBe(37.5);
  });

  it('clamps CPU to 0–100 when the guest outruns the clock', () => {
    const s = computeVmSample(at(0, record()), at(1000, record({ 'cpu.time': 110n * SEC })), 2);
    expect(s.cpu).toBe(100);
    expect(s.cpuGuest).toBe(100);
  });

  it('sums disk and network rates over devices, in bytes per second', () => {
    const s = computeVmSample(
      at(0, record()),
      at(
        2000,
        record({
          'block.0.rd.bytes': 14_000_000n,
          'block.0.wr.bytes': 20_000_000n,
          'block.1.rd.bytes': 2_000n,
          'net.0.rx.bytes': 1_500_000n,
          'net.0.tx.bytes': 2_000_001n,
        }),
      ),
      2,
    );
    expect(s).toMatchObject({ diskRd: 2_001_000, diskWr: 0, netRx: 250_000, netTx: 1 });
    expect(s.disks).toEqual([
      { name: 'vda', in: 2_000_000, out: 0 },
      { name: 'sda', in: 1_000, out: 0 },
    ]);
    expect(s.vcpus).toEqual([
      { index: 0, pct: 0 },
      { index: 1, pct: 0 },
    ]);
  });

  it('computes memory from balloon.current − usable (else − unused), never NaN', () => {
    const withUsable = computeVmSample(null, at(0, record()), 2);
    expect(withUsable).toMatchObject({ mem: 25, memUsedKiB: 262144, memCurrentKiB: 1048576 });
    const unusedOnly = computeVmSample(null, at(0, record({ 'balloon.usable': undefined })), 2);
    expect(unusedOnly.mem).toBe(50);
    const noGuestStats = computeVmSample(
      null,
      at(0, record({ 'balloon.usable': undefined, 'balloon.unused': undefined })),
      2,
    );
    expect(noGuestStats).toMatchObject({ mem: null, memUsedKiB: null, memCurrentKiB: 1048576 });
    // While booting the guest may report more usable memory than the balloon holds.
    const booting = computeVmSample(null, at(0, record({ 'balloon.usable': 2_000_000n })), 2);
    expect(booting.mem).toBeNull();
  });

  it('has no rates on the first sample, but memory already', () => {
    const s = computeVmSample(null, at(0, record()), 2);
    expect(s).toMatchObject({ cpu: null, cpuGuest: null, diskRd: null, netTx: null, mem: 25 });
    noNaN(s);
  });

  it('resets everything when the VM restarted (another ID, or cpu.time going backwards)', () => {
    const prev = at(0, record());
    const newId = computeVmSample(prev, at(2000, record({ 'cpu.time': 200n * SEC }), 8), 2);
    const backwards = computeVmSample(
      prev,
      at(2000, record({ 'cpu.time': 1n * SEC, 'block.0.rd.bytes': 1n })),
      2,
    );
    for (const s of [newId, backwards]) {
      expect(s).toMatchObject({
        cpu: null,
        cpuGuest: null,
        diskRd: null,
        diskWr: null,
        netRx: null,
      });
      expect(s.vcpus.every((v) => v.pct === null)).toBe(true);
      noNaN(s);
    }
  });

  it('gives no disk rate when the disk set changed (hot-plug) or one counter went back', () => {
    const prev = at(0, record());
    const plugged = computeVmSample(
      prev,
      at(
        1000,
        record({
          'block.count': 3,
          'block.2.name': 'vdb',
          'block.2.rd.bytes': 5n,
          'block.2.wr.bytes': 5n,
        }),
      ),
      2,
    );
    expect(plugged.diskRd).toBeNull();
    expect(plugged.netRx).toBe(0);
    const reset = computeVmSample(prev, at(1000, record({ 'block.0.wr.bytes': 0n })), 2);
    expect(reset).toMatchObject({ diskRd: 0, diskWr: null });
  });

  it('shows "—" (null) for a VM without disks or NICs and for groups not sampled', () => {
    const bare = { 'state.state': 1, 'cpu.time': 5n * SEC, 'block.count': 0, 'net.count': 0 };
    const s = computeVmSample(at(0, bare), at(1000, { ...bare, 'cpu.time': 6n * SEC }), 1);
    expect(s).toMatchObject({ cpu: 100, cpuGuest: null, diskRd: null, netTx: null, mem: null });
    expect(s.disks).toEqual([]);
    const stateOnly = { 'state.state': 1 };
    const t = computeVmSample(at(0, stateOnly), at(1000, stateOnly), 1);
    expect(t).toMatchObject({
      cpu: null,
      diskRd: null,
      netRx: null,
      mem: null,
      memCurrentKiB: null,
    });
    noNaN(t);
  });

  it('treats a zero or negative time step as unknown, not infinite', () => {
    const s = computeVmSample(at(1000, record()), at(1000, record({ 'cpu.time': 101n * SEC })), 2);
    expect(s.cpu).toBeNull();
    expect(s.diskRd).toBeNull();
    noNaN(s);
  });

  it('reads an empty drive (no byte counters) as no data for that drive only', () => {
    const empty = { 'block.1.rd.bytes': undefined, 'block.1.wr.bytes': undefined };
    const s = computeVmSample(
      at(0, record(empty)),
      at(1000, record({ ...empty, 'block.0.rd.bytes': 10_001_000n })),
      2,
    );
    expect(s.diskRd).toBe(1000);
    expect(s.disks[1]).toEqual({ name: 'sda', in: null, out: null });
  });
});

describe('percent', () => {
  it('rounds to two decimals and refuses nonsense', () => {
    expect(percent(1, 3)).toBe(33.33);
    expect(percent(-5, 10)).toBe(0);
    expect(percent(1, 0)).toBeNull();
    expect(percent(Number.NaN, 10)).toBeNull();
    expect(percent(1, Number.POSITIVE_INFINITY)).toBeNull();
  });
});
