import type { EventHub } from '../services/event-hub';
import type { Logger } from '../services/logger';
import {
  poolDefinitionXml,
  sizeToBytes,
  type PoolChange,
  type PoolStateName,
  type PoolSummary,
  type PoolTarget,
  type VolumeSummary,
  type VolumeTarget,
} from '../../shared/contract/storage';
import type { ParsedInputOf } from '../../shared/contract/channels';
import {
  createVolumeDocument,
  parseXml,
  readPool,
  readVolume,
  serializeXml,
} from '../../shared/xml';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { isLibvirtError } from '../libvirt/errors';
import {
  poolBuild,
  poolDefineXml,
  poolDelete,
  poolDestroy,
  poolGetXml,
  poolList,
  poolLookup,
  poolRefresh,
  poolSetAutostart,
  poolStart,
  poolUndefine,
  type StoragePoolRef,
  type StoragePoolSummary,
} from '../libvirt/facade/storage-pool';
import {
  volCreateXml,
  volCreateXmlFrom,
  volDelete,
  volGetXml,
  volList,
  volLookup,
  volResize,
  volWipe,
  type StorageVolRef,
} from '../libvirt/facade/storage-volume';
import { VIR_ERR_NO_STORAGE_VOL } from '../libvirt/protocol/constants.gen';
import type { HostDirectory } from '../vms/host-directory';
import { vmActionError, vmRefusal } from '../vms/vm-action-error';
import { removeChapSecret, storeChapSecret } from './chap-secret';
import type { HostFollower } from './follow-hosts';
import { followPoolEvents } from './pool-event-feed';
import { volumeUsers } from './volume-users';

export interface StorageServiceOptions {
  hosts: HostDirectory;
  events: EventHub;
  logger: Logger;
}

// Pool types whose build only creates the target folder.
const FOLDER_BUILT: ReadonlySet<string> = new Set(['dir', 'fs', 'netfs']);

// These pool types expose LUNs the storage already has; libvirt cannot create volumes there.
const NO_VOLUME_CREATION: Record<string, string> = {
  iscsi: 'iSCSI pools expose the target’s existing LUNs; create LUNs on the iSCSI server.',
  'iscsi-direct': 'iSCSI pools expose the target’s existing LUNs; create LUNs on the iSCSI server.',
  scsi: 'SCSI (vHBA) pools expose the adapter’s existing LUNs; volumes cannot be created.',
  mpath: 'Multipath pools expose existing multipath devices; volumes cannot be created.',
};

const bytes = (n: bigint): number => Number(n);

/**
 * Pools and volumes of connected hosts, straight from libvirt on each call (no cache), and
 * 'pool:changed' after every change made here so other windows re-read.
 */
export class StorageService {
  private follower: HostFollower | null = null;

  constructor(private readonly options: StorageServiceOptions) {}

  /**
   * Follows libvirt's pool lifecycle and refresh events on every connected host, so a
   * change made elsewhere (virsh, another app) reaches the renderer as 'pool:changed'.
   */
  follow(): void {
    if (this.follower) return;
    this.follower = followPoolEvents(this.options.hosts, this.options.logger, (id, pool, change) =>
      this.changed(id, pool, change),
    );
  }

  /** Settles once every connected host's pool events are registered (tests, start-up). */
  async whenFollowing(): Promise<void> {
    await this.follower?.ready();
  }

  dispose(): void {
    this.follower?.stop();
    this.follower = null;
  }

  private host(connectionId: string): { c: LibvirtClient; alias: string } {
    const host = this.options.hosts.host(connectionId);
    if (!host) {
      throw vmRefusal(`${this.options.hosts.alias(connectionId)} is not connected`);
    }
    return { c: host.client, alias: host.alias };
  }

  private changed(connectionId: string, pool: string, change: PoolChange): void {
    this.options.events.emit('pool:changed', { connectionId, pool, change });
  }

  /** Runs `fn` and names the pool and host in its error, keeping libvirt's code. */
  private async act<T>(
    target: PoolTarget,
    verb: string,
    fn: (c: LibvirtClient, pool: StoragePoolRef) => Promise<T>,
  ): Promise<T> {
    const { c, alias } = this.host(target.connectionId);
    try {
      return await fn(c, await poolLookup(c, target.pool));
    } catch (err) {
      throw vmActionError(verb, `pool ${target.pool}`, alias, err);
    }
  }

  async listPools(connectionId: string): Promise<PoolSummary[]> {
    const { c } = this.host(connectionId);
    const pools = await poolList(c);
    return Promise.all(pools.map(async (p) => this.summary(c, connectionId, p)));
  }

  private async summary(
    c: LibvirtClient,
    connectionId: string,
    p: StoragePoolSummary,
  ): Promise<PoolSummary> {
    const view = readPool(parseXml(await poolGetXml(c, p)));
    const type = view.type ?? 'unknown';
    const reason = NO_VOLUME_CREATION[type];
    return {
      connectionId,
      name: p.name,
      uuid: p.uuid,
      type,
      state: p.stateName as PoolStateName,
      autostart: p.autostart,
      persistent: p.persistent,
      capacity: bytes(p.capacity),
      allocation: bytes(p.allocation),
      available: bytes(p.available),
      targetPath: view.targetPath ?? null,
      canCreateVolumes: reason === undefined,
      ...(reason !== undefined ? { cannotCreateReason: reason } : {}),
    };
  }

  private async poolSummary(connectionId: string, name: string): Promise<PoolSummary> {
    const found = (await this.listPools(connectionId)).find((p) => p.name === name);
    if (!found) throw vmRefusal(`Pool ${name} vanished`);
    return found;
  }

  /** Defines, builds, starts and sets autostart; a failure undoes every step already done. */
  async definePool(input: ParsedInputOf<'pool:define'>): Promise<PoolSummary> {
    const { c, alias } = this.host(input.connectionId);
    if ((await poolList(c)).some((p) => p.name === input.name)) {
      throw vmRefusal(`A pool named ${input.name} already exists on ${alias}`, 'name');
    }
    const xml = poolDefinitionXml(input);
    const undo: Array<() => Promise<void>> = [];
    const undoAll = async (): Promise<void> => {
      for (const step of undo) await step().catch(() => undefined);
    };
    let pool: StoragePoolRef;
    try {
      if (input.type === 'iscsi' && input.chap) {
        undo.unshift(await storeChapSecret(c, input.name, input.chap.password));
      }
      pool = await poolDefineXml(c, xml, { validate: true });
    } catch (err) {
      await undoAll();
      throw vmActionError('define', `pool ${input.name}`, alias, err);
    }
    undo.unshift(() => poolUndefine(c, pool));
    try {
      // Building a folder-backed pool only makes its folder (undone by delete); building a
      // device-backed one writes to the device, asked for and confirmed separately.
      if ('build' in input && input.build) {
        await poolBuild(c, pool, { overwrite: true });
      } else if (input.start && FOLDER_BUILT.has(input.type)) {
        await poolBuild(c, pool);
        undo.unshift(() => poolDelete(c, pool));
      }
      if (input.start) {
        await poolStart(c, pool);
        undo.unshift(() => poolDestroy(c, pool));
      }
      if (input.autostart) await poolSetAutostart(c, pool, true);
    } catch (err) {
      await undoAll();
      throw vmActionError('set up', `pool ${input.name}`, alias, err);
    }
    this.changed(input.connectionId, input.name, 'defined');
    return this.poolSummary(input.connectionId, input.name);
  }

  async build(t: PoolTarget): Promise<void> {
    await this.act(t, 'build', (c, p) => poolBuild(c, p));
    this.changed(t.connectionId, t.pool, 'changed');
  }

  async start(t: PoolTarget): Promise<void> {
    await this.act(t, 'start', (c, p) => poolStart(c, p));
    this.changed(t.connectionId, t.pool, 'started');
  }

  async stop(t: PoolTarget): Promise<void> {
    await this.act(t, 'stop', (c, p) => poolDestroy(c, p));
    this.changed(t.connectionId, t.pool, 'stopped');
  }

  async refresh(t: PoolTarget): Promise<void> {
    await this.act(t, 'refresh', (c, p) => poolRefresh(c, p));
    this.changed(t.connectionId, t.pool, 'refreshed');
  }

  async setAutostart(t: PoolTarget, autostart: boolean): Promise<void> {
    await this.act(t, 'set autostart of', (c, p) => poolSetAutostart(c, p, autostart));
    this.changed(t.connectionId, t.pool, 'changed');
  }

  /**
   * Deleting is separate from stopping: a running pool is refused, not stopped for you.
   * `withVolumes` starts the stopped pool just long enough to delete its volumes.
   */
  async deletePool(input: ParsedInputOf<'pool:delete'>): Promise<void> {
    const t = { connectionId: input.connectionId, pool: input.pool };
    const summary = (await this.listPools(t.connectionId)).find((p) => p.name === t.pool);
    if (!summary) throw vmRefusal(`There is no pool ${t.pool}`, 'pool');
    if (summary.state !== 'inactive') {
      throw vmRefusal(`Pool ${t.pool} is running: stop it before deleting it`);
    }
    if (input.withVolumes) {
      await this.act(t, 'start', (c, p) => poolStart(c, p));
      try {
        for (const vol of await this.listVolumes(t)) {
          await this.deleteVolume({ ...t, volume: vol.name });
        }
      } finally {
        await this.act(t, 'stop', (c, p) => poolDestroy(c, p));
      }
    }
    await this.act(t, 'delete', async (c, p) => {
      if (input.deleteBacking || input.withVolumes) await poolDelete(c, p);
      await poolUndefine(c, p);
      if (summary.type === 'iscsi') await removeChapSecret(c, t.pool);
    });
    this.changed(t.connectionId, t.pool, 'undefined');
  }

  async listVolumes(t: PoolTarget): Promise<VolumeSummary[]> {
    return this.act(t, 'list volumes of', async (c, p) => {
      const [vols, users] = await Promise.all([volList(c, p), volumeUsers(c)]);
      return Promise.all(
        vols.map(async (v): Promise<VolumeSummary> => {
          const view = readVolume(parseXml(await volGetXml(c, v)));
          const usedBy = [
            ...(users.byPath.get(v.path) ?? []),
            ...(users.byPoolVolume.get(`${t.pool}/${v.name}`) ?? []),
          ].map((u) => u.name);
          return {
            connectionId: t.connectionId,
            pool: t.pool,
            name: v.name,
            key: v.key,
            path: v.path,
            format: view.format ?? null,
            capacity: bytes(v.capacity),
            allocation: bytes(v.allocation),
            usedBy: [...new Set(usedBy)],
          };
        }),
      );
    });
  }

  private async volume(t: VolumeTarget): Promise<VolumeSummary> {
    const found = (await this.listVolumes(t)).find((v) => v.name === t.volume);
    if (!found) throw vmRefusal(`Pool ${t.pool} has no volume ${t.volume}`, 'volume');
    return found;
  }

  async createVolume(input: ParsedInputOf<'vol:create'>): Promise<VolumeSummary> {
    const t = { connectionId: input.connectionId, pool: input.pool };
    const pool = (await this.listPools(t.connectionId)).find((p) => p.name === t.pool);
    if (!pool) throw vmRefusal(`There is no pool ${t.pool}`, 'pool');
    if (!pool.canCreateVolumes) throw vmRefusal(pool.cannotCreateReason ?? 'No volumes here');
    if (pool.state !== 'running') throw vmRefusal(`Start pool ${t.pool} first`, 'pool');
    const capacityBytes = sizeToBytes(input.capacity);
    // Sparse volumes may promise more than is free; preallocated ones must fit.
    if (input.preallocate && capacityBytes > pool.available) {
      throw vmRefusal(
        `The volume (${capacityBytes} bytes) is larger than the ${pool.available} bytes free in ${t.pool}`,
        'capacity',
      );
    }
    let backingStore: { path: string; format: string } | undefined;
    if (input.backingVolume !== undefined) {
      if (input.format !== 'qcow2') {
        throw vmRefusal('Only qcow2 volumes can have a backing volume', 'backingVolume');
      }
      const base = await this.volume({ ...t, volume: input.backingVolume });
      backingStore = { path: base.path, format: base.format ?? 'raw' };
    }
    const doc = createVolumeDocument({
      name: input.name,
      capacityBytes,
      format: input.format,
      ...(input.preallocate && input.format === 'raw' ? { allocationBytes: capacityBytes } : {}),
      ...(backingStore ? { backingStore } : {}),
    });
    await this.act(t, 'create a volume in', (c, p) =>
      volCreateXml(c, p, serializeXml(doc), {
        preallocMetadata: input.preallocate && input.format === 'qcow2',
      }),
    );
    this.changed(t.connectionId, t.pool, 'changed');
    return this.volume({ ...t, volume: input.name });
  }

  private async actOnVolume<T>(
    t: VolumeTarget,
    verb: string,
    fn: (c: LibvirtClient, vol: StorageVolRef) => Promise<T>,
  ): Promise<T> {
    const result = await this.act(t, verb, async (c, p) => {
      try {
        return await fn(c, await volLookup(c, p, t.volume));
      } catch (err) {
        if (isLibvirtError(err) && err.code === VIR_ERR_NO_STORAGE_VOL) {
          throw vmRefusal(`Pool ${t.pool} has no volume ${t.volume}`, 'volume');
        }
        throw err;
      }
    });
    this.changed(t.connectionId, t.pool, 'changed');
    return result;
  }

  /** Refused while a running VM uses the volume (the guides' rule); names the VM. */
  async deleteVolume(t: VolumeTarget): Promise<void> {
    const vol = await this.volume(t);
    const { c } = this.host(t.connectionId);
    const users = await volumeUsers(c);
    const running = [
      ...(users.byPath.get(vol.path) ?? []),
      ...(users.byPoolVolume.get(`${t.pool}/${t.volume}`) ?? []),
    ].filter((u) => u.running);
    if (running.length > 0) {
      const names = [...new Set(running.map((u) => u.name))].join(', ');
      throw vmRefusal(`Volume ${t.volume} is in use by running VM ${names}; shut it down first`);
    }
    await this.actOnVolume(t, 'delete volume', (cl, v) => volDelete(cl, v));
  }

  async wipe(t: VolumeTarget): Promise<void> {
    await this.actOnVolume(t, 'wipe volume', (c, v) => volWipe(c, v));
  }

  async resize(input: ParsedInputOf<'vol:resize'>): Promise<void> {
    const t = { connectionId: input.connectionId, pool: input.pool, volume: input.volume };
    const current = await this.volume(t);
    const capacity = sizeToBytes(input.capacity);
    if (capacity < current.capacity && !input.allowShrink) {
      throw vmRefusal(
        `Shrinking ${t.volume} from ${current.capacity} to ${capacity} bytes loses data; allow shrinking to do it`,
        'capacity',
      );
    }
    await this.actOnVolume(t, 'resize volume', (c, v) =>
      volResize(c, v, BigInt(capacity), { shrink: capacity < current.capacity }),
    );
  }

  async clone(input: ParsedInputOf<'vol:clone'>): Promise<VolumeSummary> {
    const t = { connectionId: input.connectionId, pool: input.pool, volume: input.volume };
    const source = await this.volume(t);
    const doc = createVolumeDocument({
      name: input.newName,
      capacityBytes: source.capacity,
      ...(source.format ? { format: source.format } : {}),
    });
    await this.act(t, 'clone volume', async (c, p) =>
      volCreateXmlFrom(c, p, serializeXml(doc), await volLookup(c, p, t.volume)),
    );
    this.changed(t.connectionId, t.pool, 'changed');
    return this.volume({ ...t, volume: input.newName });
  }
}
