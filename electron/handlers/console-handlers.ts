import type { Services } from '../services';
import type { HandlerTablePart } from './handler-registry';

type ConsoleChannel =
  | 'console:info'
  | 'console:open'
  | 'console:close'
  | 'console:sendKeys'
  | 'console:screenshot'
  | 'console:viewerFile'
  | 'console:planSpiceToVnc'
  | 'console:replaceSpiceWithVnc'
  | 'console:openWindow';

/** Handlers for VM consoles (displays and serial consoles); inputs arrive validated. */
export function createConsoleHandlers(
  services: Pick<Services, 'consoles'>,
): HandlerTablePart<ConsoleChannel> {
  const { service, actions } = services.consoles;
  const vm = (input: { connectionId: string; uuid: string }) => ({
    connectionId: input.connectionId,
    uuid: input.uuid,
  });
  return {
    'console:info': async (input) => service.info(vm(input)),
    'console:open': async (input) => service.open(input),
    'console:close': async ({ id }) => service.close(id),
    'console:sendKeys': async (input) => actions.sendKeys(vm(input), input.combo),
    'console:screenshot': async (input) => actions.screenshot(vm(input), input.screen ?? 0),
    'console:viewerFile': async (input) => actions.viewerFile(vm(input), input.index),
    'console:planSpiceToVnc': async (input) => actions.planSpiceToVnc(vm(input)),
    'console:replaceSpiceWithVnc': async (input) => actions.replaceSpiceWithVnc(vm(input)),
    'console:openWindow': async (input) => service.openWindow(vm(input)),
  };
}
