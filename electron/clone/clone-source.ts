import type {
  CloneDiskAction,
  CloneDiskPlan,
  ClonePlan,
  ClonePoolInfo,
} from '../../shared/contract/clone';
import {
  childElements,
  documentRoot,
  findElement,
  findElements,
  getAttribute,
  parseXml,
  readDisk,
  readFirmware,
  readPool,
} from '../../shared/xml';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import { isLibvirtError } from '../libvirt/errors';
import {
  domainGetState,
  domainGetXml,
  domainIsPersistent,
  domainList,
  type DomainRef,
} from '../libvirt/facade/domain';
import { poolGetXml, poolList, poolLookup } from '../libvirt/facade/storage-pool';
import {
  volGetInfo,
  volList,
  volLookup,
  volLookupByPath,
  type StorageVolRef,
} from '../libvirt/facade/storage-volume';
import { VIR_ERR_NO_STORAGE_POOL, VIR_ERR_NO_STORAGE_VOL } from '../libvirt/protocol/constants.gen';
import { mapWithLimit } from '../vms/map-with-limit';
import { cloneVolumeName, freeCloneName } from './clone-names';

/** A source disk with the volume libvirt can copy, when there is one. */
export interface SourceDisk extends CloneDiskPlan {
  vol: StorageVolRef | null;
  /** The disk's type in the XML (file, block, volume…). */
  xmlType: string | undefined;
}

/** The source VM as read for one plan or clone: what the contract shows, and the refs. */
export interface CloneSource {
  plan: ClonePlan;
  disks: SourceDisk[];
  /** The definition the clone starts from (the persistent one when there is one). */
  xml: string;
  active: boolean;
  paused: boolean;
  /** Names and MACs already used on the host. */
  takenNames: Set<string>;
  takenMacs: Set<string>;
  /** Volume names per pool (active pools). */
  poolVolumes: Map<string, Set<string>>;
}

async function diskVolume(
  c: LibvirtClient,
  source: { pool?: string; volume?: string; file?: string; dev?: string },
): Promise<StorageVolRef | null> {
  try {
    if (source.pool && source.volume) {
      return await volLookup(c, await poolLookup(c, source.pool), source.volume);
    }
    const path = source.file ?? source.dev;
    return path ? await volLookupByPath(c, path) : null;
  } catch (err) {
    if (isLibvirtError(err, VIR_ERR_NO_STORAGE_VOL) || isLibvirtError(err, VIR_ERR_NO_STORAGE_POOL))
      return null;
    throw err;
  }
}

async function readDisks(
  c: LibvirtClient,
  root: ReturnType<typeof documentRoot>,
  sourceName: string,
  cloneName: string,
  poolVolumes: Map<string, Set<string>>,
): Promise<SourceDisk[]> {
  const devices = findElement(root, 'devices');
  const elements = devices ? childElements(devices, 'disk') : [];
  return Promise.all(
    elements.map(async (el): Promise<SourceDisk> => {
      const d = readDisk(el);
      const vol = d.source ? await diskVolume(c, d.source) : null;
      const info = vol ? await volGetInfo(c, vol) : null;
      const path = d.source?.file ?? d.source?.dev ?? (vol?.key.startsWith('/') ? vol.key : null);
      const blocker =
        d.source === undefined
          ? ('empty' as const)
          : d.source.protocol !== undefined
            ? ('network' as const)
            : vol === null
              ? ('not-in-pool' as const)
              : null;
      const cloneable = blocker === null && d.device !== 'cdrom' && d.device !== 'floppy';
      // virt-clone's rule: writable, unshared disks are copied; CD-ROMs, read-only and
      // shareable disks are meant for several VMs and are shared.
      const copyByDefault = cloneable && d.device === 'disk' && !d.readonly && !d.shareable;
      const defaultAction: CloneDiskAction = copyByDefault
        ? 'clone'
        : blocker === 'empty' || d.device === 'cdrom' || d.readonly || d.shareable
          ? 'share'
          : 'skip';
      return {
        target: d.target.dev ?? '',
        device: d.device,
        path: d.source?.protocol !== undefined ? null : (path ?? null),
        pool: vol?.pool ?? d.source?.pool ?? null,
        volume: vol?.name ?? d.source?.volume ?? null,
        format: d.driver.type ?? null,
        capacity: info ? Number(info.capacity) : null,
        allocation: info ? Number(info.allocation) : null,
        readonly: d.readonly,
        shareable: d.shareable,
        cloneable,
        blocker,
        defaultAction,
        suggestedVolume: vol
          ? cloneVolumeName(vol.name, sourceName, cloneName, poolVolumes.get(vol.pool) ?? new Set())
          : null,
        vol,
        xmlType: d.type,
      };
    }),
  );
}

async function hostInventory(c: LibvirtClient): Promise<{ names: Set<string>; macs: Set<string> }> {
  const refs = await domainList(c);
  const names = new Set(refs.map((r) => r.name));
  const macs = new Set<string>();
  // Bounded: a host with hundreds of VMs must not get hundreds of calls at once.
  await mapWithLimit(refs, 8, async (ref) => {
    try {
      const root = documentRoot(parseXml(await domainGetXml(c, ref)));
      for (const nic of findElements(root, 'devices/interface')) {
        const mac = findElement(nic, 'mac');
        const address = mac && getAttribute(mac, 'address');
        if (address) macs.add(address.toLowerCase());
      }
    } catch {
      // Undefined between the list and this read: its MACs are free again.
    }
  });
  return { names, macs };
}

async function readPools(
  c: LibvirtClient,
): Promise<{ pools: ClonePoolInfo[]; volumes: Map<string, Set<string>> }> {
  const list = await poolList(c);
  const volumes = new Map<string, Set<string>>();
  const pools = await Promise.all(
    list.map(async (p): Promise<ClonePoolInfo> => {
      const active = p.stateName === 'running';
      const [xml, vols] = await Promise.all([
        poolGetXml(c, p),
        active ? volList(c, p).catch(() => []) : Promise.resolve([]),
      ]);
      volumes.set(p.name, new Set(vols.map((v) => v.name)));
      return {
        name: p.name,
        type: readPool(parseXml(xml)).type ?? 'unknown',
        active,
        available: Number(p.available),
      };
    }),
  );
  return { pools: pools.sort((a, b) => a.name.localeCompare(b.name)), volumes };
}

/** Everything a clone of `dom` needs to know, read fresh from the host. */
export async function readCloneSource(
  c: LibvirtClient,
  dom: DomainRef,
  target: { connectionId: string; alias: string },
): Promise<CloneSource> {
  const [state, persistent, inventory, pools] = await Promise.all([
    domainGetState(c, dom),
    domainIsPersistent(c, dom),
    hostInventory(c),
    readPools(c),
  ]);
  const xml = await domainGetXml(c, dom, { inactive: persistent, secure: true });
  const doc = parseXml(xml);
  const root = documentRoot(doc);
  const suggestedName = freeCloneName(dom.name, inventory.names);
  const disks = await readDisks(c, root, dom.name, suggestedName, pools.volumes);
  const firmware = readFirmware(doc);
  const nvramPath = firmware.kind === 'efi' ? (firmware.nvram?.path ?? null) : null;
  const active = state.stateName !== 'shutoff' && state.stateName !== 'crashed';
  const paused = state.stateName === 'paused';
  const notes: string[] = [];
  const tpm = findElement(root, 'devices/tpm/backend');
  if (tpm && getAttribute(tpm, 'type') === 'emulator')
    notes.push("The emulated TPM's state is not copied: the clone starts with an empty TPM.");
  notes.push('Snapshots and a managed-save image stay with the source.');
  return {
    plan: {
      connectionId: target.connectionId,
      uuid: dom.uuid,
      name: dom.name,
      alias: target.alias,
      suggestedName,
      state: state.stateName,
      pauseWhileCopying: active && !paused,
      disks: disks.map(({ vol: _vol, xmlType: _type, ...d }) => d),
      nvram: nvramPath ? { path: nvramPath } : null,
      pools: pools.pools,
      notes,
    },
    disks,
    xml,
    active,
    paused,
    takenNames: inventory.names,
    takenMacs: inventory.macs,
    poolVolumes: pools.volumes,
  };
}
