import { buildConnectionUri } from '../connections/build-connection-uri';
import type { Services } from '../services';
import type { HandlerTablePart } from './handler-registry';

type ConnectionChannel =
  | 'connection:list'
  | 'connection:add'
  | 'connection:update'
  | 'connection:delete'
  | 'connection:connect'
  | 'connection:disconnect'
  | 'connection:answerPrompt'
  | 'connection:importCandidates'
  | 'connection:import'
  | 'connection:details'
  | 'connection:buildUri';

/** Saved hosts and their links; errors keep libvirt's and ssh's own messages. */
export function createConnectionHandlers(
  services: Pick<Services, 'connections'>,
): HandlerTablePart<ConnectionChannel> {
  const { connections } = services;
  return {
    'connection:list': () => connections.list(),
    'connection:add': (draft) => connections.add(draft),
    'connection:update': ({ id, patch }) => connections.update(id, patch),
    'connection:delete': ({ id }) => connections.remove(id),
    'connection:connect': ({ id }) => connections.connect(id),
    'connection:disconnect': ({ id }) => connections.disconnect(id),
    'connection:answerPrompt': async (answer) => connections.answerPrompt(answer),
    'connection:importCandidates': () => connections.importCandidates(),
    'connection:import': ({ connections: drafts }) => connections.importConnections(drafts),
    'connection:details': ({ id }) => connections.details(id),
    'connection:buildUri': async (input) => ({ uri: buildConnectionUri(input) }),
  };
}
