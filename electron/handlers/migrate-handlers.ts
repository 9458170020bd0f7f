import type { Services } from '../services';
import type { HandlerTablePart } from './handler-registry';

type MigrateChannel = 'vm:migrateCheck' | 'vm:migrate' | 'vm:migrateCancel';

/** Handlers for moving a VM to another connection; inputs arrive validated. */
export function createMigrateHandlers(
  services: Pick<Services, 'migrations'>,
): HandlerTablePart<MigrateChannel> {
  const { migrations } = services;
  return {
    'vm:migrateCheck': async (request) => migrations.check(request),
    'vm:migrate': async (request) => migrations.migrate(request),
    'vm:migrateCancel': async ({ jobId }) => migrations.cancel(jobId),
  };
}
