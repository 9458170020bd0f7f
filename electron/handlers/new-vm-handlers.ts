import type { Services } from '../services';
import type { HandlerTablePart } from './handler-registry';

type NewVmChannel =
  | 'newVm:osList'
  | 'newVm:detectOs'
  | 'newVm:hostInfo'
  | 'newVm:check'
  | 'newVm:preview'
  | 'newVm:create'
  | 'newVm:begin'
  | 'newVm:abandon';

/** Handlers of the New VM wizard; inputs arrive validated. */
export function createNewVmHandlers(
  services: Pick<Services, 'newVm'>,
): HandlerTablePart<NewVmChannel> {
  const { newVm } = services;
  return {
    'newVm:osList': async () => newVm.osList(),
    'newVm:detectOs': async (input) => newVm.detectOs(input),
    'newVm:hostInfo': async (input) => newVm.hostInfo(input),
    'newVm:check': async (input) => newVm.check(input),
    'newVm:preview': async (input) => newVm.preview(input),
    'newVm:create': async (input) => newVm.create(input),
    'newVm:begin': async (input) => newVm.begin(input),
    'newVm:abandon': async (input) => newVm.abandon(input),
  };
}
