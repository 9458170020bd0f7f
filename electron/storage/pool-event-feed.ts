import type { PoolChange } from '../../shared/contract/storage';
import type { Logger } from '../services/logger';
import type { HostDirectory } from '../vms/host-directory';
import { followHosts, type HostFollower } from './follow-hosts';

// Build and delete of a pool's backing change its volumes, not its state.
const POOL_CHANGES: Readonly<Record<string, PoolChange>> = {
  defined: 'defined',
  undefined: 'undefined',
  started: 'started',
  stopped: 'stopped',
};

/**
 * libvirt's pool lifecycle and refresh events of every connected host, as PoolChanges: a
 * change made elsewhere (virsh, another app) reaches the renderer like one made here.
 */
export function followPoolEvents(
  hosts: HostDirectory,
  logger: Logger,
  changed: (connectionId: string, pool: string, change: PoolChange) => void,
): HostFollower {
  return followHosts(
    hosts,
    (host) =>
      host.client.events.onStoragePoolEvent((e) =>
        changed(
          host.connectionId,
          e.pool.name,
          e.kind === 'refresh' ? 'refreshed' : (POOL_CHANGES[e.eventName] ?? 'changed'),
        ),
      ),
    logger,
    'storage pool',
  );
}
