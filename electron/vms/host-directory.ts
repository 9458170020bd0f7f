import type { ConnectionState } from '../../shared/contract/connections';
import type { EventMap } from '../../shared/contract/events';
import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import type { EventHub } from '../services/event-hub';

/** A host the VM and stats services may talk to right now. */
export interface ConnectedHost {
  connectionId: string;
  alias: string;
  client: LibvirtClient;
}

export type HostChange =
  /** Connected, or connected again after a drop (the list must be read anew). */
  | { kind: 'connected'; host: ConnectedHost }
  /** Any other state: the host's client must not be used any more. */
  | { kind: 'disconnected'; connectionId: string; alias: string; status: ConnectionState['status'] }
  /** The saved connection was deleted. */
  | { kind: 'removed'; connectionId: string }
  | { kind: 'renamed'; connectionId: string; alias: string };

/**
 * What the VM and stats services need of the connection layer, and nothing more: which
 * hosts are connected, their clients, and a word when that changes.
 */
export interface HostDirectory {
  connectedHosts(): ConnectedHost[];
  host(connectionId: string): ConnectedHost | null;
  /** The saved alias (the id itself for a connection we do not know). */
  alias(connectionId: string): string;
  /** Every saved connection's id, connected or not. */
  connectionIds(): string[];
  onChange(listener: (change: HostChange) => void): () => void;
}

/** The part of ConnectionManager the directory reads. */
export interface ConnectionSource {
  client(id: string): LibvirtClient | null;
  readonly store: { list(): ReadonlyArray<{ id: string; alias: string }> };
}

/**
 * A HostDirectory over the ConnectionManager and its 'connection:*' events. The manager
 * emits 'connected' only after a reconnect has registered events again, so a listener
 * that reloads on 'connected' misses nothing.
 */
export function connectionHostDirectory(
  connections: ConnectionSource,
  events: EventHub,
): HostDirectory {
  const aliases = new Map<string, string>();
  const aliasOf = (id: string): string =>
    connections.store.list().find((c) => c.id === id)?.alias ?? aliases.get(id) ?? id;
  const hostOf = (connectionId: string): ConnectedHost | null => {
    const client = connections.client(connectionId);
    if (!client) return null;
    const alias = aliasOf(connectionId);
    aliases.set(connectionId, alias);
    return { connectionId, alias, client };
  };
  const connectionIds = (): string[] => {
    try {
      return connections.store.list().map((c) => c.id);
    } catch {
      // The store is not loaded yet: nothing is connected either.
      return [];
    }
  };
  return {
    connectionIds,
    connectedHosts: () =>
      connectionIds()
        .map(hostOf)
        .filter((h): h is ConnectedHost => h !== null),
    host: hostOf,
    alias: aliasOf,
    onChange(listener) {
      return events.subscribe((event) => {
        if (event.name === 'connection:state') {
          const { connectionId, state } = event.payload as EventMap['connection:state'];
          const host = state.status === 'connected' ? hostOf(connectionId) : null;
          if (host) listener({ kind: 'connected', host });
          else {
            listener({
              kind: 'disconnected',
              connectionId,
              alias: aliasOf(connectionId),
              status: state.status,
            });
          }
        } else if (event.name === 'connection:changed') {
          const change = event.payload as EventMap['connection:changed'];
          if (change.change === 'removed') {
            listener({ kind: 'removed', connectionId: change.connectionId });
          } else if (change.change === 'updated') {
            aliases.set(change.connection.id, change.connection.alias);
            listener({
              kind: 'renamed',
              connectionId: change.connection.id,
              alias: change.connection.alias,
            });
          }
        }
      });
    },
  };
}
