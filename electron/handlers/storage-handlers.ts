import type { Services } from '../services';
import type { HandlerTablePart } from './handler-registry';

type StorageChannel =
  | 'pool:list'
  | 'pool:define'
  | 'pool:build'
  | 'pool:start'
  | 'pool:stop'
  | 'pool:refresh'
  | 'pool:setAutostart'
  | 'pool:delete'
  | 'vol:list'
  | 'vol:create'
  | 'vol:delete'
  | 'vol:wipe'
  | 'vol:resize'
  | 'vol:clone'
  | 'vol:upload'
  | 'vol:download'
  | 'transfer:cancel';

/** Handlers for storage pools and volumes; inputs arrive validated. */
export function createStorageHandlers(
  services: Pick<Services, 'storage' | 'transfers'>,
): HandlerTablePart<StorageChannel> {
  const { storage, transfers } = services;
  const pool = (i: { connectionId: string; pool: string }) => ({
    connectionId: i.connectionId,
    pool: i.pool,
  });
  return {
    'pool:list': async ({ connectionId }) => storage.listPools(connectionId),
    'pool:define': async (input) => storage.definePool(input),
    'pool:build': async (input) => storage.build(input),
    'pool:start': async (input) => storage.start(input),
    'pool:stop': async (input) => storage.stop(input),
    'pool:refresh': async (input) => storage.refresh(input),
    'pool:setAutostart': async (input) => storage.setAutostart(pool(input), input.autostart),
    'pool:delete': async (input) => storage.deletePool(input),
    'vol:list': async (input) => storage.listVolumes(input),
    'vol:create': async (input) => storage.createVolume(input),
    'vol:delete': async (input) => storage.deleteVolume(input),
    'vol:wipe': async (input) => storage.wipe(input),
    'vol:resize': async (input) => storage.resize(input),
    'vol:clone': async (input) => storage.clone(input),
    'vol:upload': async (input) => transfers.upload(input),
    'vol:download': async (input) => transfers.download(input),
    'transfer:cancel': async ({ transferId }) => ({ cancelled: transfers.cancel(transferId) }),
  };
}
