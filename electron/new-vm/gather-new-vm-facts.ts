import type { HostFile, NewVmHostInfo, NewVmSpec, OsEntry } from '../../shared/contract/new-vm';
import type { PoolSummary } from '../../shared/contract/storage';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import type { OsCatalogIndex } from './osinfo/read-os-catalog';
import { readHostInfo } from './read-host-info';
import { resolveHostFile, type ResolvedHostFile } from './resolve-host-file';

export type HostInfoFacts = NewVmHostInfo & {
  domainType: string;
  machine: string | null;
  loaders: string[];
};

/** A host file of the spec: found, not visible to libvirt (null), or libvirt's error. */
export interface FileFact {
  file: HostFile;
  resolved: ResolvedHostFile | null;
  error: unknown;
}

/** What the host says about a spec: read once, used by the checks, the preview and the creation. */
export interface NewVmFacts {
  host: HostInfoFacts;
  os: OsEntry | null;
  /** The spec named an OS the catalog does not have. */
  unknownOs: boolean;
  files: { method: FileFact | null; storage: FileFact | null; driverIso: FileFact | null };
  auxPool: string | null;
}

export async function gatherNewVmFacts(
  c: LibvirtClient,
  spec: NewVmSpec,
  catalog: OsCatalogIndex,
  pools: () => Promise<PoolSummary[]>,
): Promise<NewVmFacts> {
  const host = await readHostInfo(c, spec.connectionId, pools, {
    arch: spec.arch,
    ...(spec.machine ? { machine: spec.machine } : {}),
  });
  const os = spec.osId === null ? null : (catalog.byId.get(spec.osId) ?? null);
  const fact = async (file: HostFile | undefined): Promise<FileFact | null> => {
    if (!file) return null;
    try {
      return { file, resolved: await resolveHostFile(c, file), error: null };
    } catch (error) {
      return { file, resolved: null, error };
    }
  };
  const m = spec.method;
  const methodFile =
    m.kind === 'media'
      ? m.media
      : m.kind === 'import'
        ? m.disk
        : m.kind === 'cloud'
          ? m.base
          : undefined;
  const [method, storage, driverIso] = await Promise.all([
    fact(methodFile),
    fact(spec.storage.kind === 'existing' && m.kind !== 'import' ? spec.storage.disk : undefined),
    fact(spec.driverIso),
  ]);
  return {
    host,
    os,
    unknownOs: spec.osId !== null && os === null,
    files: { method, storage, driverIso },
    auxPool: auxPool(spec, host.pools, method),
  };
}

/**
 * The pool for the seed image and the install kernel: the new disk's pool, else the pool
 * of the method's volume, else `default`, else any running pool that takes new volumes.
 */
function auxPool(
  spec: NewVmSpec,
  pools: readonly PoolSummary[],
  method: FileFact | null,
): string | null {
  const usable = (name: string | undefined) =>
    pools.find((p) => p.name === name && p.state === 'running' && p.canCreateVolumes)?.name;
  return (
    usable(spec.storage.kind === 'new' ? spec.storage.pool : undefined) ??
    usable(method?.resolved?.vol?.pool) ??
    usable('default') ??
    pools.find((p) => p.state === 'running' && p.canCreateVolumes)?.name ??
    null
  );
}
