import {
  VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE,
  VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE,
  VIR_STORAGE_POOL_BUILD_NO_OVERWRITE,
  VIR_STORAGE_POOL_BUILD_OVERWRITE,
  VIR_STORAGE_POOL_CREATE_WITH_BUILD,
  VIR_STORAGE_POOL_DEFINE_VALIDATE,
  VIR_STORAGE_POOL_DELETE_ZEROED,
  VIR_STORAGE_XML_INACTIVE,
  virStoragePoolState,
} from '../protocol/constants.gen';
import type { RemoteNonnullStoragePool } from '../protocol/remote.gen';
import type { LibvirtClient } from '../client/libvirt-client';
import { enumName, type EnumName } from './enum-name';
import { flagBits } from './flag-bits';
import { poolRefFromRemote, poolRefToRemote, type StoragePoolRef } from './object-refs';
import { isUuid, parseUuid } from './uuid';

export type { StoragePoolRef } from './object-refs';

export type StoragePoolStateName =
  EnumName<typeof virStoragePoolState, 'VIR_STORAGE_POOL_'> | 'unknown';

export interface StoragePoolInfo {
  /** virStoragePoolState */
  state: number;
  stateName: StoragePoolStateName;
  capacity: bigint;
  allocation: bigint;
  available: bigint;
}

export interface StoragePoolSummary extends StoragePoolRef, StoragePoolInfo {
  autostart: boolean;
  persistent: boolean;
}

async function info(c: LibvirtClient, pool: RemoteNonnullStoragePool): Promise<StoragePoolInfo> {
  const i = await c.remote.storagePoolGetInfo({ pool });
  return {
    state: i.state,
    stateName: enumName(virStoragePoolState, 'VIR_STORAGE_POOL_', i.state),
    capacity: i.capacity,
    allocation: i.allocation,
    available: i.available,
  };
}

/** Every pool (active and inactive) with its state and sizes (bytes), like virsh pool-list --all --details. */
export async function poolList(c: LibvirtClient): Promise<StoragePoolSummary[]> {
  const { pools } = await c.remote.connectListAllStoragePools({
    need_results: 1,
    flags: VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE | VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE,
  });
  return Promise.all(
    pools.map(async (pool): Promise<StoragePoolSummary> => {
      const [i, autostart, persistent] = await Promise.all([
        info(c, pool),
        c.remote.storagePoolGetAutostart({ pool }),
        c.remote.storagePoolIsPersistent({ pool }),
      ]);
      return {
        ...poolRefFromRemote(pool),
        ...i,
        autostart: autostart.autostart !== 0,
        persistent: persistent.persistent !== 0,
      };
    }),
  );
}

/** By UUID if the text is one, else by name. */
export async function poolLookup(c: LibvirtClient, nameOrUuid: string): Promise<StoragePoolRef> {
  if (typeof nameOrUuid !== 'string' || nameOrUuid === '')
    throw new TypeError('a pool name or UUID is required');
  const { pool } = isUuid(nameOrUuid)
    ? await c.remote.storagePoolLookupByUuid({ uuid: parseUuid(nameOrUuid) })
    : await c.remote.storagePoolLookupByName({ name: nameOrUuid });
  return poolRefFromRemote(pool);
}

export async function poolGetInfo(
  c: LibvirtClient,
  pool: StoragePoolRef,
): Promise<StoragePoolInfo> {
  return info(c, poolRefToRemote(pool));
}

export async function poolGetXml(
  c: LibvirtClient,
  pool: StoragePoolRef,
  { inactive }: { inactive?: boolean } = {},
): Promise<string> {
  const flags = flagBits([inactive, VIR_STORAGE_XML_INACTIVE]);
  return (await c.remote.storagePoolGetXmlDesc({ pool: poolRefToRemote(pool), flags })).xml;
}

export async function poolDefineXml(
  c: LibvirtClient,
  xml: string,
  { validate }: { validate?: boolean } = {},
): Promise<StoragePoolRef> {
  if (typeof xml !== 'string' || xml.trim() === '')
    throw new TypeError('pool XML must not be empty');
  const flags = flagBits([validate, VIR_STORAGE_POOL_DEFINE_VALIDATE]);
  return poolRefFromRemote((await c.remote.storagePoolDefineXml({ xml, flags })).pool);
}

/** Creates the pool's backing (a dir pool's folder, a filesystem…). */
export async function poolBuild(
  c: LibvirtClient,
  pool: StoragePoolRef,
  { overwrite, noOverwrite }: { overwrite?: boolean; noOverwrite?: boolean } = {},
): Promise<void> {
  if (overwrite && noOverwrite) throw new TypeError('overwrite and noOverwrite exclude each other');
  const flags = flagBits(
    [overwrite, VIR_STORAGE_POOL_BUILD_OVERWRITE],
    [noOverwrite, VIR_STORAGE_POOL_BUILD_NO_OVERWRITE],
  );
  await c.remote.storagePoolBuild({ pool: poolRefToRemote(pool), flags });
}

/** Activates the pool (STORAGE_POOL_CREATE); `build` builds it first. */
export async function poolStart(
  c: LibvirtClient,
  pool: StoragePoolRef,
  { build }: { build?: boolean } = {},
): Promise<void> {
  const flags = flagBits([build, VIR_STORAGE_POOL_CREATE_WITH_BUILD]);
  await c.remote.storagePoolCreate({ pool: poolRefToRemote(pool), flags });
}

export async function poolDestroy(c: LibvirtClient, pool: StoragePoolRef): Promise<void> {
  await c.remote.storagePoolDestroy({ pool: poolRefToRemote(pool) });
}

/** Deletes the pool's backing (the inverse of build); the pool must be inactive. */
export async function poolDelete(
  c: LibvirtClient,
  pool: StoragePoolRef,
  { zeroed }: { zeroed?: boolean } = {},
): Promise<void> {
  const flags = flagBits([zeroed, VIR_STORAGE_POOL_DELETE_ZEROED]);
  await c.remote.storagePoolDelete({ pool: poolRefToRemote(pool), flags });
}

export async function poolUndefine(c: LibvirtClient, pool: StoragePoolRef): Promise<void> {
  await c.remote.storagePoolUndefine({ pool: poolRefToRemote(pool) });
}

/** Rescans the pool's volumes (files copied in behind libvirt's back). */
export async function poolRefresh(c: LibvirtClient, pool: StoragePoolRef): Promise<void> {
  await c.remote.storagePoolRefresh({ pool: poolRefToRemote(pool), flags: 0 });
}

export async function poolGetAutostart(c: LibvirtClient, pool: StoragePoolRef): Promise<boolean> {
  return (await c.remote.storagePoolGetAutostart({ pool: poolRefToRemote(pool) })).autostart !== 0;
}

export async function poolSetAutostart(
  c: LibvirtClient,
  pool: StoragePoolRef,
  autostart: boolean,
): Promise<void> {
  await c.remote.storagePoolSetAutostart({
    pool: poolRefToRemote(pool),
    autostart: autostart ? 1 : 0,
  });
}
