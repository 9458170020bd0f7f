import type { Services } from '../services';
import { createAppHandlers } from './app-handlers';
import { createCloneHandlers } from './clone-handlers';
import { createConnectionHandlers } from './connection-handlers';
import { createConsoleHandlers } from './console-handlers';
import { createDomainEditHandlers } from './domain-edit-handlers';
import { HandlerRegistry } from './handler-registry';
import { createHostDeviceHandlers } from './host-device-handlers';
import { createMigrateHandlers } from './migrate-handlers';
import { createNetworkHandlers } from './network-handlers';
import { createNewVmHandlers } from './new-vm-handlers';
import { createSnapshotHandlers } from './snapshot-handlers';
import { createStatsHandlers } from './stats-handlers';
import { createStorageHandlers } from './storage-handlers';
import { createVmHandlers } from './vm-handlers';
import { createVmWindowHandlers } from './vm-window-handlers';
import type { HandlerTable } from './handler-registry';

/** Every area's handlers in one table; the type rejects a channel left out. */
export function createHandlerTable(services: Services): HandlerTable {
  return {
    ...createAppHandlers(services),
    ...createConnectionHandlers(services),
    ...createVmHandlers(services),
    ...createStatsHandlers(services),
    ...createConsoleHandlers(services),
    ...createDomainEditHandlers(services),
    ...createStorageHandlers(services),
    ...createNetworkHandlers(services),
    ...createHostDeviceHandlers(services),
    ...createSnapshotHandlers(services),
    ...createNewVmHandlers(services),
    ...createCloneHandlers(services),
    ...createMigrateHandlers(services),
    ...createVmWindowHandlers(services),
  };
}

export function createHandlerRegistry(services: Services): HandlerRegistry {
  return new HandlerRegistry(createHandlerTable(services), services.logger);
}
