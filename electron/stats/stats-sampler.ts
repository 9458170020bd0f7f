import {
  effectivePreferences,
  type EffectivePreferences,
  type Preferences,
} from '../../shared/contract/app';
import { VirtDeckError } from '../../shared/contract/errors';
import type { EventMap } from '../../shared/contract/events';
import {
  STATS_SUBSCRIPTION_LEASE_MS,
  type HostStatsSeries,
  type StatsRange,
  type StatsTick,
  type VmStatsSeries,
} from '../../shared/contract/stats';
import {
  VIR_DOMAIN_STATS_BALLOON,
  VIR_DOMAIN_STATS_BLOCK,
  VIR_DOMAIN_STATS_CPU_TOTAL,
  VIR_DOMAIN_STATS_INTERFACE,
  VIR_DOMAIN_STATS_STATE,
  VIR_DOMAIN_STATS_VCPU,
} from '../libvirt/protocol/constants.gen';
import type { EventHub } from '../services/event-hub';
import type { Logger } from '../services/logger';
import type { ConnectedHost, HostChange, HostDirectory } from '../vms/host-directory';
import { HOST_COLUMNS, HostSampler, VM_COLUMNS } from './host-sampler';
import type { HistoryBounds } from './stats-history';

export interface StatsSamplerOptions {
  hosts: HostDirectory;
  events: EventHub;
  logger: Logger;
  /** The preferences now; later changes arrive as 'prefs:changed' on `events`. */
  preferences: () => Promise<Preferences>;
  /** Clocks, replaceable in tests: monotonic for deltas, epoch for timestamps. */
  monotonicMs?: () => number;
  epochMs?: () => number;
}

type Target = { connectionId: string; uuid: string };
const keyOf = (t: Target): string => `${t.connectionId}/${t.uuid}`;

/**
 * The statistics sampler: on every tick, one `GetAllDomainStats` (active domains, NOWAIT)
 * and the node CPU/memory counters per connected host, turned into rates, pushed as one
 * 'stats:tick' per host, and kept as history. Only hosts that are connected are sampled;
 * disks, NICs and balloon are asked for when the preferences want them for the list or
 * somebody subscribed to a VM of that host. The interval follows the preferences live.
 */
export class StatsSampler {
  private readonly samplers = new Map<string, HostSampler>();
  /** Subscription leases: VM key → caller → expiry (epoch ms). */
  private readonly leases = new Map<string, Map<string, number>>();
  /** Per loading host, the UUIDs of its 'loading' list (see onListReset). */
  private readonly provisional = new Map<string, Set<string>>();
  private prefs: EffectivePreferences = effectivePreferences({ theme: 'system', locale: null });
  private timer: NodeJS.Timeout | null = null;
  private nextAt = 0;
  private stops: Array<() => void> = [];
  private running = false;
  private readonly monotonic: () => number;
  private readonly epoch: () => number;

  constructor(private readonly options: StatsSamplerOptions) {
    this.monotonic = options.monotonicMs ?? (() => performance.now());
    this.epoch = options.epochMs ?? (() => Date.now());
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.prefs = effectivePreferences(await this.options.preferences());
    this.stops.push(
      this.options.hosts.onChange((change) => this.onHostChange(change)),
      this.options.events.subscribe((event) => this.onEvent(event.name, event.payload)),
    );
    for (const host of this.options.hosts.connectedHosts()) this.attach(host);
    this.schedule(0);
  }

  dispose(): void {
    this.running = false;
    for (const stop of this.stops.splice(0)) stop();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const sampler of this.samplers.values()) sampler.detach();
  }

  get intervalMs(): number {
    return this.prefs.statsIntervalMs;
  }

  /** Per-device detail for a VM until `leaseMs` from now (renew by subscribing again). */
  subscribe(target: Target, caller: string): { leaseMs: number } {
    this.requireHost(target.connectionId);
    let callers = this.leases.get(keyOf(target));
    if (!callers) this.leases.set(keyOf(target), (callers = new Map()));
    callers.set(caller, this.epoch() + STATS_SUBSCRIPTION_LEASE_MS);
    return { leaseMs: STATS_SUBSCRIPTION_LEASE_MS };
  }

  unsubscribe(target: Target, caller: string): { subscribed: boolean } {
    const callers = this.leases.get(keyOf(target));
    const had = callers?.delete(caller) ?? false;
    if (callers?.size === 0) this.leases.delete(keyOf(target));
    return { subscribed: had };
  }

  history(target: Target, range: StatsRange): VmStatsSeries {
    const sampler = this.requireHost(target.connectionId);
    const series = sampler.histories.get(target.uuid)?.query(range, this.epoch());
    const columns = series?.columns ?? [];
    const column = (i: number): (number | null)[] => columns[i] ?? [];
    return {
      connectionId: target.connectionId,
      uuid: target.uuid,
      range,
      stepMs: series?.stepMs ?? (range === '24h' ? 60_000 : this.intervalMs),
      t: series?.t ?? [],
      ...(Object.fromEntries(VM_COLUMNS.map((name, i) => [name, column(i)])) as Record<
        (typeof VM_COLUMNS)[number],
        (number | null)[]
      >),
    };
  }

  hostHistory(connectionId: string, range: StatsRange): HostStatsSeries {
    const series = this.requireHost(connectionId).hostHistory.query(range, this.epoch());
    const [cpu, mem, memUsedKiB] = HOST_COLUMNS.map((_, i) => series.columns[i] ?? []);
    return {
      connectionId,
      range,
      stepMs: series.stepMs,
      t: series.t,
      cpu: cpu ?? [],
      mem: mem ?? [],
      memUsedKiB: memUsedKiB ?? [],
    };
  }

  latest(): StatsTick[] {
    return [...this.samplers.values()].flatMap((s) => (s.latest ? [s.latest] : []));
  }

  /** Bytes the histories hold now (for the memory budget in the report and tests). */
  historyBytes(): number {
    let bytes = 0;
    for (const s of this.samplers.values()) {
      bytes += s.hostHistory.bytes;
      for (const h of s.histories.values()) bytes += h.bytes;
    }
    return bytes;
  }

  private bounds(): HistoryBounds {
    return { intervalMs: this.prefs.statsIntervalMs, historyHours: this.prefs.statsHistoryHours };
  }

  private requireHost(connectionId: string): HostSampler {
    const sampler = this.samplers.get(connectionId);
    if (sampler) return sampler;
    const alias = this.options.hosts.alias(connectionId);
    throw new VirtDeckError({
      kind: this.options.hosts.connectionIds().includes(connectionId) ? 'transport' : 'validation',
      message: `${alias} has no statistics: it has not been connected since VirtDeck started`,
      path: 'connectionId',
    });
  }

  private attach(host: ConnectedHost): void {
    let sampler = this.samplers.get(host.connectionId);
    if (!sampler) {
      sampler = new HostSampler(host.connectionId, this.bounds());
      this.samplers.set(host.connectionId, sampler);
    }
    sampler.attach(host).catch((err: unknown) => {
      this.options.logger.warn(`${host.alias}: statistics cannot start: ${(err as Error).message}`);
    });
  }

  private onHostChange(change: HostChange): void {
    if (change.kind === 'connected') this.attach(change.host);
    else if (change.kind === 'disconnected') this.samplers.get(change.connectionId)?.detach();
    else if (change.kind === 'removed') {
      this.samplers.get(change.connectionId)?.detach();
      this.samplers.delete(change.connectionId);
    }
  }

  private onEvent(name: string, payload: unknown): void {
    if (name === 'prefs:changed') {
      const before = this.prefs;
      this.prefs = effectivePreferences(payload as EventMap['prefs:changed']);
      if (
        before.statsIntervalMs !== this.prefs.statsIntervalMs ||
        before.statsHistoryHours !== this.prefs.statsHistoryHours
      ) {
        for (const s of this.samplers.values()) s.setBounds(this.bounds());
      }
      // A shorter interval takes effect now, not after the old one runs out.
      if (before.statsIntervalMs !== this.prefs.statsIntervalMs) this.schedule(0);
    } else if (name === 'vm:removed') {
      const { connectionId, uuid } = payload as EventMap['vm:removed'];
      this.samplers.get(connectionId)?.forget(uuid);
    } else if (name === 'vm:listReset') {
      this.onListReset(payload as EventMap['vm:listReset']);
    }
  }

  /** Drops the history of VMs a freshly read list no longer has. */
  private onListReset(list: EventMap['vm:listReset']): void {
    const sampler = this.samplers.get(list.connectionId);
    if (list.status === 'loading') {
      // The 'ready' update that follows names only what changed from these rows.
      this.provisional.set(list.connectionId, new Set(list.vms.map((vm) => vm.uuid)));
      return;
    }
    const provisional = this.provisional.get(list.connectionId);
    this.provisional.delete(list.connectionId);
    if (!sampler || list.status !== 'ready') return;
    const present = new Set(list.vms.map((vm) => vm.uuid));
    if (list.update) {
      for (const uuid of provisional ?? []) present.add(uuid);
      for (const uuid of list.update.removed) present.delete(uuid);
      // Without the 'loading' rows (not seen) the update alone cannot tell what is gone.
      if (!provisional) {
        for (const uuid of list.update.removed) sampler.forget(uuid);
        return;
      }
    }
    for (const uuid of [...sampler.histories.keys()]) if (!present.has(uuid)) sampler.forget(uuid);
  }

  private groups(connectionId: string): number {
    const watched = [...this.leases.keys()].some((key) => key.startsWith(`${connectionId}/`));
    let groups = VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_VCPU;
    if (this.prefs.statsMemory || watched) groups |= VIR_DOMAIN_STATS_BALLOON;
    if (this.prefs.statsDisk || watched) groups |= VIR_DOMAIN_STATS_BLOCK;
    if (this.prefs.statsNetwork || watched) groups |= VIR_DOMAIN_STATS_INTERFACE;
    return groups;
  }

  private detailFor(connectionId: string): Set<string> {
    const now = this.epoch();
    const uuids = new Set<string>();
    for (const [key, callers] of this.leases) {
      for (const [caller, expires] of callers) if (expires <= now) callers.delete(caller);
      if (callers.size === 0) this.leases.delete(key);
      else if (key.startsWith(`${connectionId}/`)) uuids.add(key.slice(connectionId.length + 1));
    }
    return uuids;
  }

  /** Ticks at fixed steps from the first; a slow host is skipped, never queued up. */
  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextAt = this.monotonic() + delayMs;
    this.timer = setTimeout(() => this.onTimer(), delayMs);
    // Sampling alone must not keep a host process (or a test worker) alive.
    this.timer.unref();
  }

  private onTimer(): void {
    this.timer = null;
    const interval = this.prefs.statsIntervalMs;
    for (const sampler of this.samplers.values()) {
      if (sampler.connected && !sampler.busy) void this.sample(sampler, interval);
    }
    const now = this.monotonic();
    // Keep the rhythm; after a stall (suspend, a busy loop) start afresh from now.
    let next = this.nextAt + interval;
    if (next <= now) next = now + interval;
    this.schedule(next - now);
  }

  private async sample(sampler: HostSampler, intervalMs: number): Promise<void> {
    sampler.busy = true;
    try {
      const out = await sampler.tick({
        groups: this.groups(sampler.connectionId),
        monotonicMs: this.monotonic(),
        epochMs: this.epoch(),
        intervalMs,
        detailFor: this.detailFor(sampler.connectionId),
      });
      if (!out || !this.running) return;
      this.options.events.emit('stats:tick', out.tick);
      for (const detail of out.details) this.options.events.emit('stats:vm', detail);
    } catch (err) {
      // A dropped link is the connection layer's business; anything else is worth a line.
      if (sampler.connected) {
        this.options.logger.warn(
          `Statistics of ${this.options.hosts.alias(sampler.connectionId)} failed: ${(err as Error).message}`,
        );
      }
    } finally {
      sampler.busy = false;
    }
  }
}
