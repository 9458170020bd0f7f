import type { Services } from '../services';
import type { HandlerTablePart } from './handler-registry';

/** Opening a VM's own window; inputs arrive validated. */
export function createVmWindowHandlers(
  services: Pick<Services, 'vmWindows'>,
): HandlerTablePart<'vmWindow:open'> {
  return {
    'vmWindow:open': async (input) =>
      services.vmWindows.open({
        connectionId: input.connectionId,
        uuid: input.uuid,
        ...(input.tab ? { tab: input.tab } : {}),
      }),
  };
}
