import type { Services } from '../services';
import type { HandlerTablePart } from './handler-registry';

type CloneChannel = 'vm:clonePlan' | 'vm:clone' | 'vm:cloneCancel';

/** Handlers for cloning VMs; inputs arrive validated. */
export function createCloneHandlers(
  services: Pick<Services, 'clone'>,
): HandlerTablePart<CloneChannel> {
  const { clone } = services;
  return {
    'vm:clonePlan': async (target) => clone.plan(target),
    'vm:clone': async (request) => clone.clone(request),
    'vm:cloneCancel': async ({ jobId }) => clone.cancel(jobId),
  };
}
