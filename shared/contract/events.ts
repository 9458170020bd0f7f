import type { Preferences } from './app';
import type { CloneEvents } from './clone';
import type { ConnectionEvents } from './connections';
import type { ConsoleEvents } from './consoles';
import type { MigrateEvents } from './migrate';
import type { NetworkEvents } from './networks';
import type { NewVmEvents } from './new-vm';
import type { SnapshotEvents } from './snapshots';
import type { StatsEvents } from './stats';
import type { StorageEvents, TransferEvents } from './storage';
import type { VmEvents } from './vms';

/** Events pushed from the main process to every renderer, by name. */
export interface EventMap
  extends
    ConnectionEvents,
    VmEvents,
    StatsEvents,
    ConsoleEvents,
    StorageEvents,
    TransferEvents,
    NetworkEvents,
    SnapshotEvents,
    CloneEvents,
    MigrateEvents,
    NewVmEvents {
  'prefs:changed': Preferences;
}

export type EventName = keyof EventMap;

export interface EventEnvelope<E extends EventName = EventName> {
  name: E;
  payload: EventMap[E];
}

export const eventNames: readonly EventName[] = [
  'prefs:changed',
  'connection:state',
  'connection:prompt',
  'connection:promptClosed',
  'connection:changed',
  'vm:listReset',
  'vm:added',
  'vm:changed',
  'vm:removed',
  'stats:tick',
  'stats:vm',
  'console:ended',
  'pool:changed',
  'transfer:progress',
  'net:changed',
  'snapshot:changed',
  'clone:progress',
  'vm:migrateProgress',
  'newVm:progress',
];
