import type { LibvirtClient } from '../libvirt/client/libvirt-client';
import type { EventSubscription } from '../libvirt/client/event-subscriptions';
import type { Logger } from '../services/logger';
import type { ConnectedHost, HostDirectory } from '../vms/host-directory';

/**
 * Keeps one libvirt event subscription per connected host: made on connect, dropped on
 * disconnect or removal. The client's subscriptions re-register themselves after a
 * reconnect, so a host that comes back with the same client keeps its subscription.
 */
export interface HostFollower {
  /** Settles once every connected host's subscription is registered (or has failed). */
  ready(): Promise<void>;
  /** Stops following and drops every subscription. */
  stop(): void;
}

export function followHosts(
  hosts: HostDirectory,
  subscribe: (host: ConnectedHost) => EventSubscription,
  logger: Logger,
  what: string,
): HostFollower {
  const subs = new Map<string, { client: LibvirtClient; end: EventSubscription }>();
  const drop = (connectionId: string): void => {
    subs.get(connectionId)?.end();
    subs.delete(connectionId);
  };
  const attach = (host: ConnectedHost): void => {
    const current = subs.get(host.connectionId);
    if (current?.client === host.client) return;
    drop(host.connectionId);
    const end = subscribe(host);
    subs.set(host.connectionId, { client: host.client, end });
    end.ready.catch((err: unknown) => {
      // Without events the lists still work; they just are not live.
      logger.warn(
        `${host.alias}: cannot follow ${what} events: ${err instanceof Error ? err.message : typeof err}`,
      );
      if (subs.get(host.connectionId)?.end === end) subs.delete(host.connectionId);
    });
  };
  const stop = hosts.onChange((change) => {
    if (change.kind === 'connected') attach(change.host);
    else if (change.kind === 'disconnected' || change.kind === 'removed') {
      drop(change.connectionId);
    }
  });
  for (const host of hosts.connectedHosts()) attach(host);
  return {
    ready: async () => {
      await Promise.allSettled([...subs.values()].map((s) => s.end.ready));
    },
    stop: () => {
      stop();
      for (const id of [...subs.keys()]) drop(id);
    },
  };
}
