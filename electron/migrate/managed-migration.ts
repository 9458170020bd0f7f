import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import {
  domainRefFromRemote,
  domainRefToRemote,
  type DomainRef,
} from '../libvirt/facade/domain-ref';
import { typedParam } from '../libvirt/facade/stats';
import {
  VIR_DOMAIN_PAUSED,
  VIR_MIGRATE_ABORT_ON_ERROR,
  VIR_MIGRATE_AUTO_CONVERGE,
  VIR_MIGRATE_CHANGE_PROTECTION,
  VIR_MIGRATE_OFFLINE,
  VIR_MIGRATE_PARAM_DEST_XML,
  VIR_MIGRATE_PARAM_URI,
  VIR_MIGRATE_PAUSED,
  VIR_MIGRATE_PEER2PEER,
  VIR_MIGRATE_TUNNELLED,
} from '../libvirt/protocol/constants.gen';
import type { RemoteTypedParam } from '../libvirt/protocol/remote.gen';

export type ManagedPhase = 'begin' | 'prepare' | 'perform' | 'finish' | 'confirm';

export interface ManagedMigrationInput {
  source: LibvirtClient;
  destination: LibvirtClient;
  dom: DomainRef;
  /** VIR_MIGRATE_* bits; never PEER2PEER/TUNNELLED (the app is the go-between here). */
  flags: number;
  params: readonly RemoteTypedParam[];
  /** Awaited: a phase may read the source first (the finished job's figures). */
  onPhase(phase: ManagedPhase): void | Promise<void>;
}

const EMPTY = new Uint8Array(0);

function withParam(
  params: readonly RemoteTypedParam[],
  field: string,
  value: string,
): RemoteTypedParam[] {
  return [...params.filter((p) => p.field !== field), typedParam(field, 'string', value)];
}

/**
 * libvirt's client-driven ("managed") migration protocol, version 3 with parameters, as
 * virDomainMigrate3 runs it inside libvirt, but with our two connections: Begin on the
 * source, Prepare on the destination, Perform on the source (the hypervisors move the data
 * between themselves), Finish on the destination, Confirm on the source. CHANGE_PROTECTION
 * keeps the source's job from Begin to Confirm, so nobody changes the VM in between and a
 * failure after Begin always ends in a cancelled Confirm: the source runs on as before.
 */
export async function runManagedMigration(input: ManagedMigrationInput): Promise<DomainRef> {
  const { source, destination, onPhase } = input;
  if ((input.flags & (VIR_MIGRATE_PEER2PEER | VIR_MIGRATE_TUNNELLED)) !== 0) {
    throw new TypeError('managed migration takes no peer-to-peer or tunnelled flag');
  }
  const dom = domainRefToRemote(input.dom);
  let flags = (input.flags | VIR_MIGRATE_CHANGE_PROTECTION) >>> 0;
  let params = [...input.params];

  await onPhase('begin');
  const begun = await source.remote.domainMigrateBegin3Params({ dom, params, flags });
  let cancelled = 1;
  let cookie: Uint8Array = begun.cookie_out;
  let failure: unknown;
  let moved: DomainRef | null = null;
  try {
    if ((flags & VIR_MIGRATE_OFFLINE) === 0) {
      const { state } = await source.remote.domainGetState({ dom, flags: 0 });
      // A paused VM stays paused on the destination (libvirt does the same).
      if (state === VIR_DOMAIN_PAUSED) flags = (flags | VIR_MIGRATE_PAUSED) >>> 0;
    }
    const destFlags = (flags & ~(VIR_MIGRATE_ABORT_ON_ERROR | VIR_MIGRATE_AUTO_CONVERGE)) >>> 0;
    await onPhase('prepare');
    params = withParam(params, VIR_MIGRATE_PARAM_DEST_XML, begun.xml);
    const prepared = await destination.remote.domainMigratePrepare3Params({
      params,
      cookie_in: cookie,
      flags: destFlags,
    });
    if (prepared.uri_out !== null)
      params = withParam(params, VIR_MIGRATE_PARAM_URI, prepared.uri_out);
    cookie = prepared.cookie_out;

    if ((flags & VIR_MIGRATE_OFFLINE) !== 0) {
      // Only the definition moves: there is nothing to perform.
      cookie = EMPTY;
      cancelled = 0;
    } else {
      await onPhase('perform');
      try {
        const performed = await source.remote.domainMigratePerform3Params({
          dom,
          dconnuri: null,
          params,
          cookie_in: cookie,
          flags,
        });
        cookie = performed.cookie_out;
        cancelled = 0;
      } catch (err) {
        failure = err;
        cookie = EMPTY;
      }
    }

    // A destination whose link is gone has already dropped the incoming VM (libvirt kills
    // it when the preparing client disconnects); Finish could not be sent anyway.
    if (!destination.closed) {
      await onPhase('finish');
      try {
        const finished = await destination.remote.domainMigrateFinish3Params({
          params,
          cookie_in: cookie,
          flags: destFlags,
          cancelled,
        });
        moved = domainRefFromRemote(finished.dom);
        cookie = finished.cookie_out;
      } catch (err) {
        failure ??= err;
        cookie = EMPTY;
      }
    } else {
      failure ??= new Error('the link to the destination closed during the migration');
    }
    cancelled = moved ? 0 : 1;
  } catch (err) {
    failure = err;
    cancelled = 1;
    cookie = EMPTY;
  }

  await onPhase('confirm');
  try {
    await source.remote.domainMigrateConfirm3Params({
      dom,
      params,
      cookie_in: cookie,
      flags,
      cancelled,
    });
  } catch (err) {
    // The VM runs on the destination: a failed Confirm leaves the source to clean up, but
    // the migration itself happened. A failed migration reports its first error instead.
    failure ??= moved ? undefined : err;
  }
  if (failure !== undefined || !moved) throw failure ?? new Error('the destination returned no VM');
  return moved;
}
