import { Transform, type Readable, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import {
  VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA,
  VIR_STORAGE_VOL_CREATE_VALIDATE,
  VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS,
  VIR_STORAGE_VOL_DELETE_ZEROED,
  VIR_STORAGE_VOL_GET_PHYSICAL,
  VIR_STORAGE_VOL_RESIZE_ALLOCATE,
  VIR_STORAGE_VOL_RESIZE_DELTA,
  VIR_STORAGE_VOL_RESIZE_SHRINK,
  virStorageVolType,
  virStorageVolWipeAlgorithm,
} from '../protocol/constants.gen';
import { remoteProcedures, type RemoteNonnullStorageVol } from '../protocol/remote.gen';
import type { LibvirtClient } from '../client/libvirt-client';
import { enumName, enumValue, type EnumName } from './enum-name';
import { flagBits } from './flag-bits';
import {
  poolRefToRemote,
  volRefFromRemote,
  volRefToRemote,
  type StoragePoolRef,
  type StorageVolRef,
} from './object-refs';

export type { StorageVolRef } from './object-refs';

export type StorageVolTypeName = EnumName<typeof virStorageVolType, 'VIR_STORAGE_VOL_'> | 'unknown';

export interface StorageVolInfo {
  /** virStorageVolType */
  type: number;
  typeName: StorageVolTypeName;
  /** Bytes the guest sees. */
  capacity: bigint;
  /** Bytes used on the host (or, with `physical`, the host file's size). */
  allocation: bigint;
}

export interface StorageVolSummary extends StorageVolRef, StorageVolInfo {
  path: string;
}

async function volInfo(
  c: LibvirtClient,
  vol: RemoteNonnullStorageVol,
  physical = false,
): Promise<StorageVolInfo> {
  const flags = flagBits([physical, VIR_STORAGE_VOL_GET_PHYSICAL]);
  const i = await c.remote.storageVolGetInfoFlags({ vol, flags });
  return {
    type: i.type,
    typeName: enumName(virStorageVolType, 'VIR_STORAGE_VOL_', i.type),
    capacity: i.capacity,
    allocation: i.allocation,
  };
}

/** Every volume of an active pool with path, type and sizes, like virsh vol-list --details. */
export async function volList(
  c: LibvirtClient,
  pool: StoragePoolRef,
): Promise<StorageVolSummary[]> {
  const { vols } = await c.remote.storagePoolListAllVolumes({
    pool: poolRefToRemote(pool),
    need_results: 1,
    flags: 0,
  });
  return Promise.all(
    vols.map(async (vol): Promise<StorageVolSummary> => {
      const [i, path] = await Promise.all([volInfo(c, vol), c.remote.storageVolGetPath({ vol })]);
      return { ...volRefFromRemote(vol), path: path.name, ...i };
    }),
  );
}

export async function volLookup(
  c: LibvirtClient,
  pool: StoragePoolRef,
  name: string,
): Promise<StorageVolRef> {
  const { vol } = await c.remote.storageVolLookupByName({ pool: poolRefToRemote(pool), name });
  return volRefFromRemote(vol);
}

export async function volLookupByPath(c: LibvirtClient, path: string): Promise<StorageVolRef> {
  if (typeof path !== 'string' || !path.startsWith('/'))
    throw new TypeError('an absolute path is required');
  return volRefFromRemote((await c.remote.storageVolLookupByPath({ path })).vol);
}

export async function volGetXml(c: LibvirtClient, vol: StorageVolRef): Promise<string> {
  return (await c.remote.storageVolGetXmlDesc({ vol: volRefToRemote(vol), flags: 0 })).xml;
}

export async function volGetInfo(
  c: LibvirtClient,
  vol: StorageVolRef,
  { physical }: { physical?: boolean } = {},
): Promise<StorageVolInfo> {
  return volInfo(c, volRefToRemote(vol), physical);
}

export interface VolCreateOptions {
  /** qcow2: preallocate metadata only. */
  preallocMetadata?: boolean;
  validate?: boolean;
}

function createFlags(options: VolCreateOptions): number {
  return flagBits(
    [options.preallocMetadata, VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA],
    [options.validate, VIR_STORAGE_VOL_CREATE_VALIDATE],
  );
}

function requireXml(xml: string): string {
  if (typeof xml !== 'string' || xml.trim() === '')
    throw new TypeError('volume XML must not be empty');
  return xml;
}

export async function volCreateXml(
  c: LibvirtClient,
  pool: StoragePoolRef,
  xml: string,
  options: VolCreateOptions = {},
): Promise<StorageVolRef> {
  const { vol } = await c.remote.storageVolCreateXml({
    pool: poolRefToRemote(pool),
    xml: requireXml(xml),
    flags: createFlags(options),
  });
  return volRefFromRemote(vol);
}

/** Creates a volume in `pool` as a copy of `source` (which may live in another pool). */
export async function volCreateXmlFrom(
  c: LibvirtClient,
  pool: StoragePoolRef,
  xml: string,
  source: StorageVolRef,
  options: VolCreateOptions = {},
): Promise<StorageVolRef> {
  const { vol } = await c.remote.storageVolCreateXmlFrom({
    pool: poolRefToRemote(pool),
    xml: requireXml(xml),
    clonevol: volRefToRemote(source),
    flags: createFlags(options),
  });
  return volRefFromRemote(vol);
}

export async function volDelete(
  c: LibvirtClient,
  vol: StorageVolRef,
  { zeroed, withSnapshots }: { zeroed?: boolean; withSnapshots?: boolean } = {},
): Promise<void> {
  const flags = flagBits(
    [zeroed, VIR_STORAGE_VOL_DELETE_ZEROED],
    [withSnapshots, VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS],
  );
  await c.remote.storageVolDelete({ vol: volRefToRemote(vol), flags });
}

export type WipeAlgorithm = EnumName<
  typeof virStorageVolWipeAlgorithm,
  'VIR_STORAGE_VOL_WIPE_ALG_'
>;

/** Overwrites the volume's data (zeroes by default). */
export async function volWipe(
  c: LibvirtClient,
  vol: StorageVolRef,
  { algorithm }: { algorithm?: WipeAlgorithm } = {},
): Promise<void> {
  const remoteVol = volRefToRemote(vol);
  if (algorithm === undefined) {
    await c.remote.storageVolWipe({ vol: remoteVol, flags: 0 });
    return;
  }
  await c.remote.storageVolWipePattern({
    vol: remoteVol,
    algorithm: enumValue(virStorageVolWipeAlgorithm, 'VIR_STORAGE_VOL_WIPE_ALG_', algorithm),
    flags: 0,
  });
}

export interface VolResizeOptions {
  /** Allocate the new space now. */
  allocate?: boolean;
  /** `capacity` is added to (or, with shrink, taken from) the current size. */
  delta?: boolean;
  /** Allow making it smaller (data beyond the new end is lost). */
  shrink?: boolean;
}

export async function volResize(
  c: LibvirtClient,
  vol: StorageVolRef,
  capacity: bigint,
  options: VolResizeOptions = {},
): Promise<void> {
  if (typeof capacity !== 'bigint' || capacity < 0n)
    throw new TypeError('capacity must be a bigint ≥ 0');
  const flags = flagBits(
    [options.allocate, VIR_STORAGE_VOL_RESIZE_ALLOCATE],
    [options.delta, VIR_STORAGE_VOL_RESIZE_DELTA],
    [options.shrink, VIR_STORAGE_VOL_RESIZE_SHRINK],
  );
  await c.remote.storageVolResize({ vol: volRefToRemote(vol), capacity, flags });
}

export interface TransferOptions {
  /** Byte offset in the volume. */
  offset?: bigint | number;
  /** Bytes to transfer; 0/absent = to the end of the volume (download) or of the source (upload). */
  length?: bigint | number;
  /** Bytes done so far, after each chunk. */
  onProgress?: (bytes: number) => void;
}

function byteCount(what: string, v: bigint | number | undefined): bigint {
  const n =
    v === undefined ? 0n : typeof v === 'bigint' ? v : Number.isSafeInteger(v) ? BigInt(v) : -1n;
  if (n < 0n || n >= 2n ** 64n) throw new TypeError(`${what} must be a whole number of bytes ≥ 0`);
  return n;
}

function range(options: TransferOptions): { offset: bigint; length: bigint } {
  return {
    offset: byteCount('offset', options.offset),
    length: byteCount('length', options.length),
  };
}

function progressCounter(onProgress: ((bytes: number) => void) | undefined): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      onProgress?.(bytes);
      callback(null, chunk);
    },
  });
}

/**
 * STORAGE_VOL_UPLOAD: writes `source` into the volume. Resolves once the daemon confirmed
 * the data is written. Use a bulk client (LibvirtClient.openBulk()) for large transfers.
 */
export async function volUpload(
  c: LibvirtClient,
  vol: StorageVolRef,
  options: TransferOptions & { source: Readable },
): Promise<void> {
  const { stream } = await c.connection.callWithStream(remoteProcedures.STORAGE_VOL_UPLOAD, {
    vol: volRefToRemote(vol),
    ...range(options),
    flags: 0,
  });
  await pipeline(options.source, progressCounter(options.onProgress), stream);
}

/**
 * STORAGE_VOL_DOWNLOAD: reads the volume into `sink`. Resolves once the sink has all data
 * and the daemon confirmed the end of the stream.
 */
export async function volDownload(
  c: LibvirtClient,
  vol: StorageVolRef,
  options: TransferOptions & { sink: Writable },
): Promise<void> {
  const { stream } = await c.connection.callWithStream(remoteProcedures.STORAGE_VOL_DOWNLOAD, {
    vol: volRefToRemote(vol),
    ...range(options),
    flags: 0,
  });
  await Promise.all([
    pipeline(stream, progressCounter(options.onProgress), options.sink),
    finished(stream),
  ]);
}
