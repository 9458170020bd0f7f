import { TransportError } from '../errors';
import {
  openConnection,
  type LibvirtConnection,
  type LibvirtFeatures,
  type OpenConnectionOptions,
} from '../open-connection';
import { RemoteClient } from '../protocol/remote.gen';
import type { RpcConnection } from '../rpc/rpc-connection';
import { consoleRpcLogger, type RpcLogger } from '../rpc/rpc-logger';
import { EventSubscriptions } from './event-subscriptions';

export interface OpenOptions extends OpenConnectionOptions {
  /** Where event routing reports listener errors and undecodable events. */
  logger?: RpcLogger;
}

interface Versions {
  lib: number;
  hypervisor: number;
}

async function fetchVersions(remote: RemoteClient): Promise<Versions> {
  const [lib, hv] = await Promise.all([remote.connectGetLibVersion(), remote.connectGetVersion()]);
  return { lib: Number(lib.lib_ver), hypervisor: Number(hv.hv_ver) };
}

/** Opens the link and reads the versions; a failure after the handshake closes the link. */
async function openLink(
  uri: string,
  options: OpenOptions,
): Promise<{ link: LibvirtConnection; remote: RemoteClient; versions: Versions }> {
  const link = await openConnection(uri, options);
  const remote = new RemoteClient(link.rpc);
  try {
    return { link, remote, versions: await fetchVersions(remote) };
  } catch (err) {
    await link.close().catch(() => {});
    throw err;
  }
}

/**
 * A connection to one libvirt URI: the generated per-procedure client (`remote`), the raw
 * RPC link for streams (`connection`), and event subscriptions that survive `reconnect()`.
 * The facade functions (`facade/*.ts`) take a LibvirtClient as their first argument.
 */
export class LibvirtClient {
  readonly events: EventSubscriptions;
  private link: LibvirtConnection;
  private remoteClient: RemoteClient;
  private versions: Versions;
  private readonly closeListeners = new Set<(reason: TransportError) => void>();
  private reconnecting: Promise<void> | null = null;

  private constructor(
    /** The URI as given to open() (aliases and defaults are resolved again on reconnect). */
    readonly uri: string,
    private readonly options: OpenOptions,
    opened: { link: LibvirtConnection; remote: RemoteClient; versions: Versions },
  ) {
    this.link = opened.link;
    this.remoteClient = opened.remote;
    this.versions = opened.versions;
    this.events = new EventSubscriptions(
      () => ({ connection: this.link.rpc, remote: this.remoteClient }),
      options.logger ?? consoleRpcLogger,
    );
    this.watch(this.link);
  }

  /** Opens and authenticates a connection (see openConnection), then caches the versions. */
  static async open(uri: string, options: OpenOptions = {}): Promise<LibvirtClient> {
    return new LibvirtClient(uri, options, await openLink(uri, options));
  }

  /** One typed method per remote procedure, on the current connection. */
  get remote(): RemoteClient {
    return this.remoteClient;
  }

  /** The current RPC link (for streams: callWithStream). Replaced by reconnect(). */
  get connection(): RpcConnection {
    return this.link.rpc;
  }

  /** The URI actually opened, after LIBVIRT_DEFAULT_URI / uri_default / aliases. */
  get resolvedUri(): string {
    return this.link.uri.text;
  }

  /** The name sent in CONNECT_OPEN, e.g. 'qemu:///session'. */
  get driverUri(): string {
    return this.link.driverUri;
  }

  get readOnly(): boolean {
    return this.link.readOnly;
  }

  get features(): LibvirtFeatures {
    return this.link.features;
  }

  /** libvirt version of the daemon as major * 1,000,000 + minor * 1,000 + micro. */
  get libVersion(): number {
    return this.versions.lib;
  }

  /** Hypervisor version in the same encoding (QEMU 7.2.0 → 7002000). */
  get hypervisorVersion(): number {
    return this.versions.hypervisor;
  }

  get closed(): boolean {
    return this.link.rpc.closed;
  }

  /**
   * Called once when the current connection ends, whatever the reason (daemon gone,
   * keepalive, close()). A connection replaced by reconnect() does not report. Returns the
   * unsubscribe function.
   */
  onClosed(listener: (reason: TransportError) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** CONNECT_CLOSE and end of the link; event subscriptions stay and come back on reconnect(). */
  async close(): Promise<void> {
    await this.link.close();
  }

  /**
   * Opens a fresh connection to the same URI, swaps it in and registers every active event
   * subscription again (callback IDs die with a connection). The old link is closed. Rejects
   * if the new link cannot be opened (the old one is then kept as it was) or if an event
   * could not be registered again (the new link is in use all the same).
   */
  reconnect(): Promise<void> {
    this.reconnecting ??= this.doReconnect().finally(() => {
      this.reconnecting = null;
    });
    return this.reconnecting;
  }

  /**
   * A second, independent client to the same URI for bulk streams (volume upload/download):
   * the daemon throttles per connection, and a stream that fills the socket would stall
   * every other call and event on this one. Close it when the transfer is done.
   */
  async openBulk(): Promise<LibvirtClient> {
    return LibvirtClient.open(this.uri, this.reopenOptions());
  }

  /**
   * The open() options minus the one-shot parts: the AbortSignal was for the first open,
   * and a caller-made transport cannot carry a second connection.
   */
  private reopenOptions(): OpenOptions {
    const { signal: _signal, transport, ...rest } = this.options;
    if (transport) {
      throw new TypeError(
        `${this.uri}: a client opened on a given transport cannot open another link`,
      );
    }
    return rest;
  }

  private async doReconnect(): Promise<void> {
    const fresh = await openLink(this.uri, this.reopenOptions());
    const old = this.link;
    this.link = fresh.link;
    this.remoteClient = fresh.remote;
    this.versions = fresh.versions;
    this.watch(fresh.link);
    if (!old.rpc.closed) await old.close().catch(() => {});
    await this.events.reattach();
  }

  private watch(link: LibvirtConnection): void {
    link.rpc.once('closed', (reason) => {
      if (link !== this.link) return;
      for (const listener of [...this.closeListeners]) {
        try {
          listener(reason);
        } catch (err) {
          (this.options.logger ?? consoleRpcLogger).warn('onClosed listener threw', err);
        }
      }
    });
  }
}
