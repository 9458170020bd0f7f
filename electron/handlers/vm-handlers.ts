import type { VmBulkAction } from '../../shared/contract/vms';
import type { Services } from '../services';
import type { HandlerTablePart } from './handler-registry';

type VmChannel =
  | 'vm:list'
  | 'vm:get'
  | 'vm:start'
  | 'vm:shutdown'
  | 'vm:reboot'
  | 'vm:forceOff'
  | 'vm:reset'
  | 'vm:pause'
  | 'vm:resume'
  | 'vm:save'
  | 'vm:restore'
  | 'vm:discardSavedState'
  | 'vm:sendNmi'
  | 'vm:setAutostart'
  | 'vm:setTags'
  | 'vm:deletePlan'
  | 'vm:delete'
  | 'vm:bulk';

/** Handlers for the VM list and lifecycle actions; inputs arrive validated. */
export function createVmHandlers(services: Pick<Services, 'vms'>): HandlerTablePart<VmChannel> {
  const { vms } = services;
  const action = (name: VmBulkAction) => async (target: { connectionId: string; uuid: string }) =>
    vms.run(name, { connectionId: target.connectionId, uuid: target.uuid });
  return {
    'vm:list': async ({ connectionId }) => vms.list(connectionId),
    'vm:get': async (target) => vms.get(target),
    'vm:start': async ({ connectionId, uuid, paused, forceBoot }) =>
      vms.startVm({ connectionId, uuid }, { paused, forceBoot }),
    'vm:shutdown': action('shutdown'),
    'vm:reboot': action('reboot'),
    'vm:forceOff': action('forceOff'),
    'vm:reset': action('reset'),
    'vm:pause': action('pause'),
    'vm:resume': action('resume'),
    'vm:save': action('save'),
    'vm:restore': action('restore'),
    'vm:discardSavedState': action('discardSavedState'),
    'vm:sendNmi': action('sendNmi'),
    'vm:setAutostart': async ({ connectionId, uuid, autostart }) =>
      vms.setAutostart({ connectionId, uuid }, autostart),
    'vm:setTags': async ({ connectionId, uuid, tags }) => vms.setTags({ connectionId, uuid }, tags),
    'vm:deletePlan': async (target) => vms.deletePlan(target),
    'vm:delete': async (request) => vms.delete(request),
    'vm:bulk': async ({ action: name, targets }) => vms.bulk(name, targets),
  };
}
