import { isLibvirtError } from '../errors';
import {
  VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN,
  VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY,
  VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY,
  VIR_DOMAIN_SNAPSHOT_REVERT_FORCE,
  VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED,
  VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM,
  VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING,
  VIR_DOMAIN_SNAPSHOT_XML_SECURE,
  VIR_ERR_NO_DOMAIN_SNAPSHOT,
  virDomainSnapshotCreateFlags,
} from '../protocol/constants.gen';
import type { LibvirtClient } from '../client/libvirt-client';
import { domainRefToRemote, type DomainRef } from './domain-ref';
import { enumFlags, type EnumName } from './enum-name';
import { flagBits } from './flag-bits';
import { snapshotRefFromRemote, snapshotRefToRemote, type SnapshotRef } from './object-refs';

export type { SnapshotRef } from './object-refs';

export interface SnapshotListEntry {
  name: string;
  /** null for a root snapshot. */
  parent: string | null;
  current: boolean;
}

/**
 * Every snapshot of a domain with its parent's name, enough to draw the tree. Costs one call
 * per snapshot for the parent (as virsh snapshot-list --parent does).
 */
export async function snapshotList(c: LibvirtClient, dom: DomainRef): Promise<SnapshotListEntry[]> {
  const remoteDom = domainRefToRemote(dom);
  const { snapshots } = await c.remote.domainListAllSnapshots({
    dom: remoteDom,
    need_results: 1,
    flags: 0,
  });
  const current = await snapshotCurrent(c, dom);
  return Promise.all(
    snapshots.map(async (snap) => {
      const parent = await c.remote.domainSnapshotGetParent({ snap, flags: 0 }).then(
        (r) => r.snap.name,
        (err: unknown) => {
          // The documented answer for a root snapshot.
          if (isLibvirtError(err, VIR_ERR_NO_DOMAIN_SNAPSHOT)) return null;
          throw err;
        },
      );
      return { name: snap.name, parent, current: current?.name === snap.name };
    }),
  );
}

export type SnapshotCreateFlag = EnumName<
  typeof virDomainSnapshotCreateFlags,
  'VIR_DOMAIN_SNAPSHOT_CREATE_'
>;

/** `flags` by name: 'halt', 'disk-only', 'atomic', 'live', 'quiesce', 'redefine', … */
export async function snapshotCreateXml(
  c: LibvirtClient,
  dom: DomainRef,
  xml: string,
  { flags = [] }: { flags?: readonly SnapshotCreateFlag[] } = {},
): Promise<SnapshotRef> {
  if (typeof xml !== 'string' || xml.trim() === '')
    throw new TypeError('snapshot XML must not be empty');
  const { snap } = await c.remote.domainSnapshotCreateXml({
    dom: domainRefToRemote(dom),
    xml_desc: xml,
    flags: enumFlags(virDomainSnapshotCreateFlags, 'VIR_DOMAIN_SNAPSHOT_CREATE_', flags),
  });
  return snapshotRefFromRemote(snap);
}

export async function snapshotGetXml(
  c: LibvirtClient,
  snap: SnapshotRef,
  { secure }: { secure?: boolean } = {},
): Promise<string> {
  const flags = flagBits([secure, VIR_DOMAIN_SNAPSHOT_XML_SECURE]);
  return (await c.remote.domainSnapshotGetXmlDesc({ snap: snapshotRefToRemote(snap), flags })).xml;
}

/** The current snapshot, or null when the domain has none. */
export async function snapshotCurrent(
  c: LibvirtClient,
  dom: DomainRef,
): Promise<SnapshotRef | null> {
  const remoteDom = domainRefToRemote(dom);
  const { result } = await c.remote.domainHasCurrentSnapshot({ dom: remoteDom, flags: 0 });
  if (result === 0) return null;
  return snapshotRefFromRemote(
    (await c.remote.domainSnapshotCurrent({ dom: remoteDom, flags: 0 })).snap,
  );
}

export async function snapshotLookup(
  c: LibvirtClient,
  dom: DomainRef,
  name: string,
): Promise<SnapshotRef> {
  const { snap } = await c.remote.domainSnapshotLookupByName({
    dom: domainRefToRemote(dom),
    name,
    flags: 0,
  });
  return snapshotRefFromRemote(snap);
}

export interface SnapshotRevertOptions {
  /** Run / pause after reverting, whatever state the snapshot recorded. */
  running?: boolean;
  paused?: boolean;
  /** Allow risky reverts (e.g. across incompatible configurations). */
  force?: boolean;
  resetNvram?: boolean;
}

export async function snapshotRevert(
  c: LibvirtClient,
  snap: SnapshotRef,
  options: SnapshotRevertOptions = {},
): Promise<void> {
  if (options.running && options.paused)
    throw new TypeError('running and paused exclude each other');
  const flags = flagBits(
    [options.running, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING],
    [options.paused, VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED],
    [options.force, VIR_DOMAIN_SNAPSHOT_REVERT_FORCE],
    [options.resetNvram, VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM],
  );
  await c.remote.domainRevertToSnapshot({ snap: snapshotRefToRemote(snap), flags });
}

export interface SnapshotDeleteOptions {
  /** Also delete its descendants. */
  children?: boolean;
  /** Delete only the descendants. */
  childrenOnly?: boolean;
  /** Forget the snapshot but keep its data. */
  metadataOnly?: boolean;
}

export async function snapshotDelete(
  c: LibvirtClient,
  snap: SnapshotRef,
  options: SnapshotDeleteOptions = {},
): Promise<void> {
  if (options.children && options.childrenOnly) {
    throw new TypeError('children and childrenOnly exclude each other');
  }
  const flags = flagBits(
    [options.children, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN],
    [options.childrenOnly, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY],
    [options.metadataOnly, VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY],
  );
  await c.remote.domainSnapshotDelete({ snap: snapshotRefToRemote(snap), flags });
}
