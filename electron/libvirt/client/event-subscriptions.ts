import { TransportError } from '../errors';
import type { RemoteClient } from '../protocol/remote.gen';
import type { RpcConnection } from '../rpc/rpc-connection';
import { consoleRpcLogger, type RpcLogger } from '../rpc/rpc-logger';
import type { DomainRef } from '../facade/domain-ref';
import { domainEventSources } from '../facade/domain-event-sources';
import type {
  DomainEvent,
  DomainEventKind,
  NetworkEvent,
  NetworkEventKind,
  NodeDeviceEvent,
  NodeDeviceEventKind,
  StoragePoolEvent,
  StoragePoolEventKind,
} from '../facade/events';
import {
  networkEventSources,
  nodeDeviceEventSources,
  storagePoolEventSources,
} from '../facade/object-event-sources';
import { eventRegistrars } from './event-registrars';
import type { EventSource } from './event-source';

/** The connection the subscriptions live on; it changes when the client reconnects. */
export interface EventLink {
  readonly connection: RpcConnection;
  readonly remote: RemoteClient;
}

/**
 * Ends a subscription (the last one for an event deregisters it on the daemon). `ready`
 * settles once the daemon has registered every event the subscription needs: events before
 * that are not delivered, and a failed registration rejects it with libvirt's error.
 */
export interface EventSubscription {
  (): void;
  readonly ready: Promise<void>;
}

export interface SubscribeOptions<K extends string> {
  /** Only these kinds (default: all); only they are registered on the daemon. */
  kinds?: readonly K[];
}

export interface DomainSubscribeOptions extends SubscribeOptions<DomainEventKind> {
  /** Only events of this domain (by UUID); the daemon-side callback still covers all. */
  dom?: DomainRef | string;
}

interface Subscriber {
  deliver(event: unknown): void;
}

/** One daemon-side callback: one (object, event ID) on the current connection. */
interface ServerCallback {
  readonly source: EventSource<unknown>;
  readonly subscribers: Set<Subscriber>;
  connection: RpcConnection | null;
  /** Identifies the latest register call; an older one that completes is stale. */
  attempt: object;
  callbackId: number | null;
  registered: Promise<void>;
  /** Messages that beat the register reply (the daemon may send them first). */
  early: unknown[];
  unlisten(): void;
}

// Bound the buffer of messages that wait for their register reply.
const MAX_EARLY = 1000;

/**
 * Event subscriptions of one LibvirtClient. libvirt's own client registers one server-side
 * callback per (object kind, event ID) per connection and fans events out locally; so do
 * we, and only for the kinds somebody listens to. Callback IDs do not survive a reconnect:
 * `reattach()` registers everything again on the new connection.
 */
export class EventSubscriptions {
  private readonly callbacks = new Map<EventSource<unknown>, ServerCallback>();

  constructor(
    private readonly link: () => EventLink,
    private readonly logger: RpcLogger = consoleRpcLogger,
  ) {}

  /** How many daemon-side callbacks are registered or being registered. */
  get activeCallbacks(): number {
    return this.callbacks.size;
  }

  onDomainEvent(
    listener: (event: DomainEvent) => void,
    options: DomainSubscribeOptions = {},
  ): EventSubscription {
    const uuid = typeof options.dom === 'string' ? options.dom.toLowerCase() : options.dom?.uuid;
    const deliver =
      uuid === undefined
        ? listener
        : (event: DomainEvent): void => {
            if (event.dom.uuid === uuid) listener(event);
          };
    return this.subscribe(domainEventSources, options.kinds, deliver);
  }

  onNetworkEvent(
    listener: (event: NetworkEvent) => void,
    options: SubscribeOptions<NetworkEventKind> = {},
  ): EventSubscription {
    return this.subscribe(networkEventSources, options.kinds, listener);
  }

  onStoragePoolEvent(
    listener: (event: StoragePoolEvent) => void,
    options: SubscribeOptions<StoragePoolEventKind> = {},
  ): EventSubscription {
    return this.subscribe(storagePoolEventSources, options.kinds, listener);
  }

  onNodeDeviceEvent(
    listener: (event: NodeDeviceEvent) => void,
    options: SubscribeOptions<NodeDeviceEventKind> = {},
  ): EventSubscription {
    return this.subscribe(nodeDeviceEventSources, options.kinds, listener);
  }

  /**
   * Registers every active callback again on the (new) current connection. Rejects with the
   * first registration error once all have been tried; the failed ones are dropped.
   */
  async reattach(): Promise<void> {
    const current = this.link().connection;
    const pending = [...this.callbacks.values()].map((cb) => {
      // Subscribed after the swap: already on the new connection.
      if (cb.connection === current) return cb.registered;
      cb.unlisten();
      this.register(cb);
      return cb.registered;
    });
    const failed = (await Promise.allSettled(pending)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private subscribe<K extends string, E>(
    table: Readonly<Record<K, readonly EventSource<E>[]>>,
    kinds: readonly K[] | undefined,
    deliver: (event: E) => void,
  ): EventSubscription {
    const wanted = kinds ?? (Object.keys(table) as K[]);
    const sources: EventSource<unknown>[] = [];
    for (const kind of new Set(wanted)) {
      const list = table[kind];
      if (!list) throw new TypeError(`unknown event kind: ${JSON.stringify(kind)}`);
      sources.push(...list);
    }
    const subscriber: Subscriber = { deliver: deliver as (event: unknown) => void };
    const ready = Promise.all(sources.map((s) => this.attach(s, subscriber))).then(() => {});
    // A caller that never looks at `ready` must not get an unhandled rejection.
    ready.catch(() => {});
    let active = true;
    const unsubscribe = (): void => {
      if (!active) return;
      active = false;
      for (const source of sources) this.detach(source, subscriber);
    };
    return Object.assign(unsubscribe, { ready });
  }

  private attach(source: EventSource<unknown>, subscriber: Subscriber): Promise<void> {
    let cb = this.callbacks.get(source);
    if (!cb) {
      cb = {
        source,
        subscribers: new Set(),
        connection: null,
        attempt: {},
        callbackId: null,
        registered: Promise.resolve(),
        early: [],
        unlisten: () => {},
      };
      this.callbacks.set(source, cb);
      this.register(cb);
    }
    cb.subscribers.add(subscriber);
    return cb.registered;
  }

  private detach(source: EventSource<unknown>, subscriber: Subscriber): void {
    const cb = this.callbacks.get(source);
    if (!cb?.subscribers.delete(subscriber) || cb.subscribers.size > 0) return;
    this.callbacks.delete(source);
    cb.unlisten();
    // Still registering: the register completion sees it is gone and deregisters then.
    if (cb.callbackId !== null && cb.connection)
      this.deregister(cb.source, cb.connection, cb.callbackId);
  }

  private register(cb: ServerCallback): void {
    const { connection, remote } = this.link();
    const attempt = {};
    cb.attempt = attempt;
    cb.connection = connection;
    cb.callbackId = null;
    cb.early = [];
    cb.unlisten = connection.onEvent(cb.source.info, (msg) => this.onMessage(cb, connection, msg));
    const registrar = eventRegistrars[cb.source.object];
    const registered = registrar.register(remote, cb.source.eventId).then(
      (callbackId) => {
        if (this.callbacks.get(cb.source) !== cb || cb.attempt !== attempt) {
          this.deregister(cb.source, connection, callbackId, remote);
          return;
        }
        cb.callbackId = callbackId;
        const early = cb.early;
        cb.early = [];
        for (const msg of early) this.onMessage(cb, connection, msg);
      },
      (err: unknown) => {
        if (this.callbacks.get(cb.source) === cb && cb.attempt === attempt) {
          this.callbacks.delete(cb.source);
          cb.unlisten();
        }
        throw err;
      },
    );
    registered.catch(() => {});
    cb.registered = registered;
  }

  private deregister(
    source: EventSource<unknown>,
    connection: RpcConnection,
    callbackId: number,
    remote?: RemoteClient,
  ): void {
    // A callback dies with its connection; nothing to do on a closed or replaced one.
    if (connection.closed) return;
    const link = this.link();
    const via = remote ?? (link.connection === connection ? link.remote : null);
    if (!via) return;
    eventRegistrars[source.object].deregister(via, callbackId).catch((err: unknown) => {
      if (err instanceof TransportError) return;
      this.logger.warn(`deregistering ${source.info.name} callback ${callbackId} failed`, err);
    });
  }

  private onMessage(cb: ServerCallback, connection: RpcConnection, msg: unknown): void {
    if (cb.connection !== connection) return;
    if (cb.callbackId === null) {
      if (cb.early.length < MAX_EARLY) cb.early.push(msg);
      return;
    }
    // Another callback for the same event (one being deregistered, or someone else's).
    if (cb.source.callbackId(msg) !== cb.callbackId) return;
    let event: unknown;
    try {
      event = cb.source.decode(msg);
    } catch (err) {
      this.logger.warn(`dropped undecodable ${cb.source.info.name} event`, err);
      return;
    }
    for (const subscriber of [...cb.subscribers]) {
      try {
        subscriber.deliver(event);
      } catch (err) {
        this.logger.warn(`${cb.source.info.name} listener threw`, err);
      }
    }
  }
}
