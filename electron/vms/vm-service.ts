import { VirtDeckError } from '../../shared/contract/errors';
import type {
  VmBulkAction,
  VmBulkResult,
  VmDeletePlan,
  VmDeleteRequest,
  VmDeleteResult,
  VmHostList,
  VmList,
  VmRef,
  VmSummary,
  VmTarget,
} from '../../shared/contract/vms';
import { VIRTDECK_METADATA_NS, VIRTDECK_METADATA_PREFIX } from '../../shared/contract/vms';
import { toContractError } from '../handlers/to-contract-error';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { isLibvirtError } from '../libvirt/errors';
import { domainSetMetadata, domainStart, type DomainRef } from '../libvirt/facade/domain';
import { VIR_ERR_NO_DOMAIN } from '../libvirt/protocol/constants.gen';
import type { EventHub } from '../services/event-hub';
import type { Logger } from '../services/logger';
import type { ConnectedHost, HostChange, HostDirectory } from './host-directory';
import { DomainXmlCache } from './domain-xml-cache';
import { HostVmList, type VmListSink } from './host-vm-list';
import { mapWithLimit } from './map-with-limit';
import { lookupDomainByUuid } from './read-domain-facts';
import { vmActionError, vmRefusal } from './vm-action-error';
import { vmActions } from './vm-actions';
import { deleteVm } from './vm-delete';
import { planVmDelete, publicPlan } from './vm-delete-plan';
import { normalizeTags, tagsMetadataXml } from './vm-tags';

export interface VmServiceOptions {
  hosts: HostDirectory;
  events: EventHub;
  logger: Logger;
}

/** What an action runs against: the host, its list, and the VM as the list knows it. */
interface Resolved {
  host: ConnectedHost;
  list: HostVmList;
  dom: DomainRef;
  name: string;
  vm: VmSummary | undefined;
}

/** A VmAction, or one that also needs the VM as listed (undefined when not listed yet). */
interface ServiceAction {
  verb: string;
  run(c: LibvirtClient, dom: DomainRef, vm: VmSummary | undefined): Promise<unknown>;
}

const BULK_CONCURRENCY = 4;

/**
 * Every VM on every connected host, kept current from libvirt's events (one HostVmList per
 * host, started on connect and dropped on disconnect), and the lifecycle actions. An action
 * answers once libvirt accepted it and the VM has been read again; the new state reaches the
 * renderer as 'vm:changed'.
 */
export class VmService {
  private readonly lists = new Map<string, HostVmList>();
  /** Per host, kept while the host is disconnected so a reconnect parses only what changed. */
  private readonly xmlCaches = new Map<string, DomainXmlCache>();
  private stopWatching: (() => void) | null = null;

  constructor(private readonly options: VmServiceOptions) {}

  /** Starts following the connection layer; hosts already connected are loaded now. */
  start(): void {
    if (this.stopWatching) return;
    this.stopWatching = this.options.hosts.onChange((change) => this.onHostChange(change));
    for (const host of this.options.hosts.connectedHosts()) this.attach(host);
  }

  dispose(): void {
    this.stopWatching?.();
    this.stopWatching = null;
    for (const list of this.lists.values()) list.dispose();
    this.lists.clear();
    this.xmlCaches.clear();
  }

  /** Settles when every connected host's list has been read (for tests and start-up). */
  async whenLoaded(): Promise<void> {
    await Promise.all([...this.lists.values()].map((l) => l.whenLoaded()));
  }

  list(connectionId?: string): VmList {
    const ids = this.options.hosts.connectionIds();
    for (const id of this.lists.keys()) if (!ids.includes(id)) ids.push(id);
    const hosts: VmHostList[] = ids
      .filter((id) => connectionId === undefined || id === connectionId)
      .map((id) => {
        const list = this.lists.get(id);
        const alias = this.options.hosts.alias(id);
        if (!list) return { connectionId: id, alias, status: 'disconnected' };
        return {
          connectionId: id,
          alias,
          status: list.status,
          ...(list.error ? { error: list.error } : {}),
        };
      });
    const vms = hosts.flatMap((h) => this.lists.get(h.connectionId)?.list() ?? []);
    return { hosts, vms };
  }

  /**
   * Reads one VM's row again (or drops it): for changes libvirt sends no event for, such as
   * a migration's undefine-source (libvirt 9.0 reports only 'stopped/migrated').
   */
  reread(target: VmTarget): Promise<void> {
    return this.lists.get(target.connectionId)?.refresh(target.uuid) ?? Promise.resolve();
  }

  async get(target: VmTarget): Promise<VmSummary> {
    const list = this.listOf(target.connectionId, 'find');
    if (list.status === 'loading') await list.whenLoaded();
    const vm = list.get(target.uuid);
    if (!vm) {
      const name = list.nameOf(target.uuid);
      throw new VirtDeckError({
        kind: 'validation',
        message: name
          ? `${name} no longer exists on ${list.host.alias}`
          : `There is no VM with UUID ${target.uuid} on ${list.host.alias}`,
        path: 'uuid',
      });
    }
    return vm;
  }

  startVm(
    target: VmTarget,
    options: { paused?: boolean; forceBoot?: boolean } = {},
  ): Promise<VmRef> {
    return this.act(target, {
      verb: 'start',
      run: (c, dom) => domainStart(c, dom, options),
    });
  }

  /** One argument-less action (vm:shutdown, vm:pause, …, and the bulk ones). */
  async run(action: VmBulkAction, target: VmTarget): Promise<VmRef> {
    if (action === 'restore') {
      const resolved = await this.resolve(target, vmActions.restore.verb);
      if (resolved.vm && !resolved.vm.hasManagedSave) {
        throw vmRefusal(`${resolved.name} on ${resolved.host.alias} has no saved state to restore`);
      }
    }
    return this.act(target, vmActions[action]);
  }

  setAutostart(target: VmTarget, autostart: boolean): Promise<VmRef> {
    return this.run(autostart ? 'autostartOn' : 'autostartOff', target);
  }

  /**
   * Stores the tags in our `<metadata>` element, in the running definition and the
   * persistent one as the VM has them, so they travel with the VM to every client.
   */
  async setTags(target: VmTarget, tags: readonly string[]): Promise<{ tags: string[] }> {
    const normalized = normalizeTags(tags);
    await this.act(target, {
      verb: 'set the tags of',
      run: async (c, dom, vm) => {
        const active = vm ? vm.id !== null : dom.id >= 0;
        const persistent = vm?.persistent ?? true;
        await domainSetMetadata(c, dom, {
          type: 'element',
          uri: VIRTDECK_METADATA_NS,
          key: VIRTDECK_METADATA_PREFIX,
          value: tagsMetadataXml(normalized),
          live: active,
          config: persistent,
        });
      },
    });
    return { tags: normalized };
  }

  async deletePlan(target: VmTarget): Promise<VmDeletePlan> {
    const r = await this.resolve(target, 'delete');
    try {
      const vm = r.vm ?? (await this.fresh(r));
      return publicPlan(await planVmDelete(r.host.client, vm, r.host.alias, r.list.list()));
    } catch (err) {
      throw vmActionError('plan the deletion of', r.name, r.host.alias, err);
    }
  }

  async delete(request: VmDeleteRequest): Promise<VmDeleteResult> {
    const r = await this.resolve(request, 'delete');
    try {
      // A fresh read: the plan must match the VM as it is now, not as it was listed.
      const vm = await this.fresh(r);
      const plan = await planVmDelete(r.host.client, vm, r.host.alias, r.list.list());
      return await deleteVm(r.host.client, r.dom, plan, request);
    } catch (err) {
      throw vmActionError('delete', r.name, r.host.alias, err);
    } finally {
      void r.list.refresh(r.dom.uuid);
    }
  }

  async bulk(action: VmBulkAction, targets: readonly VmTarget[]): Promise<VmBulkResult> {
    const results = await mapWithLimit(targets, BULK_CONCURRENCY, async (target) => {
      try {
        await this.run(action, target);
        return { connectionId: target.connectionId, uuid: target.uuid, ok: true as const };
      } catch (err) {
        return {
          connectionId: target.connectionId,
          uuid: target.uuid,
          ok: false as const,
          error: toContractError(err),
        };
      }
    });
    return { results };
  }

  private async act(target: VmTarget, action: ServiceAction): Promise<VmRef> {
    const r = await this.resolve(target, action.verb);
    try {
      await action.run(r.host.client, r.dom, r.vm);
    } catch (err) {
      if (isLibvirtError(err, VIR_ERR_NO_DOMAIN)) void r.list.refresh(r.dom.uuid);
      throw vmActionError(action.verb, r.name, r.host.alias, err);
    }
    // Autostart and managed-save removal have no libvirt event, and a restore's lifecycle
    // event is queued before libvirt deletes the save image: read the VM again now that the
    // action has settled, and answer once the list shows it (refresh never rejects).
    await r.list.refresh(r.dom.uuid);
    return { connectionId: target.connectionId, uuid: r.dom.uuid, name: r.name };
  }

  /**
   * The host and the VM an action is for. A VM the list does not have (defined a moment
   * ago, or undefined meanwhile) is looked up once; libvirt's "no domain" error is then
   * what the user reads, with the VM's last known name and the host.
   */
  private async resolve(target: VmTarget, verb: string): Promise<Resolved> {
    const list = this.listOf(target.connectionId, verb);
    const host = list.host;
    const vm = list.get(target.uuid);
    if (vm) {
      return {
        host,
        list,
        vm,
        name: vm.name,
        dom: { name: vm.name, uuid: vm.uuid, id: vm.id ?? -1 },
      };
    }
    const name = list.nameOf(target.uuid) ?? target.uuid;
    try {
      const dom = await lookupDomainByUuid(host.client, target.uuid);
      void list.refresh(dom.uuid);
      return { host, list, vm: undefined, name: dom.name, dom };
    } catch (err) {
      throw vmActionError(verb, name, host.alias, err);
    }
  }

  private async fresh(r: Resolved): Promise<VmSummary> {
    await r.list.refresh(r.dom.uuid);
    const vm = r.list.get(r.dom.uuid);
    if (vm) return vm;
    // Gone meanwhile: let libvirt say so, in its words.
    await lookupDomainByUuid(r.host.client, r.dom.uuid);
    throw vmRefusal(`${r.name} on ${r.host.alias} is not in the list yet; try again`);
  }

  private listOf(connectionId: string, verb: string): HostVmList {
    const list = this.lists.get(connectionId);
    if (list) return list;
    const alias = this.options.hosts.alias(connectionId);
    const known = this.options.hosts.connectionIds().includes(connectionId);
    throw new VirtDeckError({
      kind: known ? 'transport' : 'validation',
      message: known
        ? `Cannot ${verb} a VM on ${alias}: ${alias} is not connected`
        : `No saved connection has id ${connectionId}`,
      path: 'connectionId',
    });
  }

  private onHostChange(change: HostChange): void {
    if (change.kind === 'connected') {
      this.attach(change.host);
    } else if (change.kind === 'renamed') {
      const list = this.lists.get(change.connectionId);
      if (list) list.host.alias = change.alias;
    } else if (change.kind === 'disconnected' || change.kind === 'removed') {
      this.detach(change.connectionId, change.kind === 'disconnected' ? change.alias : undefined);
      if (change.kind === 'removed') this.xmlCaches.delete(change.connectionId);
    }
  }

  /** (Re)reads a host's list; a reconnect with the same client starts over too (events were missed). */
  private attach(host: ConnectedHost): void {
    this.lists.get(host.connectionId)?.dispose();
    let cache = this.xmlCaches.get(host.connectionId);
    if (!cache) this.xmlCaches.set(host.connectionId, (cache = new DomainXmlCache()));
    const list = new HostVmList(host, this.sink(), this.options.logger, cache);
    this.lists.set(host.connectionId, list);
    void list.start();
  }

  private detach(connectionId: string, alias: string | undefined): void {
    const list = this.lists.get(connectionId);
    if (!list) return;
    list.dispose();
    this.lists.delete(connectionId);
    this.options.events.emit('vm:listReset', {
      connectionId,
      alias: alias ?? list.host.alias,
      status: 'disconnected',
      vms: [],
    });
  }

  private sink(): VmListSink {
    const { events } = this.options;
    return {
      reset: (list) => events.emit('vm:listReset', list),
      added: (vm) => events.emit('vm:added', vm),
      changed: (connectionId, uuid, patch) =>
        events.emit('vm:changed', { connectionId, uuid, patch }),
      removed: (connectionId, uuid, name) =>
        events.emit('vm:removed', { connectionId, uuid, name }),
    };
  }
}
