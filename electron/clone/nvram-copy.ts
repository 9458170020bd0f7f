import { randomUUID } from 'node:crypto';
import { parseXml, readPool } from '../../shared/xml';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { isLibvirtError } from '../libvirt/errors';
import { poolRefFromRemote, volRefToRemote } from '../libvirt/facade/object-refs';
import {
  poolDestroy,
  poolGetXml,
  poolList,
  poolRefresh,
  type StoragePoolRef,
} from '../libvirt/facade/storage-pool';
import {
  volCreateXmlFrom,
  volDelete,
  volGetInfo,
  volLookup,
  volLookupByPath,
  type StorageVolRef,
} from '../libvirt/facade/storage-volume';
import { VIR_ERR_NO_STORAGE_VOL } from '../libvirt/protocol/constants.gen';

export interface NvramCopy {
  path: string;
  /** Deletes the copied variable store (a failed clone). */
  remove(): Promise<void>;
  /** Ends the temporary pool, if one was made; the copy stays. */
  release(): Promise<void>;
}

function parentDir(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

async function lookupByPath(c: LibvirtClient, path: string): Promise<StorageVolRef | null> {
  try {
    return await volLookupByPath(c, path);
  } catch (err) {
    if (isLibvirtError(err, VIR_ERR_NO_STORAGE_VOL)) return null;
    throw err;
  }
}

/** A running pool over `dir` (refreshed: the file may be newer than its last scan). */
async function poolOver(c: LibvirtClient, dir: string): Promise<StoragePoolRef | null> {
  for (const pool of await poolList(c)) {
    if (pool.stateName !== 'running') continue;
    const target = readPool(parseXml(await poolGetXml(c, pool))).targetPath;
    if (target?.replace(/\/+$/, '') !== dir) continue;
    await poolRefresh(c, pool);
    return pool;
  }
  return null;
}

/**
 * Copies a UEFI VM's variable store to `<dir>/<clone>_VARS.fd`, through libvirt only: the
 * file is a volume of a pool over its folder — an existing one, or a transient dir pool made
 * for this copy and destroyed after (it leaves no definition behind). virt-clone copies the
 * store as a storage volume too, but defines a persistent pool for the folder to do it.
 */
export async function copyNvram(
  c: LibvirtClient,
  sourcePath: string,
  cloneName: string,
): Promise<NvramCopy> {
  const dir = parentDir(sourcePath);
  const newName = `${cloneName}_VARS.fd`;
  let temporary: StoragePoolRef | null = null;
  let source = await lookupByPath(c, sourcePath);
  if (!source && !(await poolOver(c, dir))) {
    const xml = `<pool type='dir'><name>virtdeck-nvram-${randomUUID()}</name><target><path>${dir
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')}</path></target></pool>`;
    temporary = poolRefFromRemote((await c.remote.storagePoolCreateXml({ xml, flags: 0 })).pool);
  }
  const release = async () => {
    if (temporary) await poolDestroy(c, temporary).catch(() => undefined);
    temporary = null;
  };
  try {
    source ??= await volLookupByPath(c, sourcePath);
    const poolRef = temporary ?? (await resolvePool(c, source.pool));
    if (!poolRef) throw new Error(`the storage pool ${source.pool} is gone`);
    const exists = await volLookup(c, poolRef, newName).then(
      () => true,
      (err: unknown) => {
        if (isLibvirtError(err, VIR_ERR_NO_STORAGE_VOL)) return false;
        throw err;
      },
    );
    if (exists) {
      throw new Error(`${dir}/${newName} exists already; it may be another VM's variable store`);
    }
    const info = await volGetInfo(c, source);
    const xml = `<volume><name>${newName}</name><capacity unit='bytes'>${info.capacity}</capacity><target><format type='raw'/></target></volume>`;
    const copy = await volCreateXmlFrom(c, poolRef, xml, source);
    const path = (await c.remote.storageVolGetPath({ vol: volRefToRemote(copy) })).name;
    return {
      path,
      remove: async () => {
        await volDelete(c, copy);
      },
      release,
    };
  } catch (err) {
    await release();
    throw err;
  }
}

async function resolvePool(c: LibvirtClient, name: string): Promise<StoragePoolRef | null> {
  const pool = (await poolList(c)).find((p) => p.name === name);
  return pool ?? null;
}
