import type { ParsedInputOf } from '../../shared/contract/channels';
import type { SavedFileInfo } from '../../shared/contract/snapshots';
import type { VmRef } from '../../shared/contract/vms';
import { documentRoot, findText, parseXml, readPool } from '../../shared/xml';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { isLibvirtError } from '../libvirt/errors';
import { domainRestore, domainSave, type SaveOptions } from '../libvirt/facade/domain';
import { poolGetXml, poolList, poolRefresh } from '../libvirt/facade/storage-pool';
import { volGetInfo, volLookupByPath } from '../libvirt/facade/storage-volume';
import { VIR_ERR_NO_STORAGE_VOL } from '../libvirt/protocol/constants.gen';
import type { HostDirectory } from '../vms/host-directory';
import { lookupDomainByUuid } from '../vms/read-domain-facts';
import { vmActionError, vmRefusal } from '../vms/vm-action-error';

type After = 'image' | 'running' | 'paused' | undefined;

function saveOptions(bypassCache: boolean | undefined, after: After): SaveOptions {
  return {
    bypassCache: bypassCache === true,
    running: after === 'running',
    paused: after === 'paused',
  };
}

function parentDir(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

/**
 * Saving a VM's memory to a file of the user's choosing and starting it from there again
 * (virDomainSave/Restore — unlike managed save, the file is the user's to keep or move).
 * The size comes from libvirt's storage pools only: a file in no pool has an unknown size.
 */
export class VmSaveFiles {
  constructor(private readonly options: { hosts: HostDirectory }) {}

  private host(connectionId: string): { c: LibvirtClient; alias: string } {
    const host = this.options.hosts.host(connectionId);
    if (!host) throw vmRefusal(`${this.options.hosts.alias(connectionId)} is not connected`);
    return { c: host.client, alias: host.alias };
  }

  async save(request: ParsedInputOf<'vm:saveToFile'>): Promise<SavedFileInfo> {
    const { c, alias } = this.host(request.connectionId);
    let name: string = request.uuid;
    try {
      const dom = await lookupDomainByUuid(c, request.uuid);
      name = dom.name;
      await domainSave(c, dom, request.path, saveOptions(request.bypassCache, request.after));
    } catch (err) {
      throw vmActionError(`save to ${request.path}`, name, alias, err);
    }
    return this.info(request.connectionId, request.path);
  }

  async restore(request: ParsedInputOf<'vm:restoreFromFile'>): Promise<VmRef> {
    const { c, alias } = this.host(request.connectionId);
    let vm: { name: string; uuid: string } | null = null;
    try {
      // Read first: a file that is no saved image fails here with libvirt's own words.
      vm = await imageDomain(c, request.path);
      await domainRestore(c, request.path, saveOptions(request.bypassCache, request.after));
    } catch (err) {
      throw vmActionError('restore', vm?.name ?? request.path, alias, err);
    }
    if (!vm) throw vmRefusal(`${request.path} names no VM`);
    const dom = await lookupDomainByUuid(c, vm.uuid);
    return { connectionId: request.connectionId, uuid: dom.uuid, name: dom.name };
  }

  async info(connectionId: string, path: string): Promise<SavedFileInfo> {
    const { c, alias } = this.host(connectionId);
    let vm: { name: string; uuid: string } | null;
    try {
      vm = await imageDomain(c, path);
    } catch (err) {
      throw vmActionError('read the saved image', path, alias, err);
    }
    const volume = await this.volumeOf(c, path);
    return { connectionId, path, vm, ...volume };
  }

  /** The pool volume holding `path` and its size; a pool over its folder is refreshed once. */
  private async volumeOf(
    c: LibvirtClient,
    path: string,
  ): Promise<Pick<SavedFileInfo, 'sizeBytes' | 'pool' | 'volume'>> {
    const lookup = async () => {
      try {
        const vol = await volLookupByPath(c, path);
        const info = await volGetInfo(c, vol);
        return { sizeBytes: Number(info.capacity), pool: vol.pool, volume: vol.name };
      } catch (err) {
        if (isLibvirtError(err, VIR_ERR_NO_STORAGE_VOL)) return null;
        throw err;
      }
    };
    const found = await lookup();
    if (found) return found;
    // A file written after the pool's last refresh is unknown to it until refreshed.
    const dir = parentDir(path);
    const pools = (await poolList(c)).filter((p) => p.stateName === 'running');
    let refreshed = false;
    for (const pool of pools) {
      const target = readPool(parseXml(await poolGetXml(c, pool))).targetPath;
      if (target?.replace(/\/+$/, '') !== dir) continue;
      await poolRefresh(c, pool);
      refreshed = true;
    }
    return (refreshed ? await lookup() : null) ?? { sizeBytes: null, pool: null, volume: null };
  }
}

/** The name and UUID in a saved image's domain XML. */
async function imageDomain(
  c: LibvirtClient,
  path: string,
): Promise<{ name: string; uuid: string } | null> {
  const { xml } = await c.remote.domainSaveImageGetXmlDesc({ file: path, flags: 0 });
  const root = documentRoot(parseXml(xml));
  const name = findText(root, 'name');
  const uuid = findText(root, 'uuid');
  return name && uuid ? { name, uuid: uuid.toLowerCase() } : null;
}
