import type { RemoteClient } from '../protocol/remote.gen';
import type { EventObject } from './event-source';

/** How one object kind registers and drops a server-side event callback. */
export interface EventRegistrar {
  /** Registers for all objects of the kind (NULL object) → the daemon's callback ID. */
  register(remote: RemoteClient, eventId: number): Promise<number>;
  deregister(remote: RemoteClient, callbackId: number): Promise<void>;
}

// The *_CALLBACK_REGISTER_ANY family (daemons ≥ 1.2.1); the legacy procedures are never used.
export const eventRegistrars: Readonly<Record<EventObject, EventRegistrar>> = {
  domain: {
    register: async (remote, eventID) =>
      (await remote.connectDomainEventCallbackRegisterAny({ eventID, dom: null })).callbackID,
    deregister: (remote, callbackID) =>
      remote.connectDomainEventCallbackDeregisterAny({ callbackID }),
  },
  network: {
    register: async (remote, eventID) =>
      (await remote.connectNetworkEventRegisterAny({ eventID, net: null })).callbackID,
    deregister: (remote, callbackID) => remote.connectNetworkEventDeregisterAny({ callbackID }),
  },
  'storage-pool': {
    register: async (remote, eventID) =>
      (await remote.connectStoragePoolEventRegisterAny({ eventID, pool: null })).callbackID,
    deregister: (remote, callbackID) => remote.connectStoragePoolEventDeregisterAny({ callbackID }),
  },
  'node-device': {
    register: async (remote, eventID) =>
      (await remote.connectNodeDeviceEventRegisterAny({ eventID, dev: null })).callbackID,
    deregister: (remote, callbackID) => remote.connectNodeDeviceEventDeregisterAny({ callbackID }),
  },
};
