import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  HostStatsSeries,
  StatsTick,
  VmStatsDetail,
  VmStatsSeries,
} from '../../../shared/contract/stats';
import { firmwareVncGuestXml } from '../../harness/test-guests';
import { waitFor } from '../../harness/wait-for';
import {
  domstats,
  removeDomain,
  startVmApp,
  testName,
  virsh,
  virshDefine,
  type VmApp,
} from '../vms/vm-test-support';

/**
 * The sampler against the daemon's own numbers (virsh domstats) for a running TCG guest.
 * The firmware guest keeps a vCPU busy (SeaBIOS retries its boot), so CPU time grows.
 */
let app: VmApp;
const guest = testName('vd-stats');
const target = () => ({ connectionId: app.connectionId, uuid: guest.uuid });

beforeAll(async () => {
  app = await startVmApp();
  // Ticks every second for this file.
  await app.ok('prefs:set', { statsIntervalMs: 1000 });
  await virshDefine(firmwareVncGuestXml({ ...guest, memoryMiB: 48 }));
  await virsh(['start', guest.name]);
});
afterAll(async () => {
  await removeDomain(guest.name);
  await app.stop();
});

function ticksOf(since: number): Array<{ at: number; tick: StatsTick }> {
  return app.events
    .filter((e) => e.at >= since && e.event.name === 'stats:tick')
    .map((e) => ({ at: e.at, tick: e.event.payload as StatsTick }))
    .filter((e) => e.tick.connectionId === app.connectionId);
}

const column = (tick: StatsTick, name: 'cpu' | 'cpuGuest' | 'mem' | 'diskRd' | 'netRx') =>
  tick[name][tick.uuids.indexOf(guest.uuid)];

describe('statistics sampler', () => {
  it('matches cpu.time deltas, vCPU counts and balloon values of virsh domstats', async () => {
    const hostCpus = Number(/^CPU\(s\):\s+(\d+)/m.exec(await virsh(['nodeinfo']))?.[1]);
    // Per-device detail needs a subscription (which also samples balloon, disks, NICs).
    expect(await app.ok('stats:subscribe', target())).toEqual({ leaseMs: 60_000 });

    // The first tick after a subscription, and virsh right after it (ms apart).
    const first = await app.waitForEvent(
      'stats:tick',
      (t) => t.uuids.includes(guest.uuid) && column(t, 'cpu') !== null,
      { since: performance.now() },
    );
    const before = await domstats(guest.name, [
      '--cpu-total',
      '--vcpu',
      '--balloon',
      '--block',
      '--interface',
    ]);
    // Eight more ticks of CPU use.
    const last = await app.waitForEvent(
      'stats:tick',
      (t) => t.t >= first.payload.t + 8000 && t.uuids.includes(guest.uuid),
      { since: first.at, timeoutMs: 30_000 },
    );
    const after = await domstats(guest.name, ['--cpu-total', '--vcpu', '--balloon']);

    // Σ cpu% × Δt × host CPUs over our ticks ≈ the daemon's Δcpu.time over the same span.
    const ticks = ticksOf(first.at).filter(
      (e) => e.tick.t <= last.payload.t && e.tick.t > first.payload.t,
    );
    let previousT = first.payload.t;
    let ourNs = 0;
    for (const { tick } of ticks) {
      const pct = column(tick, 'cpu');
      expect(pct).not.toBeNull();
      ourNs += ((pct as number) / 100) * (tick.t - previousT) * 1e6 * hostCpus;
      previousT = tick.t;
    }
    const theirNs = Number(
      BigInt(after.get('cpu.time') ?? '0') - BigInt(before.get('cpu.time') ?? '0'),
    );
    expect(theirNs).toBeGreaterThan(0);
    // virsh reads a little after each of our two ticks (a process start on a busy box), and
    // QEMU's cpu.time moves in 10 ms steps here: 20 % + 30 ms still catches any formula
    // error (a wrong CPU count or unit is off by 2× or more).
    expect(Math.abs(ourNs - theirNs)).toBeLessThan(0.2 * theirNs + 30e6);
    process.stdout.write(
      `[stats] Δcpu.time over ${ticks.length} ticks: ours ${(ourNs / 1e9).toFixed(3)} s, virsh ${(theirNs / 1e9).toFixed(3)} s\n`,
    );

    // % of guest = % of host × host CPUs / vCPUs (neither is clamped at this load).
    const vcpus = Number(after.get('vcpu.current'));
    expect(app.vm(guest.uuid)?.vcpus).toBe(vcpus);
    for (const { tick } of ticks) {
      const host = column(tick, 'cpu') as number;
      const own = column(tick, 'cpuGuest') as number;
      if (own < 100) expect(own).toBeCloseTo((host * hostCpus) / vcpus, 1);
      expect(tick.host?.cpus).toBe(hostCpus);
    }

    // The per-VM detail carries the balloon as libvirt reports it.
    const detail = await app.waitForEvent('stats:vm', (d: VmStatsDetail) => d.uuid === guest.uuid, {
      since: first.at,
    });
    expect(detail.payload.memCurrentKiB).toBe(Number(after.get('balloon.current')));
    expect(detail.payload.vcpus.map((v) => v.index)).toEqual(
      Array.from({ length: vcpus }, (_, i) => i),
    );
    // SeaBIOS has no balloon driver: no guest statistics, so memory is unknown — not NaN.
    if (!after.has('balloon.usable') && !after.has('balloon.unused')) {
      expect(detail.payload.mem).toBeNull();
      expect(column(last.payload, 'mem')).toBeNull();
    }
    // No disks and no NICs in this guest: "—" for their rates.
    expect(before.get('block.count')).toBe('0');
    expect(before.get('net.count')).toBe('0');
    expect(column(last.payload, 'diskRd')).toBeNull();
    expect(column(last.payload, 'netRx')).toBeNull();
    expect(detail.payload.disks).toEqual([]);

    // History for graphs has the same points.
    const history = await app.ok<VmStatsSeries>('stats:history', { ...target(), range: '5m' });
    const lastIndex = history.t.indexOf(last.payload.t);
    expect(lastIndex).toBeGreaterThan(0);
    expect(history.cpu[lastIndex]).toBe(column(last.payload, 'cpu'));
    expect(history.stepMs).toBe(1000);
    const host = await app.ok<HostStatsSeries>('host:stats', {
      connectionId: app.connectionId,
      range: '5m',
    });
    expect(host.t).toContain(last.payload.t);
    expect(host.mem.every((v) => v === null || (v > 0 && v <= 100))).toBe(true);
    expect(await app.ok('stats:unsubscribe', target())).toEqual({ subscribed: true });
  });

  it('applies a new interval live and sends one batched message per host per tick', async () => {
    await app.ok('prefs:set', { statsIntervalMs: 2000 });
    const since = performance.now();
    await app.waitForEvent('stats:tick', () => true, { since });
    const third = await waitTicks(since, 4);
    const gaps = third.slice(1).map((t, i) => t.tick.t - (third[i] as { tick: StatsTick }).tick.t);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThan(1500);
      expect(gap).toBeLessThan(2600);
    }
    // Exactly one tick per host per step, however many VMs it carries.
    const perStep = new Set(third.map((t) => t.tick.t));
    expect(perStep.size).toBe(third.length);
    await app.ok('prefs:set', { statsIntervalMs: 1000 });
  });

  it('stops sampling a disconnected host and resumes on reconnect', async () => {
    await app.ok('connection:disconnect', { id: app.connectionId });
    const since = performance.now();
    // Absence needs time to show: three intervals without a tick (one already under way
    // may still land at once, hence the 200 ms margin).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(ticksOf(since + 200)).toEqual([]);
    expect(await app.ok<StatsTick[]>('stats:latest', {})).toEqual([]);
    // History survives the disconnect.
    const kept = await app.ok<VmStatsSeries>('stats:history', { ...target(), range: '1h' });
    expect(kept.t.length).toBeGreaterThan(5);

    const connectAt = performance.now();
    await app.ok('connection:connect', { id: app.connectionId });
    const back = await app.waitForEvent('stats:tick', (t) => t.connectionId === app.connectionId, {
      since: connectAt,
    });
    // Counters start over on the new link: the first CPU value is unknown, not a spike.
    expect(column(back.payload, 'cpu')).toBeNull();
    // The list read again (a 'ready' update to the 'loading' rows) keeps a VM that is still
    // there, and so its history.
    await app.waitForEvent(
      'vm:listReset',
      (l) => l.connectionId === app.connectionId && l.status === 'ready',
      { since: connectAt },
    );
    const after = await app.ok<VmStatsSeries>('stats:history', { ...target(), range: '1h' });
    expect(after.t.length).toBeGreaterThanOrEqual(kept.t.length);
  });
});

function waitTicks(since: number, n: number): Promise<Array<{ at: number; tick: StatsTick }>> {
  return waitFor(
    () => {
      const ticks = ticksOf(since);
      return ticks.length >= n ? ticks.slice(0, n) : undefined;
    },
    { what: `${n} ticks`, timeoutMs: 30_000, intervalMs: 50 },
  );
}
