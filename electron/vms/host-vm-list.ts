import type { ContractError } from '../../shared/contract/errors';
import type {
  VmHostList,
  VmHostListStatus,
  VmListReset,
  VmListUpdate,
  VmPatch,
  VmSummary,
} from '../../shared/contract/vms';
import { toContractError } from '../handlers/to-contract-error';
import type { EventSubscription } from '../libvirt/client/event-subscriptions';
import { isLibvirtError } from '../libvirt/errors';
import { domainGetXml } from '../libvirt/facade/domain';
import type { DomainEvent, DomainEventKind } from '../libvirt/facade/events';
import { VIR_ERR_NO_DOMAIN } from '../libvirt/protocol/constants.gen';
import type { Logger } from '../services/logger';
import { DomainXmlCache } from './domain-xml-cache';
import type { ConnectedHost } from './host-directory';
import { mapWithLimit } from './map-with-limit';
import { readDomainFacts, readHostDomainFacts } from './read-domain-facts';
import { basicVmSummary, diffVmSummary, fullVmSummary } from './vm-summary';

/** Where a host's list changes go (the VmService turns them into contract events). */
export interface VmListSink {
  reset(list: VmListReset): void;
  added(vm: VmSummary): void;
  changed(connectionId: string, uuid: string, patch: VmPatch): void;
  removed(connectionId: string, uuid: string, name: string): void;
}

/**
 * The events that can change what the list shows. Autostart and managed-save removal have
 * no event in libvirt; our own actions re-read the VM afterwards to cover them.
 */
export const WATCHED_DOMAIN_EVENTS: readonly DomainEventKind[] = [
  'lifecycle',
  'metadata-change',
  'device-added',
  'device-removed',
  'balloon-change',
  'disk-change',
  'tray-change',
  'pm-suspend',
  'pm-wakeup',
  'tunable',
  'control-error',
];

// Enough to keep the RPC link's in-flight slots full while XML is parsed in between.
const XML_CONCURRENCY = 16;
const REMEMBERED_REMOVALS = 256;
/**
 * Delays of the re-reads of a VM seen active with its save image still on disk. libvirt
 * queues a restore's lifecycle event before it deletes the image, and the deletion has no
 * event of its own; an action of ours re-reads the VM once it settles, but a restore started
 * elsewhere (virsh start) would otherwise leave the flag stale until the VM's next event.
 */
const SETTLE_DELAYS_MS = [250, 1000, 4000] as const;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : typeof err);

interface RefreshState {
  running: Promise<void>;
  again: boolean;
}

/** How the loaded rows differ from the provisional ones (`full[i]` is `basic[i]` read, or null if gone). */
function provisionalUpdate(
  basic: readonly VmSummary[],
  full: ReadonlyArray<VmSummary | null>,
): VmListUpdate {
  const update: VmListUpdate = { changed: [], removed: [] };
  basic.forEach((row, i) => {
    const vm = full[i];
    if (!vm) {
      update.removed.push(row.uuid);
      return;
    }
    const patch = diffVmSummary(row, vm);
    if (Object.keys(patch).length > 0) update.changed.push({ uuid: row.uuid, patch });
  });
  return update;
}

/**
 * One connected host's VMs: read once on connect (identity and state in a few bulk calls,
 * then each domain's XML), then kept current only by libvirt's domain events — every event
 * re-reads just that VM and reports the fields that changed. Nothing is polled.
 */
export class HostVmList {
  private statusNow: VmHostListStatus = 'loading';
  private errorNow: ContractError | undefined;
  private readonly vms = new Map<string, VmSummary>();
  /** While loading: the rows known before their XML is read (identity and state). */
  private provisional: VmSummary[] = [];
  /** Names of VMs that went away, so a late action can still name them. */
  private readonly removedNames = new Map<string, string>();
  private readonly refreshes = new Map<string, RefreshState>();
  /** VMs waiting for a settle re-read (see SETTLE_DELAYS_MS): the timer and attempts made. */
  private readonly settling = new Map<
    string,
    { timer: ReturnType<typeof setTimeout> | null; attempts: number }
  >();
  /** Events that arrived while loading: those VMs are read again once the list is ready. */
  private dirtyWhileLoading = new Set<string>();
  private subscription: EventSubscription | null = null;
  private loading: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    readonly host: ConnectedHost,
    private readonly sink: VmListSink,
    private readonly logger: Logger,
    /** Parsed XML kept across reconnects of this host (see DomainXmlCache). */
    private readonly xmlCache: DomainXmlCache = new DomainXmlCache(),
  ) {}

  get status(): VmHostListStatus {
    return this.statusNow;
  }

  get error(): ContractError | undefined {
    return this.errorNow;
  }

  get connectionId(): string {
    return this.host.connectionId;
  }

  /** Subscribes to events first (so nothing is missed), then reads the list. */
  start(): Promise<void> {
    this.loading = this.load();
    return this.loading;
  }

  /** Settles when the first load has finished (successfully or not). */
  whenLoaded(): Promise<void> {
    return this.loading;
  }

  dispose(): void {
    this.disposed = true;
    this.subscription?.();
    this.subscription = null;
    for (const { timer } of this.settling.values()) if (timer) clearTimeout(timer);
    this.settling.clear();
  }

  /** The VMs; while loading, the provisional rows (identity and state only). */
  list(): VmSummary[] {
    return this.statusNow === 'loading' ? [...this.provisional] : [...this.vms.values()];
  }

  get(uuid: string): VmSummary | undefined {
    return this.vms.get(uuid);
  }

  /** The name of a VM in the list, or of one removed a moment ago. */
  nameOf(uuid: string): string | undefined {
    return this.vms.get(uuid)?.name ?? this.removedNames.get(uuid);
  }

  /**
   * Reads one VM again and reports what changed (or that it is gone). Calls made while one
   * runs coalesce into one more read, so the last event always wins.
   */
  refresh(uuid: string): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.statusNow !== 'ready') {
      this.dirtyWhileLoading.add(uuid);
      return this.loading;
    }
    const current = this.refreshes.get(uuid);
    if (current) {
      current.again = true;
      return current.running;
    }
    const state: RefreshState = { running: Promise.resolve(), again: false };
    state.running = (async () => {
      try {
        do {
          state.again = false;
          await this.readOne(uuid);
        } while (state.again && !this.disposed);
      } finally {
        this.refreshes.delete(uuid);
      }
    })();
    this.refreshes.set(uuid, state);
    return state.running;
  }

  private onEvent(event: DomainEvent): void {
    if (this.disposed) return;
    const vm = this.vms.get(event.dom.uuid);
    if (event.kind === 'balloon-change' && vm && this.statusNow === 'ready') {
      // The event carries the new value: no need to ask the daemon.
      const memoryKiB = Number(event.actualKiB);
      if (memoryKiB !== vm.memoryKiB) this.apply({ ...vm, memoryKiB });
      return;
    }
    void this.refresh(event.dom.uuid);
  }

  private async load(): Promise<void> {
    const { client, connectionId } = this.host;
    try {
      this.subscription = client.events.onDomainEvent((event) => this.onEvent(event), {
        kinds: WATCHED_DOMAIN_EVENTS,
      });
      await this.subscription.ready;
      const { refs, facts, sizes } = await readHostDomainFacts(client, connectionId);
      if (this.disposed) return;
      for (const ref of refs) if (!facts.has(ref.uuid)) this.dirtyWhileLoading.add(ref.uuid);
      const basic = [...facts.values()].map((f) => basicVmSummary(f, sizes.get(f.uuid)));
      // Rows are known now; titles, tags and disks follow with the 'ready' list's update.
      this.provisional = basic;
      this.sink.reset({ ...this.header(), vms: basic });
      const full = await mapWithLimit(basic, XML_CONCURRENCY, async (row) => {
        if (this.disposed) return row;
        try {
          const xml = await domainGetXml(client, {
            name: row.name,
            uuid: row.uuid,
            id: row.id ?? -1,
          });
          const f = facts.get(row.uuid);
          if (!f) return row;
          const vm = fullVmSummary(f, this.xmlCache.read(row.uuid, xml));
          await this.xmlCache.breathe();
          return vm;
        } catch (err) {
          if (isLibvirtError(err, VIR_ERR_NO_DOMAIN)) return null;
          this.logger.warn(
            `${this.host.alias}: cannot read the XML of ${row.name}: ${messageOf(err)}`,
          );
          return row;
        }
      });
      if (this.disposed) return;
      for (const vm of full) if (vm) this.vms.set(vm.uuid, vm);
      this.xmlCache.retainOnly(new Set(this.vms.keys()));
      const update = provisionalUpdate(basic, full);
      this.provisional = [];
      this.statusNow = 'ready';
      // The renderer has the provisional rows already: it gets what the XML added, not the
      // whole list again (for thousands of VMs that was a megabyte parsed twice).
      this.sink.reset({ ...this.header(), vms: [], update });
      const dirty = this.dirtyWhileLoading;
      this.dirtyWhileLoading = new Set();
      for (const uuid of dirty) void this.refresh(uuid);
    } catch (err) {
      if (this.disposed) return;
      this.provisional = [];
      this.statusNow = 'failed';
      this.errorNow = toContractError(err);
      this.logger.warn(`${this.host.alias}: the VM list could not be read: ${messageOf(err)}`);
      this.sink.reset({ ...this.header(), vms: [] });
    }
  }

  private header(): VmHostList {
    return {
      connectionId: this.host.connectionId,
      alias: this.host.alias,
      status: this.statusNow,
      ...(this.statusNow === 'failed' && this.errorNow ? { error: this.errorNow } : {}),
    };
  }

  private async readOne(uuid: string): Promise<void> {
    const { client, connectionId } = this.host;
    try {
      const { ref, facts } = await readDomainFacts(client, connectionId, uuid);
      const xml = this.xmlCache.read(uuid, await domainGetXml(client, ref));
      if (this.disposed) return;
      this.apply(fullVmSummary(facts, xml));
      this.settleLater(uuid, facts.id >= 0 && facts.hasManagedSave);
    } catch (err) {
      if (this.disposed) return;
      if (isLibvirtError(err, VIR_ERR_NO_DOMAIN)) {
        this.settleLater(uuid, false);
        this.remove(uuid);
        return;
      }
      // A link failure ends the list anyway (the host reloads on reconnect).
      this.logger.warn(
        `${this.host.alias}: cannot read VM ${this.nameOf(uuid) ?? uuid}: ${messageOf(err)}`,
      );
    }
  }

  /**
   * An active VM with a save image is a restore in progress: libvirt deletes the image just
   * after it. Reads it again a few times (bounded) until the flag is gone; any other state
   * ends the re-reads.
   */
  private settleLater(uuid: string, transient: boolean): void {
    const entry = this.settling.get(uuid);
    if (!transient) {
      if (entry?.timer) clearTimeout(entry.timer);
      this.settling.delete(uuid);
      return;
    }
    if (entry?.timer) return;
    const attempts = entry?.attempts ?? 0;
    const delay = SETTLE_DELAYS_MS[attempts];
    if (delay === undefined) return;
    const timer = setTimeout(() => {
      this.settling.set(uuid, { timer: null, attempts: attempts + 1 });
      void this.refresh(uuid);
    }, delay);
    this.settling.set(uuid, { timer, attempts });
  }

  private apply(next: VmSummary): void {
    const prev = this.vms.get(next.uuid);
    this.vms.set(next.uuid, next);
    if (!prev) {
      this.removedNames.delete(next.uuid);
      this.sink.added(next);
      return;
    }
    const patch = diffVmSummary(prev, next);
    if (Object.keys(patch).length > 0) this.sink.changed(next.connectionId, next.uuid, patch);
  }

  private remove(uuid: string): void {
    const vm = this.vms.get(uuid);
    if (!vm) return;
    this.vms.delete(uuid);
    this.xmlCache.forget(uuid);
    this.removedNames.set(uuid, vm.name);
    if (this.removedNames.size > REMEMBERED_REMOVALS) {
      const oldest = this.removedNames.keys().next().value;
      if (oldest !== undefined) this.removedNames.delete(oldest);
    }
    this.sink.removed(vm.connectionId, uuid, vm.name);
  }
}
