import type { HostStatsSample, StatsTick, VmStatsDetail } from '../../shared/contract/stats';
import { isUnsupportedProcedure, isLibvirtError } from '../libvirt/errors';
import { nodeGetCpuStats, nodeGetInfo, nodeGetMemoryStats } from '../libvirt/facade/node';
import type { DomainRef } from '../libvirt/facade/domain-ref';
import { connectGetAllDomainStats } from '../libvirt/facade/stats';
import {
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE,
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT,
  VIR_ERR_NO_SUPPORT,
} from '../libvirt/protocol/constants.gen';
import type { ConnectedHost } from '../vms/host-directory';
import { hostCpuPercent, hostMemory, type NodeCpuTimes } from './host-sample';
import { StatsHistory, type HistoryBounds } from './stats-history';
import { enableMemoryStats } from './memory-stats-period';
import { readVmCounters, type VmCounters } from './vm-counters';
import { computeVmSample, type TimedCounters, type VmSample } from './vm-sample';

/** The VM history's columns, in StatsTick's order. */
export const VM_COLUMNS = ['cpu', 'cpuGuest', 'mem', 'diskRd', 'diskWr', 'netRx', 'netTx'] as const;
export const VM_DECIMALS = [2, 2, 2, 0, 0, 0, 0] as const;
/** Percentages (0–100, two decimals) and byte rates: 2 bytes each (see column-codec.ts). */
export const VM_CODECS = ['centi', 'centi', 'centi', 'log16', 'log16', 'log16', 'log16'] as const;
/** The host history's columns. */
export const HOST_COLUMNS = ['cpu', 'mem', 'memUsedKiB'] as const;

export interface TickInput {
  /** VIR_DOMAIN_STATS_* groups to ask for. */
  groups: number;
  /** Monotonic ms (deltas) and epoch ms (what the renderer sees), read just before the call. */
  monotonicMs: number;
  epochMs: number;
  intervalMs: number;
  /** VMs whose per-device detail is wanted. */
  detailFor: ReadonlySet<string>;
}

export interface TickOutput {
  tick: StatsTick;
  details: VmStatsDetail[];
}

const unsupported = (err: unknown): boolean =>
  isUnsupportedProcedure(err) || isLibvirtError(err, VIR_ERR_NO_SUPPORT);

/**
 * One host's sampling state: the previous counters per VM, and the histories. Kept across
 * disconnects (a graph survives a daemon restart); counters start over on reconnect.
 */
export class HostSampler {
  private host: ConnectedHost | null = null;
  private generation = 0;
  private hostCpus = 1;
  private prev = new Map<string, TimedCounters>();
  private prevCpu: NodeCpuTimes | null = null;
  /** Drivers without node memory stats (test) are not asked again every tick. */
  private memoryStatsSupported = true;
  private cpuStatsSupported = true;
  /** Running domains (uuid/ID) already asked to report balloon statistics. */
  private memoryStatsAsked = new Set<string>();
  readonly histories = new Map<string, StatsHistory>();
  readonly hostHistory: StatsHistory;
  latest: StatsTick | null = null;
  busy = false;

  constructor(
    readonly connectionId: string,
    private bounds: HistoryBounds,
  ) {
    this.hostHistory = new StatsHistory({ decimals: [2, 2, 0], float64: true }, bounds);
  }

  get connected(): boolean {
    return this.host !== null;
  }

  /** Starts (again) on a fresh link: counters from before cannot be compared with new ones. */
  async attach(host: ConnectedHost): Promise<void> {
    const generation = ++this.generation;
    this.host = null;
    this.prev.clear();
    this.memoryStatsAsked.clear();
    this.prevCpu = null;
    this.memoryStatsSupported = true;
    this.cpuStatsSupported = true;
    // "% of host" divides by the host's active CPUs, as virt-manager does.
    const cpus = (await nodeGetInfo(host.client)).cpus;
    if (generation !== this.generation) return;
    this.hostCpus = Math.max(1, cpus);
    this.host = host;
  }

  detach(): void {
    this.generation++;
    this.host = null;
    this.latest = null;
  }

  setBounds(bounds: HistoryBounds): void {
    this.bounds = bounds;
    this.hostHistory.setBounds(bounds);
    for (const history of this.histories.values()) history.setBounds(bounds);
  }

  forget(uuid: string): void {
    this.histories.delete(uuid);
    this.prev.delete(uuid);
  }

  async tick(input: TickInput): Promise<TickOutput | null> {
    const host = this.host;
    if (!host) return null;
    const [records, hostSample] = await Promise.all([
      connectGetAllDomainStats(host.client, {
        stats: input.groups,
        flags: VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE | VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT,
      }),
      this.sampleNode(host),
    ]);
    if (host !== this.host) return null;
    const tick: StatsTick = {
      connectionId: this.connectionId,
      t: input.epochMs,
      intervalMs: input.intervalMs,
      host: hostSample,
      uuids: [],
      cpu: [],
      cpuGuest: [],
      mem: [],
      diskRd: [],
      diskWr: [],
      netRx: [],
      netTx: [],
    };
    const details: VmStatsDetail[] = [];
    const seen = new Map<string, TimedCounters>();
    for (const { dom, stats } of records) {
      const cur: TimedCounters = {
        atMs: input.monotonicMs,
        counters: readVmCounters(dom.id, stats),
      };
      this.askForMemoryStats(host, dom, cur.counters);
      seen.set(dom.uuid, cur);
      const sample = computeVmSample(this.prev.get(dom.uuid) ?? null, cur, this.hostCpus);
      tick.uuids.push(dom.uuid);
      const row = VM_COLUMNS.map((column) => sample[column]);
      VM_COLUMNS.forEach((column, i) => tick[column].push(row[i] ?? null));
      this.historyOf(dom.uuid).push(input.epochMs, row);
      if (input.detailFor.has(dom.uuid)) details.push(this.detail(dom.uuid, input.epochMs, sample));
    }
    // Stopped VMs drop out: their next start compares with nothing.
    this.prev = seen;
    for (const key of this.memoryStatsAsked) {
      if (!seen.has(key.slice(0, key.indexOf('/')))) this.memoryStatsAsked.delete(key);
    }
    if (hostSample) {
      this.hostHistory.push(input.epochMs, [
        hostSample.cpuPct,
        hostSample.memPct,
        hostSample.memUsedKiB,
      ]);
    }
    this.latest = tick;
    return { tick, details };
  }

  /**
   * Once per run of a domain: a balloon without guest statistics gets a reporting period, so
   * the memory percentage appears from the next ticks on. A VM without a balloon driver
   * refuses, and stays "—".
   */
  private askForMemoryStats(host: ConnectedHost, dom: DomainRef, c: VmCounters): void {
    if (
      c.balloonCurrentKiB === null ||
      c.balloonUnusedKiB !== null ||
      c.balloonUsableKiB !== null
    ) {
      return;
    }
    const key = `${dom.uuid}/${dom.id}`;
    if (this.memoryStatsAsked.has(key)) return;
    this.memoryStatsAsked.add(key);
    enableMemoryStats(host.client, dom).catch(() => {
      // No balloon device or driver: nothing to report, nothing to fix.
    });
  }

  private historyOf(uuid: string): StatsHistory {
    let history = this.histories.get(uuid);
    if (!history) {
      history = new StatsHistory({ decimals: VM_DECIMALS, codecs: VM_CODECS }, this.bounds);
      this.histories.set(uuid, history);
    }
    return history;
  }

  private detail(uuid: string, t: number, s: VmSample): VmStatsDetail {
    return {
      connectionId: this.connectionId,
      uuid,
      t,
      cpu: s.cpu,
      cpuGuest: s.cpuGuest,
      mem: s.mem,
      memCurrentKiB: s.memCurrentKiB,
      memUsedKiB: s.memUsedKiB,
      disks: s.disks.map((d) => ({ name: d.name, rdBps: d.in, wrBps: d.out })),
      nets: s.nets.map((d) => ({ name: d.name, rxBps: d.in, txBps: d.out })),
      vcpus: s.vcpus,
    };
  }

  /** Host CPU and memory; a driver without node stats gives nulls, not a failed tick. */
  private async sampleNode(host: ConnectedHost): Promise<HostStatsSample | null> {
    const [cpu, mem] = await Promise.all([
      this.cpuStatsSupported
        ? nodeGetCpuStats(host.client).catch((err: unknown) => {
            if (!unsupported(err)) throw err;
            this.cpuStatsSupported = false;
            return null;
          })
        : null,
      this.memoryStatsSupported
        ? nodeGetMemoryStats(host.client).catch((err: unknown) => {
            if (!unsupported(err)) throw err;
            this.memoryStatsSupported = false;
            return null;
          })
        : null,
    ]);
    const cpuPct = cpu ? hostCpuPercent(this.prevCpu, cpu) : null;
    if (cpu) this.prevCpu = cpu;
    return { cpuPct, ...hostMemory(mem), cpus: this.hostCpus };
  }
}
