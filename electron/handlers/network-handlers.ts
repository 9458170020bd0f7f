import type { Services } from '../services';
import type { HandlerTablePart } from './handler-registry';

type NetworkChannel =
  | 'net:list'
  | 'net:define'
  | 'net:start'
  | 'net:stop'
  | 'net:setAutostart'
  | 'net:delete'
  | 'net:leases'
  | 'net:updateStaticHost'
  | 'net:defaultStatus';

/** Handlers for virtual networks; inputs arrive validated. */
export function createNetworkHandlers(
  services: Pick<Services, 'networks'>,
): HandlerTablePart<NetworkChannel> {
  const { networks } = services;
  return {
    'net:list': async ({ connectionId }) => networks.list(connectionId),
    'net:define': async (input) => networks.define(input),
    'net:start': async (input) => networks.start(input),
    'net:stop': async (input) => networks.stop(input),
    'net:setAutostart': async ({ connectionId, network, autostart }) =>
      networks.setAutostart({ connectionId, network }, autostart),
    'net:delete': async (input) => networks.delete(input),
    'net:leases': async (input) => networks.leases(input),
    'net:updateStaticHost': async (input) => networks.updateStaticHost(input),
    'net:defaultStatus': async ({ connectionId }) => networks.defaultStatus(connectionId),
  };
}
