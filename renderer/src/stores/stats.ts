import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type {
  HostStatsSample,
  HostStatsSeries,
  StatsRange,
  StatsTick,
  VmStatsDetail,
  VmStatsSeries,
  VmTarget,
} from '../../../shared/contract';
import { STATS_SUBSCRIPTION_LEASE_MS } from '../../../shared/contract';
import { call, onEvent } from '../api/client';
import { describeError, type ErrorDetail } from './notifications';
import type { VmActionResult } from './vms';

/** A VM's values from its host's last tick; null = not known (shown as "—"). */
export interface VmLiveStats {
  t: number;
  cpu: number | null;
  cpuGuest: number | null;
  mem: number | null;
  diskRd: number | null;
  diskWr: number | null;
  netRx: number | null;
  netTx: number | null;
}

export interface HostLiveStats {
  t: number;
  intervalMs: number;
  host: HostStatsSample | null;
}

const EMPTY_LIVE: VmLiveStats = {
  t: 0,
  cpu: null,
  cpuGuest: null,
  mem: null,
  diskRd: null,
  diskWr: null,
  netRx: null,
  netTx: null,
};

/** One VM of a host's tick: where its values go. */
interface TickRow {
  key: string;
  live: VmLiveStats;
  spark: SparkSeries;
}

function sameUuids(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** How many recent points a list sparkline draws. */
export const SPARK_POINTS = 40;

export interface SparkSeries {
  cpu: (number | null)[];
  mem: (number | null)[];
  /** Bumped with every point added: a view compares it to know whether it drew the latest. */
  seq: number;
}

/**
 * Statistics as the main process samples them: one batched 'stats:tick' per host per
 * interval. With thousands of VMs ticking every second, the per-VM values live in plain
 * Maps and arrays that Vue does not track; `version` is the one reactive signal, bumped per
 * tick, which visible rows and graphs watch to redraw.
 */
export const useStatsStore = defineStore('stats', () => {
  const version = ref(0);
  /** The interval of the latest tick: what the sampler really does, for the status bar. */
  const intervalMs = ref<number | null>(null);
  const hosts = shallowRef<ReadonlyMap<string, HostLiveStats>>(new Map());
  const lastError = ref<ErrorDetail | null>(null);

  const latest = new Map<string, VmLiveStats>();
  const sparks = new Map<string, SparkSeries>();
  const details = new Map<string, VmStatsDetail>();
  /** Each host's previous tick: its UUIDs and rows, to drop VMs that stopped. */
  const previousRows = new Map<string, { uuids: readonly string[]; rows: TickRow[] }>();
  const leases = new Map<string, { count: number; timer: ReturnType<typeof setInterval> }>();
  let disposers: Array<() => void> = [];

  function push(series: (number | null)[], value: number | null): void {
    series.push(value);
    if (series.length > SPARK_POINTS) series.splice(0, series.length - SPARK_POINTS);
  }

  /**
   * The rows of a host's last tick, in its order. Ticks almost always list the same VMs in
   * the same order, so the next one is matched by index: no key built, no map looked up
   * for thousands of VMs a second.
   */
  function rowsFor(tick: StatsTick): TickRow[] {
    const previous = previousRows.get(tick.connectionId);
    if (previous && sameUuids(previous.uuids, tick.uuids)) return previous.rows;
    const prefix = `${tick.connectionId}/`;
    const rows = tick.uuids.map((uuid): TickRow => {
      const key = prefix + uuid;
      let live = latest.get(key);
      if (!live) latest.set(key, (live = { ...EMPTY_LIVE }));
      let spark = sparks.get(key);
      if (!spark) sparks.set(key, (spark = { cpu: [], mem: [], seq: 0 }));
      return { key, live, spark };
    });
    if (previous) {
      const present = new Set(rows.map((row) => row.key));
      for (const { key } of previous.rows) {
        if (present.has(key)) continue;
        // Stopped since the last tick: no current values; the sparkline starts afresh.
        latest.delete(key);
        sparks.delete(key);
      }
    }
    previousRows.set(tick.connectionId, { uuids: tick.uuids, rows });
    return rows;
  }

  function applyTick(tick: StatsTick): void {
    const rows = rowsFor(tick);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (!row) continue;
      // Updated in place: thousands of VMs per second should not mean thousands of objects.
      const live = row.live;
      live.t = tick.t;
      live.cpu = tick.cpu[i] ?? null;
      live.cpuGuest = tick.cpuGuest[i] ?? null;
      live.mem = tick.mem[i] ?? null;
      live.diskRd = tick.diskRd[i] ?? null;
      live.diskWr = tick.diskWr[i] ?? null;
      live.netRx = tick.netRx[i] ?? null;
      live.netTx = tick.netTx[i] ?? null;
      push(row.spark.cpu, live.cpu);
      push(row.spark.mem, live.mem);
      row.spark.seq++;
    }
    const nextHosts = new Map(hosts.value);
    nextHosts.set(tick.connectionId, { t: tick.t, intervalMs: tick.intervalMs, host: tick.host });
    hosts.value = nextHosts;
    intervalMs.value = tick.intervalMs;
    version.value++;
  }

  /** A host that is gone or disconnected has no current values. */
  function forgetHost(connectionId: string): void {
    for (const { key } of previousRows.get(connectionId)?.rows ?? []) {
      latest.delete(key);
      sparks.delete(key);
    }
    previousRows.delete(connectionId);
    if (hosts.value.has(connectionId)) {
      const nextHosts = new Map(hosts.value);
      nextHosts.delete(connectionId);
      hosts.value = nextHosts;
    }
    version.value++;
  }

  async function init(): Promise<void> {
    dispose();
    disposers = [
      onEvent('stats:tick', applyTick),
      onEvent('stats:vm', (detail) => {
        details.set(`${detail.connectionId}/${detail.uuid}`, detail);
      }),
      onEvent('vm:listReset', (reset) => {
        if (reset.status !== 'ready') forgetHost(reset.connectionId);
      }),
    ];
    try {
      for (const tick of await call('stats:latest', {})) applyTick(tick);
      lastError.value = null;
    } catch (error) {
      // The list works without numbers; the next tick fills them in.
      lastError.value = describeError(error);
    }
  }

  function liveOf(key: string): VmLiveStats | null {
    return latest.get(key) ?? null;
  }

  function sparkOf(key: string): SparkSeries | null {
    return sparks.get(key) ?? null;
  }

  function detailOf(key: string): VmStatsDetail | null {
    return details.get(key) ?? null;
  }

  async function history(
    target: VmTarget,
    range: StatsRange,
  ): Promise<VmActionResult<VmStatsSeries>> {
    try {
      const { connectionId, uuid } = target;
      return { ok: true, value: await call('stats:history', { connectionId, uuid, range }) };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  }

  async function hostHistory(
    connectionId: string,
    range: StatsRange,
  ): Promise<VmActionResult<HostStatsSeries>> {
    try {
      return { ok: true, value: await call('host:stats', { connectionId, range }) };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  }

  /**
   * Asks for per-device detail of a VM while a view shows it, renewing the lease before it
   * runs out; returns the function that ends this view's interest.
   */
  function watchVm(vm: VmTarget): () => void {
    const target = { connectionId: vm.connectionId, uuid: vm.uuid };
    const key = `${target.connectionId}/${target.uuid}`;
    const renew = () => {
      call('stats:subscribe', target).catch((error: unknown) => {
        lastError.value = describeError(error);
      });
    };
    const existing = leases.get(key);
    if (existing) {
      existing.count++;
    } else {
      renew();
      leases.set(key, { count: 1, timer: setInterval(renew, STATS_SUBSCRIPTION_LEASE_MS / 2) });
    }
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const lease = leases.get(key);
      if (!lease || --lease.count > 0) return;
      clearInterval(lease.timer);
      leases.delete(key);
      details.delete(key);
      // The host may be gone already; the lease then simply runs out.
      call('stats:unsubscribe', target).catch(() => undefined);
    };
  }

  function dispose(): void {
    for (const stop of disposers) stop();
    disposers = [];
    for (const lease of leases.values()) clearInterval(lease.timer);
    leases.clear();
  }

  return {
    version,
    intervalMs,
    hosts,
    lastError,
    init,
    liveOf,
    sparkOf,
    detailOf,
    history,
    hostHistory,
    watchVm,
    dispose,
  };
});
