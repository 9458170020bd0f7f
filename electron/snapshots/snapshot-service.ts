import type { ParsedInputOf } from '../../shared/contract/channels';
import type {
  SnapshotCapabilities,
  SnapshotChange,
  SnapshotNode,
  SnapshotThumbnail,
  SnapshotTree,
} from '../../shared/contract/snapshots';
import type { VmRef, VmTarget } from '../../shared/contract/vms';
import { parseXml, readSnapshot } from '../../shared/xml';
import { isPng, pngFromPpm } from '../consoles/png-from-ppm';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import type { EventSubscription } from '../libvirt/client/event-subscriptions';
import {
  domainGetXml,
  domainIsActive,
  domainScreenshot,
  type DomainRef,
} from '../libvirt/facade/domain';
import { domainRefToRemote } from '../libvirt/facade/domain-ref';
import { connectGetLibVersion } from '../libvirt/facade/node';
import {
  VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL,
  VIR_ERR_NO_DOMAIN_SNAPSHOT,
} from '../libvirt/protocol/constants.gen';
import { isLibvirtError } from '../libvirt/errors';
import {
  snapshotCreateXml,
  snapshotDelete,
  snapshotGetXml,
  snapshotList,
  snapshotLookup,
  snapshotRevert,
  type SnapshotRef,
} from '../libvirt/facade/snapshot';
import type { EventHub } from '../services/event-hub';
import type { Logger } from '../services/logger';
import type { HostChange, HostDirectory } from '../vms/host-directory';
import { lookupDomainByUuid } from '../vms/read-domain-facts';
import { vmActionError, vmRefusal } from '../vms/vm-action-error';
import { setSnapshotDescription, serializeXml } from '../../shared/xml';
import {
  readSnapshotDomainFacts,
  snapshotCapabilities,
  type SnapshotDomainFacts,
} from './snapshot-capabilities';
import { planSnapshotCreate } from './snapshot-create-plan';
import type { SnapshotThumbnails } from './snapshot-thumbnails';
import { buildSnapshotTree, descendantNames, type SnapshotRecord } from './snapshot-tree';

export interface SnapshotServiceOptions {
  hosts: HostDirectory;
  events: EventHub;
  logger: Logger;
  thumbnails: SnapshotThumbnails;
}

/** A VM resolved on its host, with what decides its snapshot capabilities. */
interface VmContext {
  c: LibvirtClient;
  alias: string;
  dom: DomainRef;
  facts: SnapshotDomainFacts;
  caps: SnapshotCapabilities;
}

/**
 * Snapshots of VMs, read from libvirt on every call (libvirt has no snapshot events: we
 * announce our own changes, and a revert by anyone through the lifecycle events'
 * from-snapshot detail). Thumbnails live in our config folder.
 */
export class SnapshotService {
  private stopWatching: (() => void) | null = null;
  private readonly subscriptions = new Map<string, EventSubscription>();

  constructor(private readonly options: SnapshotServiceOptions) {}

  start(): void {
    if (this.stopWatching) return;
    this.stopWatching = this.options.hosts.onChange((change) => this.onHostChange(change));
    for (const host of this.options.hosts.connectedHosts()) {
      this.onHostChange({ kind: 'connected', host });
    }
  }

  dispose(): void {
    this.stopWatching?.();
    this.stopWatching = null;
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
  }

  private onHostChange(change: HostChange): void {
    if (change.kind === 'renamed') return;
    const id = change.kind === 'connected' ? change.host.connectionId : change.connectionId;
    this.subscriptions.get(id)?.();
    this.subscriptions.delete(id);
    if (change.kind !== 'connected') return;
    const subscription = change.host.client.events.onDomainEvent(
      (event) => {
        if (event.kind === 'lifecycle' && event.detailName === 'from-snapshot') {
          this.changed(id, event.dom.uuid, 'reverted', null);
        }
      },
      { kinds: ['lifecycle'] },
    );
    subscription.ready.catch((err: unknown) =>
      this.options.logger.warn(
        `${change.host.alias}: no snapshot revert events: ${messageOf(err)}`,
      ),
    );
    this.subscriptions.set(id, subscription);
  }

  private changed(
    connectionId: string,
    uuid: string,
    change: SnapshotChange,
    name: string | null,
  ): void {
    this.options.events.emit('snapshot:changed', { connectionId, uuid, change, name });
  }

  private async context(target: VmTarget): Promise<VmContext> {
    const host = this.options.hosts.host(target.connectionId);
    if (!host) throw vmRefusal(`${this.options.hosts.alias(target.connectionId)} is not connected`);
    const c = host.client;
    try {
      const dom = await lookupDomainByUuid(c, target.uuid);
      const [xml, active, libVersion, external] = await Promise.all([
        domainGetXml(c, dom),
        domainIsActive(c, dom),
        connectGetLibVersion(c),
        c.remote.domainListAllSnapshots({
          dom: domainRefToRemote(dom),
          need_results: 0,
          flags: VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL,
        }),
      ]);
      const facts = readSnapshotDomainFacts(parseXml(xml));
      const caps = snapshotCapabilities(
        facts,
        libVersion,
        { active, externalSnapshots: external.ret },
        target,
      );
      return { c, alias: host.alias, dom, facts, caps };
    } catch (err) {
      throw vmActionError('read the snapshot settings of', `VM ${target.uuid}`, host.alias, err);
    }
  }

  async capabilities(target: VmTarget): Promise<SnapshotCapabilities> {
    return (await this.context(target)).caps;
  }

  async list(target: VmTarget): Promise<SnapshotTree> {
    const host = this.options.hosts.host(target.connectionId);
    if (!host) throw vmRefusal(`${this.options.hosts.alias(target.connectionId)} is not connected`);
    let name = `VM ${target.uuid}`;
    try {
      const dom = await lookupDomainByUuid(host.client, target.uuid);
      name = dom.name;
      return await this.readTree(host.client, dom, target);
    } catch (err) {
      throw vmActionError('list the snapshots of', name, host.alias, err);
    }
  }

  private async readTree(
    c: LibvirtClient,
    dom: DomainRef,
    target: VmTarget,
  ): Promise<SnapshotTree> {
    const [entries, thumbs] = await Promise.all([
      snapshotList(c, dom),
      this.options.thumbnails.names(target.connectionId, target.uuid),
    ]);
    const read = await Promise.all(
      entries.map(async (e): Promise<SnapshotRecord | null> => {
        try {
          const view = readSnapshot(parseXml(await snapshotGetXml(c, { dom, name: e.name })));
          return { ...e, view, hasThumbnail: thumbs.has(e.name) };
        } catch (err) {
          // Deleted between the list and this call: it is simply no longer there.
          if (isLibvirtError(err, VIR_ERR_NO_DOMAIN_SNAPSHOT)) return null;
          throw err;
        }
      }),
    );
    const records = read.filter((r): r is SnapshotRecord => r !== null);
    return {
      connectionId: target.connectionId,
      uuid: target.uuid,
      roots: buildSnapshotTree(records),
      current: records.find((e) => e.current)?.name ?? null,
      count: records.length,
    };
  }

  private async node(
    c: LibvirtClient,
    dom: DomainRef,
    target: VmTarget,
    name: string,
  ): Promise<SnapshotNode> {
    const found = findNode((await this.readTree(c, dom, target)).roots, name);
    if (!found) throw vmRefusal(`Snapshot ${name} of ${dom.name} vanished`);
    return found;
  }

  async create(request: ParsedInputOf<'snapshot:create'>): Promise<SnapshotNode> {
    const ctx = await this.context(request);
    const { c, alias, dom } = ctx;
    const plan = planSnapshotCreate(request, ctx.facts, ctx.caps, dom.name);
    // Taken first: the picture shows the VM as the snapshot keeps it.
    const png =
      request.thumbnail !== false && ctx.caps.active && ctx.facts.graphics
        ? await this.screenshot(c, dom, alias)
        : null;
    try {
      await snapshotCreateXml(c, dom, plan.xml, { flags: plan.flags });
    } catch (err) {
      throw vmActionError('snapshot', dom.name, alias, err);
    }
    if (png) {
      await this.options.thumbnails
        .save(request.connectionId, request.uuid, request.name, png)
        .catch((err: unknown) =>
          this.options.logger.warn(
            `Cannot store the thumbnail of ${request.name}: ${messageOf(err)}`,
          ),
        );
    }
    this.changed(request.connectionId, request.uuid, 'created', request.name);
    return this.node(c, dom, request, request.name);
  }

  private async screenshot(
    c: LibvirtClient,
    dom: DomainRef,
    alias: string,
  ): Promise<Buffer | null> {
    // One more try: on a busy host QEMU's screendump can fail once (monitor busy, a stream cut
    // short) and succeed a moment later. A snapshot without its picture still beats no snapshot.
    for (let attempt = 1; ; attempt++) {
      try {
        const shot = await domainScreenshot(c, dom);
        return isPng(shot.data) ? shot.data : pngFromPpm(shot.data);
      } catch (err) {
        this.options.logger.warn(
          `${alias}: no screenshot of ${dom.name} for its snapshot (attempt ${attempt}): ${messageOf(err)}`,
        );
        if (attempt >= 2) return null;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  /** The snapshot and whether it is external, read before acting on it. */
  private async lookup(
    ctx: VmContext,
    name: string,
    verb: string,
  ): Promise<{ snap: SnapshotRef; tree: SnapshotTree; node: SnapshotNode }> {
    try {
      const snap = await snapshotLookup(ctx.c, ctx.dom, name);
      const tree = await this.readTree(ctx.c, ctx.dom, ctx.caps);
      const node = findNode(tree.roots, name);
      if (!node) throw vmRefusal(`Snapshot ${name} of ${ctx.dom.name} vanished`);
      return { snap, tree, node };
    } catch (err) {
      throw vmActionError(verb, `snapshot ${name} of ${ctx.dom.name}`, ctx.alias, err);
    }
  }

  async revert(request: ParsedInputOf<'snapshot:revert'>): Promise<VmRef> {
    const ctx = await this.context(request);
    const { snap, node } = await this.lookup(ctx, request.name, 'revert to');
    if (node.location === 'external' && !ctx.caps.revertExternal.allowed) {
      throw vmRefusal(ctx.caps.revertExternal.reason, 'name');
    }
    try {
      await snapshotRevert(ctx.c, snap, {
        running: request.after === 'running',
        paused: request.after === 'paused',
        force: request.force === true,
      });
    } catch (err) {
      throw vmActionError(
        'revert to',
        `snapshot ${request.name} of ${ctx.dom.name}`,
        ctx.alias,
        err,
      );
    }
    this.changed(request.connectionId, request.uuid, 'reverted', request.name);
    return { connectionId: request.connectionId, uuid: request.uuid, name: ctx.dom.name };
  }

  async delete(request: ParsedInputOf<'snapshot:delete'>): Promise<{ deleted: string[] }> {
    const ctx = await this.context(request);
    const { snap, tree, node } = await this.lookup(ctx, request.name, 'delete');
    const names = [
      request.name,
      ...(request.children ? descendantNames(tree.roots, request.name) : []),
    ];
    const external = names.some((n) => findNode(tree.roots, n)?.location === 'external');
    if (external && !ctx.caps.deleteExternal.allowed) {
      throw vmRefusal(ctx.caps.deleteExternal.reason, 'name');
    }
    try {
      await snapshotDelete(ctx.c, snap, { children: request.children === true });
    } catch (err) {
      throw vmActionError('delete', `snapshot ${node.name} of ${ctx.dom.name}`, ctx.alias, err);
    }
    await this.options.thumbnails
      .remove(request.connectionId, request.uuid, names)
      .catch((err: unknown) =>
        this.options.logger.warn(`Cannot remove snapshot thumbnails: ${messageOf(err)}`),
      );
    this.changed(request.connectionId, request.uuid, 'deleted', request.name);
    return { deleted: names };
  }

  /** libvirt has no call to edit a snapshot: its metadata is redefined with the new text. */
  async describe(request: ParsedInputOf<'snapshot:describe'>): Promise<SnapshotNode> {
    const ctx = await this.context(request);
    const { snap, node } = await this.lookup(ctx, request.name, 'describe');
    const verb = 'change the description of';
    try {
      // Secure: the redefinition must keep the saved domain's passwords.
      const doc = parseXml(await snapshotGetXml(ctx.c, snap, { secure: true }));
      const xml = serializeXml(setSnapshotDescription(doc, request.description));
      await snapshotCreateXml(ctx.c, ctx.dom, xml, {
        flags: node.current ? ['redefine', 'current'] : ['redefine'],
      });
    } catch (err) {
      throw vmActionError(verb, `snapshot ${request.name} of ${ctx.dom.name}`, ctx.alias, err);
    }
    this.changed(request.connectionId, request.uuid, 'updated', request.name);
    return this.node(ctx.c, ctx.dom, request, request.name);
  }

  async thumbnail(request: ParsedInputOf<'snapshot:thumbnail'>): Promise<SnapshotThumbnail | null> {
    const png = await this.options.thumbnails.read(
      request.connectionId,
      request.uuid,
      request.name,
    );
    return png ? { mime: 'image/png', dataBase64: png.toString('base64') } : null;
  }
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function findNode(list: readonly SnapshotNode[], name: string): SnapshotNode | undefined {
  for (const n of list) {
    if (n.name === name) return n;
    const hit = findNode(n.children, name);
    if (hit) return hit;
  }
  return undefined;
}
