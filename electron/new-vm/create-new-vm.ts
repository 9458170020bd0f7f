import type { NewVmProgress } from '../../shared/contract/new-vm';
import { createVolumeDocument, serializeXml } from '../../shared/xml';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import {
  domainDefineXml,
  domainDestroy,
  domainIsActive,
  domainStart,
  domainUndefine,
  type DomainRef,
} from '../libvirt/facade/domain';
import { volRefToRemote } from '../libvirt/facade/object-refs';
import { poolLookup } from '../libvirt/facade/storage-pool';
import {
  volCreateXml,
  volCreateXmlFrom,
  volDelete,
  volGetInfo,
  volResize,
  type StorageVolRef,
} from '../libvirt/facade/storage-volume';
import { buildDomainXml, type DomainXmlInput } from './domain-xml/build-domain-xml';
import type { NewVmPlan, PlannedVolume } from './new-vm-plan';
import { uploadBuffer } from './upload-buffer';

export type ProgressSink = (p: Omit<NewVmProgress, 'jobId'>) => void;

/** What a creation made, so it can be removed again (rollback, "abandon"). */
export interface CreatedParts {
  volumes: StorageVolRef[];
  domain: DomainRef | null;
}

export interface CreationInput {
  plan: NewVmPlan;
  /** The XML input the plan was built from, to build the install XML with the kernel's paths. */
  xmlInput: Omit<DomainXmlInput, 'kernelBoot'>;
  /** Bytes of the `upload` volumes, by purpose. */
  uploads: Partial<Record<'seed' | 'kernel' | 'initrd', Buffer>>;
  cmdline: string | null;
  start: boolean;
}

export interface CreationResult {
  parts: CreatedParts;
  /** The install XML of a tree install (kernel boot), null otherwise. */
  installXml: string | null;
}

/**
 * Creates the plan's volumes, defines the VM and starts it. On any failure everything made
 * so far is removed and the original error is thrown again (with the rollback's own failure
 * attached as `rollbackError` when that also failed).
 */
export async function createNewVm(
  c: LibvirtClient,
  input: CreationInput,
  progress: ProgressSink,
): Promise<CreationResult> {
  const parts: CreatedParts = { volumes: [], domain: null };
  try {
    const paths = new Map<string, string>();
    for (const v of input.plan.volumes) {
      const vol = await createVolume(c, v, input.uploads, parts, progress);
      paths.set(v.purpose, (await c.remote.storageVolGetPath({ vol: volRefToRemote(vol) })).name);
    }
    const kernel = paths.get('kernel');
    const initrd = paths.get('initrd');
    const installXml =
      kernel && initrd
        ? buildDomainXml({
            ...input.xmlInput,
            kernelBoot: { kernel, initrd, cmdline: input.cmdline ?? '' },
          })
        : null;
    progress({ phase: 'defining' });
    parts.domain = await domainDefineXml(c, input.plan.xml);
    if (input.start) {
      progress({ phase: 'starting' });
      await startNewVm(c, parts.domain, installXml);
    }
    return { parts, installXml };
  } catch (err) {
    progress({ phase: 'rolling-back', message: err instanceof Error ? err.message : undefined });
    const rollbackError = await removeParts(c, parts);
    if (rollbackError !== null && err instanceof Error) Object.assign(err, { rollbackError });
    throw err;
  }
}

/**
 * Boots the VM. A tree install boots once with the install XML over the persistent
 * definition: libvirt accepts virDomainCreateXML for an inactive persistent domain of the
 * same name and UUID, runs that XML, and keeps the persistent one for the next start.
 */
export async function startNewVm(
  c: LibvirtClient,
  dom: DomainRef,
  installXml: string | null,
): Promise<void> {
  if (installXml === null) {
    await domainStart(c, dom);
    return;
  }
  await c.remote.domainCreateXml({ xml_desc: installXml, flags: 0 });
}

async function createVolume(
  c: LibvirtClient,
  v: PlannedVolume,
  uploads: CreationInput['uploads'],
  parts: CreatedParts,
  progress: ProgressSink,
): Promise<StorageVolRef> {
  const pool = await poolLookup(c, v.pool);
  const data = v.purpose === 'disk' ? undefined : uploads[v.purpose];
  const capacityBytes = data ? data.length : v.capacityBytes;
  const doc = (backingStore?: { path: string; format: string }) =>
    serializeXml(
      createVolumeDocument({
        name: v.name,
        capacityBytes,
        format: v.format,
        ...(backingStore ? { backingStore } : {}),
      }),
    );
  let vol: StorageVolRef;
  switch (v.creation.kind) {
    case 'empty':
      progress({ phase: 'volumes', message: v.name });
      vol = await volCreateXml(c, pool, doc());
      parts.volumes.push(vol);
      break;
    case 'overlay':
      progress({ phase: 'volumes', message: v.name });
      vol = await volCreateXml(
        c,
        pool,
        doc({ path: v.creation.backingPath, format: v.creation.backingFormat }),
      );
      parts.volumes.push(vol);
      break;
    case 'clone': {
      progress({ phase: 'copying', message: v.name });
      vol = await volCreateXmlFrom(c, pool, doc(), v.creation.from);
      parts.volumes.push(vol);
      // The copy has the base image's size whatever was asked; grow it to the chosen size.
      const info = await volGetInfo(c, vol);
      if (info.capacity < BigInt(capacityBytes)) await volResize(c, vol, BigInt(capacityBytes));
      break;
    }
    case 'upload': {
      if (!data) throw new Error(`No data was prepared for ${v.name}`);
      const phase = v.purpose === 'seed' ? 'seed' : 'kernel';
      progress({ phase, message: v.name, done: 0, total: data.length });
      vol = await volCreateXml(c, pool, doc());
      parts.volumes.push(vol);
      await uploadBuffer(c, vol, data, (done, total) =>
        progress({ phase, message: v.name, done, total }),
      );
      break;
    }
  }
  return vol;
}

/** Stops and undefines the VM (with its NVRAM) and deletes the volumes; the first error, or null. */
export async function removeParts(c: LibvirtClient, parts: CreatedParts): Promise<unknown> {
  let first: unknown = null;
  const attempt = async (fn: () => Promise<unknown>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      first ??= err;
    }
  };
  const dom = parts.domain;
  if (dom) {
    const active = await domainIsActive(c, dom).catch(() => false);
    if (active) await attempt(() => domainDestroy(c, dom));
    await attempt(() =>
      domainUndefine(c, dom, { nvram: true, managedSave: true, snapshotsMetadata: true }),
    );
  }
  for (const vol of [...parts.volumes].reverse()) await attempt(() => volDelete(c, vol));
  return first;
}
