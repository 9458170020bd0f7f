import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STATS_SUBSCRIPTION_LEASE_MS, type StatsTick } from '../../../../shared/contract';
import { installBridge } from '../../../../renderer/src/api/bridge';
import { SPARK_POINTS, useStatsStore } from '../../../../renderer/src/stores/stats';
import { FakeBridge } from '../fake-bridge';
import { HOST_A, HOST_B, statsTick } from '../vm-fixtures';

const U1 = '00000000-0000-4000-8000-00000000aa01';
const U2 = '00000000-0000-4000-8000-00000000aa02';
const key = (host: string, uuid: string) => `${host}/${uuid}`;

let bridge: FakeBridge;
let latest: StatsTick[];

beforeEach(() => {
  latest = [];
  bridge = new FakeBridge()
    .handle('stats:latest', () => latest)
    .handle('stats:subscribe', () => ({ leaseMs: STATS_SUBSCRIPTION_LEASE_MS }))
    .handle('stats:unsubscribe', () => ({ subscribed: true }));
  installBridge(bridge);
  setActivePinia(createPinia());
});

afterEach(() => {
  useStatsStore().dispose();
  installBridge(null);
  vi.useRealTimers();
});

describe('stats store', () => {
  it('starts from the last ticks and follows batched stats:tick pushes', async () => {
    latest = [statsTick(HOST_A, 1000, { [U1]: 5 })];
    const store = useStatsStore();
    await store.init();
    expect(store.liveOf(key(HOST_A, U1))?.cpu).toBe(5);
    expect(store.intervalMs).toBe(2000);
    const before = store.version;

    bridge.emit(
      'stats:tick',
      statsTick(HOST_A, 3000, { [U1]: 7.5, [U2]: null }, { diskRd: [100, null], mem: [null, 20] }),
    );
    expect(store.version).toBe(before + 1);
    expect(store.liveOf(key(HOST_A, U1))).toMatchObject({
      t: 3000,
      cpu: 7.5,
      diskRd: 100,
      mem: null,
    });
    expect(store.liveOf(key(HOST_A, U2))).toMatchObject({ cpu: null, mem: 20 });
    expect(store.sparkOf(key(HOST_A, U1))?.cpu).toEqual([5, 7.5]);
    // Views redraw a sparkline only when this moved on.
    expect(store.sparkOf(key(HOST_A, U1))?.seq).toBe(2);
    expect(store.hosts.get(HOST_A)?.host?.cpuPct).toBe(12.5);
  });

  it('drops a VM missing from its host tick (stopped) and keeps other hosts', async () => {
    const store = useStatsStore();
    await store.init();
    bridge.emit('stats:tick', statsTick(HOST_A, 1000, { [U1]: 1, [U2]: 2 }));
    bridge.emit('stats:tick', statsTick(HOST_B, 1000, { [U1]: 3 }));
    bridge.emit('stats:tick', statsTick(HOST_A, 3000, { [U2]: 4 }));
    expect(store.liveOf(key(HOST_A, U1))).toBeNull();
    expect(store.sparkOf(key(HOST_A, U1))).toBeNull();
    expect(store.liveOf(key(HOST_A, U2))?.cpu).toBe(4);
    expect(store.liveOf(key(HOST_B, U1))?.cpu).toBe(3);

    bridge.emit('vm:listReset', {
      connectionId: HOST_B,
      alias: 'b',
      status: 'disconnected',
      vms: [],
    });
    expect(store.liveOf(key(HOST_B, U1))).toBeNull();
    expect(store.hosts.has(HOST_B)).toBe(false);
  });

  it(`keeps the last ${SPARK_POINTS} points per sparkline`, async () => {
    const store = useStatsStore();
    await store.init();
    for (let i = 0; i < SPARK_POINTS + 5; i++) {
      bridge.emit('stats:tick', statsTick(HOST_A, i * 1000, { [U1]: i }));
    }
    const cpu = store.sparkOf(key(HOST_A, U1))?.cpu ?? [];
    expect(cpu).toHaveLength(SPARK_POINTS);
    expect(cpu[0]).toBe(5);
    expect(cpu.at(-1)).toBe(SPARK_POINTS + 4);
  });

  it('subscribes once per VM however many views watch it, renews the lease, ends with the last', async () => {
    vi.useFakeTimers();
    const store = useStatsStore();
    await store.init();
    const target = { connectionId: HOST_A, uuid: U1 };
    const stopFirst = store.watchVm(target);
    const stopSecond = store.watchVm(target);
    const subscribes = () => bridge.calls.filter((c) => c.channel === 'stats:subscribe').length;
    expect(subscribes()).toBe(1);
    await vi.advanceTimersByTimeAsync(STATS_SUBSCRIPTION_LEASE_MS);
    expect(subscribes()).toBe(3);

    bridge.emit('stats:vm', {
      ...target,
      t: 1,
      cpu: 1,
      cpuGuest: 2,
      mem: null,
      memCurrentKiB: null,
      memUsedKiB: null,
      disks: [],
      nets: [],
      vcpus: [],
    });
    expect(store.detailOf(key(HOST_A, U1))?.cpuGuest).toBe(2);

    stopFirst();
    stopFirst();
    expect(bridge.calls.some((c) => c.channel === 'stats:unsubscribe')).toBe(false);
    stopSecond();
    expect(bridge.calls.filter((c) => c.channel === 'stats:unsubscribe')).toEqual([
      { channel: 'stats:unsubscribe', input: target },
    ]);
    expect(store.detailOf(key(HOST_A, U1))).toBeNull();
    await vi.advanceTimersByTimeAsync(STATS_SUBSCRIPTION_LEASE_MS);
    expect(subscribes()).toBe(3);
  });

  it('returns a refused history as an error result, never an empty series', async () => {
    bridge.fail('stats:history', { kind: 'transport', message: 'alpha has no statistics' });
    const store = useStatsStore();
    await store.init();
    const result = await store.history({ connectionId: HOST_A, uuid: U1 }, '1h');
    expect(result).toMatchObject({ ok: false, error: { detail: 'alpha has no statistics' } });
    expect(bridge.calls.at(-1)?.input).toEqual({ connectionId: HOST_A, uuid: U1, range: '1h' });
  });
});
