import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import {
  domainGetAutostart,
  domainGetState,
  domainHasManagedSave,
  domainIsPersistent,
  domainList,
  type DomainRef,
} from '../libvirt/facade/domain';
import { domainRefFromRemote } from '../libvirt/facade/domain-ref';
import { parseUuid } from '../libvirt/facade/uuid';
import { connectGetAllDomainStats } from '../libvirt/facade/stats';
import {
  VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT,
  VIR_CONNECT_LIST_DOMAINS_AUTOSTART,
  VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE,
  VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
  VIR_DOMAIN_SHUTOFF,
  VIR_DOMAIN_STATS_BALLOON,
  VIR_DOMAIN_STATS_STATE,
  VIR_DOMAIN_STATS_VCPU,
} from '../libvirt/protocol/constants.gen';
import type { DomainFacts } from './vm-summary';

export interface DomainSizes {
  vcpus?: number;
  maxVcpus?: number;
  memoryKiB?: number;
  maxMemoryKiB?: number;
}

export interface HostDomainFacts {
  refs: DomainRef[];
  /** By UUID; a domain defined between the calls may be missing (read it on its own). */
  facts: Map<string, DomainFacts>;
  sizes: Map<string, DomainSizes>;
}

const uuids = (refs: readonly DomainRef[]): Set<string> => new Set(refs.map((r) => r.uuid));

function numberField(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/**
 * Every domain of a host with its state and flags in five calls, however many domains there
 * are: the list filtered by persistent/autostart/managed-save, and one bulk stats call for
 * state (plus sizes where the driver reports them for shut-off domains too, as QEMU does).
 */
export async function readHostDomainFacts(
  c: LibvirtClient,
  connectionId: string,
): Promise<HostDomainFacts> {
  const [refs, persistent, autostart, managedSave, stats] = await Promise.all([
    domainList(c),
    domainList(c, { flags: VIR_CONNECT_LIST_DOMAINS_PERSISTENT }),
    domainList(c, { flags: VIR_CONNECT_LIST_DOMAINS_AUTOSTART }),
    domainList(c, { flags: VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE }),
    connectGetAllDomainStats(c, {
      stats: VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_BALLOON | VIR_DOMAIN_STATS_VCPU,
      flags: VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT,
    }),
  ]);
  const isPersistent = uuids(persistent);
  const isAutostart = uuids(autostart);
  const isSaved = uuids(managedSave);
  const byUuid = new Map(stats.map((r) => [r.dom.uuid, r.stats]));
  const facts = new Map<string, DomainFacts>();
  const sizes = new Map<string, DomainSizes>();
  for (const ref of refs) {
    const record = byUuid.get(ref.uuid);
    const state = numberField(record?.['state.state']);
    if (record === undefined || state === undefined) continue;
    facts.set(ref.uuid, {
      connectionId,
      uuid: ref.uuid,
      name: ref.name,
      // As in readDomainFacts: the list and the stats are separate calls.
      id: state === VIR_DOMAIN_SHUTOFF ? -1 : ref.id,
      state,
      reason: numberField(record['state.reason']) ?? 0,
      persistent: isPersistent.has(ref.uuid),
      autostart: isAutostart.has(ref.uuid),
      hasManagedSave: isSaved.has(ref.uuid),
    });
    sizes.set(ref.uuid, {
      vcpus: numberField(record['vcpu.current']),
      maxVcpus: numberField(record['vcpu.maximum']),
      memoryKiB: numberField(record['balloon.current']),
      maxMemoryKiB: numberField(record['balloon.maximum']),
    });
  }
  return { refs, facts, sizes };
}

/** By UUID only: libvirt's NO_DOMAIN error then says "no domain with matching uuid". */
export async function lookupDomainByUuid(c: LibvirtClient, uuid: string): Promise<DomainRef> {
  return domainRefFromRemote((await c.remote.domainLookupByUuid({ uuid: parseUuid(uuid) })).dom);
}

/** One domain's facts, looked up by UUID (throws libvirt's NO_DOMAIN when it is gone). */
export async function readDomainFacts(
  c: LibvirtClient,
  connectionId: string,
  uuid: string,
): Promise<{ ref: DomainRef; facts: DomainFacts }> {
  const ref = await lookupDomainByUuid(c, uuid);
  const [state, persistent, autostart, hasManagedSave] = await Promise.all([
    domainGetState(c, ref),
    domainIsPersistent(c, ref),
    domainGetAutostart(c, ref),
    domainHasManagedSave(c, ref),
  ]);
  return {
    ref,
    facts: {
      connectionId,
      uuid: ref.uuid,
      name: ref.name,
      // The lookup and the state are two calls: a VM stopped between them still carries its
      // old id in the lookup's answer. A shut-off domain has no id, whatever the lookup said.
      id: state.state === VIR_DOMAIN_SHUTOFF ? -1 : ref.id,
      state: state.state,
      reason: state.reason,
      persistent,
      autostart,
      hasManagedSave,
    },
  };
}
