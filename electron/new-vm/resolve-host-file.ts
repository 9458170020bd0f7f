import path from 'node:path';
import type { HostFile } from '../../shared/contract/new-vm';
import { parseXml, readVolume } from '../../shared/xml';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { isLibvirtError } from '../libvirt/errors';
import { poolGetXml, poolList, poolLookup, poolRefresh } from '../libvirt/facade/storage-pool';
import {
  volGetInfo,
  volGetXml,
  volLookup,
  volLookupByPath,
  type StorageVolRef,
} from '../libvirt/facade/storage-volume';
import { VIR_ERR_NO_STORAGE_VOL } from '../libvirt/protocol/constants.gen';
import { readPool } from '../../shared/xml';
import { vmRefusal } from '../vms/vm-action-error';
import type { DiskSource } from './domain-xml/new-vm-disk';

/** A host file as libvirt knows it. */
export interface ResolvedHostFile {
  source: DiskSource;
  /** The file's path on the host (the volume's target path). */
  path: string;
  /** The pool volume it is, when it is one. */
  vol: StorageVolRef | null;
  /** Format libvirt reports (`qcow2`, `raw`, `iso`), null when unknown. */
  format: string | null;
  capacityBytes: number | null;
}

/**
 * Finds a host file through libvirt, which is all we can see of a remote host: a pool's
 * volume by name, or a path as a volume of some pool. libvirt has no stat call, so a path
 * outside every pool answers `null` — the caller says it could not be checked. A file
 * copied into a pool's folder after its last refresh is found after refreshing that pool,
 * and one missing from a pool's folder is known not to exist. Throws libvirt's error for a
 * missing pool or volume.
 */
export async function resolveHostFile(
  c: LibvirtClient,
  file: HostFile,
): Promise<ResolvedHostFile | null> {
  if (file.kind === 'volume') {
    const vol = await volLookup(c, await poolLookup(c, file.pool), file.volume);
    return describe(c, vol, { kind: 'volume', pool: file.pool, volume: file.volume });
  }
  const found = await byPath(c, file.path);
  if (found) return describe(c, found, { kind: 'path', path: file.path });
  const holder = await refreshPoolsHolding(c, file.path);
  if (holder !== null) {
    const again = await byPath(c, file.path);
    if (again) return describe(c, again, { kind: 'path', path: file.path });
    // The pool lists its whole folder: not there after a refresh means not there at all.
    throw vmRefusal(`${file.path} does not exist (pool ${holder} has no such file)`, 'path');
  }
  return null;
}

async function byPath(c: LibvirtClient, p: string): Promise<StorageVolRef | null> {
  try {
    return await volLookupByPath(c, p);
  } catch (err) {
    if (isLibvirtError(err, VIR_ERR_NO_STORAGE_VOL)) return null;
    throw err;
  }
}

async function describe(
  c: LibvirtClient,
  vol: StorageVolRef,
  source: DiskSource,
): Promise<ResolvedHostFile> {
  const [xml, info] = await Promise.all([volGetXml(c, vol), volGetInfo(c, vol)]);
  const view = readVolume(parseXml(xml));
  return {
    source,
    path: view.path ?? (source.kind === 'path' ? source.path : ''),
    vol,
    format: view.format ?? null,
    capacityBytes: Number(info.capacity),
  };
}

/** Refreshes the running pool whose folder holds `p`; its name, or null when none does. */
async function refreshPoolsHolding(c: LibvirtClient, p: string): Promise<string | null> {
  const dir = path.posix.dirname(p);
  let refreshed: string | null = null;
  for (const pool of await poolList(c)) {
    if (pool.stateName !== 'running') continue;
    const target = readPool(parseXml(await poolGetXml(c, pool))).targetPath;
    if (target && path.posix.normalize(target) === dir) {
      await poolRefresh(c, pool);
      refreshed = pool.name;
    }
  }
  return refreshed;
}

/** The disk format to write for a file: libvirt's word, else the name's extension, else raw. */
export function diskFormatOf(file: ResolvedHostFile | null, fallbackName: string): string {
  const known = file?.format;
  if (known === 'qcow2' || known === 'raw') return known;
  if (known === 'iso') return 'raw';
  return /\.qcow2$/i.test(fallbackName) ? 'qcow2' : 'raw';
}
