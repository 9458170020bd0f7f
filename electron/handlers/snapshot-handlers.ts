import type { Services } from '../services';
import type { HandlerTablePart } from './handler-registry';

type SnapshotChannel =
  | 'snapshot:list'
  | 'snapshot:capabilities'
  | 'snapshot:create'
  | 'snapshot:revert'
  | 'snapshot:delete'
  | 'snapshot:describe'
  | 'snapshot:thumbnail'
  | 'vm:saveToFile'
  | 'vm:restoreFromFile'
  | 'vm:savedFileInfo';

/** Handlers for snapshots and save-to-file; inputs arrive validated. */
export function createSnapshotHandlers(
  services: Pick<Services, 'snapshots' | 'saveFiles'>,
): HandlerTablePart<SnapshotChannel> {
  const { snapshots, saveFiles } = services;
  return {
    'snapshot:list': async (target) => snapshots.list(target),
    'snapshot:capabilities': async (target) => snapshots.capabilities(target),
    'snapshot:create': async (request) => snapshots.create(request),
    'snapshot:revert': async (request) => snapshots.revert(request),
    'snapshot:delete': async (request) => snapshots.delete(request),
    'snapshot:describe': async (request) => snapshots.describe(request),
    'snapshot:thumbnail': async (request) => snapshots.thumbnail(request),
    'vm:saveToFile': async (request) => saveFiles.save(request),
    'vm:restoreFromFile': async (request) => saveFiles.restore(request),
    'vm:savedFileInfo': async ({ connectionId, path }) => saveFiles.info(connectionId, path),
  };
}
