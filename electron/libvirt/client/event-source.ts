import type { EventInfo } from '../rpc/procedure';

/** The libvirt object kinds whose events have their own register procedure. */
export type EventObject = 'domain' | 'network' | 'storage-pool' | 'node-device';

/**
 * One event procedure the daemon sends for a registered (object, event ID): how to find its
 * callback ID and how to turn it into the facade's typed event.
 */
export interface EventSource<E> {
  readonly object: EventObject;
  /** virDomainEventID / virNetworkEventID / … — what the register call names. */
  readonly eventId: number;
  readonly info: EventInfo<unknown>;
  callbackId(msg: unknown): number;
  decode(msg: unknown): E;
}

/** Ties an event procedure's message type to its decoder, then erases it for the tables. */
export function eventSource<M, E>(
  object: EventObject,
  eventId: number,
  info: EventInfo<M>,
  callbackId: (msg: M) => number,
  decode: (msg: M) => E,
): EventSource<E> {
  return {
    object,
    eventId,
    info: info as EventInfo<unknown>,
    callbackId: (msg) => callbackId(msg as M),
    decode: (msg) => decode(msg as M),
  };
}
