import type {
  RemoteNonnullDomainSnapshot,
  RemoteNonnullNetwork,
  RemoteNonnullStoragePool,
  RemoteNonnullStorageVol,
} from '../protocol/remote.gen';
import { domainRefFromRemote, domainRefToRemote, type DomainRef } from './domain-ref';
import { formatUuid, parseUuid } from './uuid';

/** Plain-data references to the other libvirt objects (DomainRef has its own module). */

export interface NetworkRef {
  name: string;
  uuid: string;
}

export interface StoragePoolRef {
  name: string;
  uuid: string;
}

/** `key` is the daemon's stable identity of a volume (for file volumes: its path). */
export interface StorageVolRef {
  pool: string;
  name: string;
  key: string;
}

export interface SnapshotRef {
  dom: DomainRef;
  name: string;
}

export const networkRefFromRemote = (net: RemoteNonnullNetwork): NetworkRef => ({
  name: net.name,
  uuid: formatUuid(net.uuid),
});

export const networkRefToRemote = (ref: NetworkRef): RemoteNonnullNetwork => ({
  name: ref.name,
  uuid: parseUuid(ref.uuid),
});

export const poolRefFromRemote = (pool: RemoteNonnullStoragePool): StoragePoolRef => ({
  name: pool.name,
  uuid: formatUuid(pool.uuid),
});

export const poolRefToRemote = (ref: StoragePoolRef): RemoteNonnullStoragePool => ({
  name: ref.name,
  uuid: parseUuid(ref.uuid),
});

export const volRefFromRemote = (vol: RemoteNonnullStorageVol): StorageVolRef => ({
  pool: vol.pool,
  name: vol.name,
  key: vol.key,
});

export const volRefToRemote = (ref: StorageVolRef): RemoteNonnullStorageVol => ({
  pool: ref.pool,
  name: ref.name,
  key: ref.key,
});

export const snapshotRefFromRemote = (snap: RemoteNonnullDomainSnapshot): SnapshotRef => ({
  dom: domainRefFromRemote(snap.dom),
  name: snap.name,
});

export const snapshotRefToRemote = (ref: SnapshotRef): RemoteNonnullDomainSnapshot => ({
  dom: domainRefToRemote(ref.dom),
  name: ref.name,
});
