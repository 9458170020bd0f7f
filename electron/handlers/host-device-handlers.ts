import type { Services } from '../services';
import type { HandlerTablePart } from './handler-registry';

/** Handlers for the host's USB/PCI devices and network interfaces (Add Hardware, NIC sources); inputs arrive validated. */
export function createHostDeviceHandlers(
  services: Pick<Services, 'hostDevices'>,
): HandlerTablePart<
  'hostdev:list' | 'hostdev:interfaces' | 'hostdev:mdevs' | 'hostdev:createMdev'
> {
  return {
    'hostdev:list': async ({ connectionId, kind }) => services.hostDevices.list(connectionId, kind),
    'hostdev:interfaces': async ({ connectionId }) => services.hostDevices.interfaces(connectionId),
    'hostdev:mdevs': async ({ connectionId }) => services.hostDevices.mdevs(connectionId),
    'hostdev:createMdev': async ({ connectionId, ...input }) =>
      services.hostDevices.createMdev(connectionId, input),
  };
}
