import type { Services } from '../services';
import type { HandlerTablePart } from './handler-registry';

/** Handlers for the host's USB/PCI devices and network interfaces (Add Hardware, NIC sources); inputs arrive validated. */
export function createHostDeviceHandlers(
  services: Pick<Services, 'hostDevices'>,
): HandlerTablePart<'hostdev:list' | 'hostdev:interfaces'> {
  return {
    'hostdev:list': async ({ connectionId, kind }) => services.hostDevices.list(connectionId, kind),
    'hostdev:interfaces': async ({ connectionId }) => services.hostDevices.interfaces(connectionId),
  };
}
