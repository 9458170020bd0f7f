import type { ConnectionState, SavedConnection } from '../../shared/contract/connections';
import { VirtDeckError } from '../../shared/contract/errors';
import type { LibvirtClient, OpenOptions } from '../libvirt/client/libvirt-client';
import { TransportError } from '../libvirt/errors';
import type { SshPrompter } from '../libvirt/transport/transport-types';
import { parseLibvirtUri, REMOTE_MODES, type RemoteMode } from '../libvirt/uri/libvirt-uri';
import type { Logger } from '../services/logger';
import {
  isAuthFailure,
  isPermanentFailure,
  toConnectionFailure,
  toReportedError,
} from './connection-failure';
import { ConnectionPrompter } from './connection-prompter';
import type { LocalLibvirtEnvironment } from './local-libvirt';
import type { PromptBroker } from './prompt-broker';
import { reconnectDelayMs, type BackoffPolicy } from './reconnect-backoff';
import type { SecretStore } from './secret-store';
import { ensureSessionDaemon, wantsSessionAutostart } from './session-daemon';

export type OpenClient = (uri: string, options: OpenOptions) => Promise<LibvirtClient>;

export interface ConnectionSessionDeps {
  /** The saved connection as it is now (it may be edited between attempts). */
  connection: () => SavedConnection;
  openClient: OpenClient;
  openOptions: (saved: SavedConnection, prompter: SshPrompter) => OpenOptions;
  broker: PromptBroker;
  sessionSecrets: SecretStore;
  rememberedSecrets: SecretStore | null;
  local: LocalLibvirtEnvironment;
  backoff: BackoffPolicy;
  random: () => number;
  onState: (state: ConnectionState) => void;
  logger: Logger;
}

/** Thrown to whoever waited on an attempt that a disconnect cut short. */
function cancelledByDisconnect(alias: string): VirtDeckError {
  return new VirtDeckError({
    kind: 'transport',
    message: `Connecting to ${alias} was cancelled: it was disconnected meanwhile`,
  });
}

/**
 * One saved connection's link and state machine: disconnected → connecting (→ auth-needed
 * while a question is open) → connected | failed; after a drop that the user did not ask
 * for, reconnecting in N s → connecting → … with exponential backoff, forever, until it
 * works, a failure no retry can fix (refused key or password, bad URI), or a disconnect.
 * The same LibvirtClient is reused, so its event subscriptions come back on reconnect.
 */
export class ConnectionSession {
  private stateNow: ConnectionState = { status: 'disconnected' };
  private client: LibvirtClient | null = null;
  /** The URI and SSH settings `client` was opened with. */
  private clientKey = '';
  private attempt: Promise<void> | null = null;
  /** Bumped by disconnect(): an attempt from an older generation must not touch state. */
  private generation = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryCount = 0;
  /** Set after a drop: failures schedule another try instead of ending in 'failed'. */
  private autoRetry = false;
  private closingByUser = false;
  private readonly prompter: ConnectionPrompter;

  constructor(
    readonly id: string,
    private readonly deps: ConnectionSessionDeps,
  ) {
    this.prompter = new ConnectionPrompter({
      connectionId: id,
      alias: () => deps.connection().alias,
      broker: deps.broker,
      sessionSecrets: deps.sessionSecrets,
      rememberedSecrets: deps.rememberedSecrets,
      onWaiting: (promptId) => this.onWaiting(promptId),
    });
  }

  get state(): ConnectionState {
    return this.stateNow;
  }

  /** The live client, only while connected. */
  get libvirt(): LibvirtClient | null {
    return this.stateNow.status === 'connected' ? this.client : null;
  }

  /**
   * Connects now (also cutting a reconnect wait short). Resolves once connected; rejects
   * with libvirt's or ssh's error. Joins an attempt already running.
   */
  connect(): Promise<void> {
    if (this.stateNow.status === 'connected') return Promise.resolve();
    if (this.attempt) return this.attempt;
    this.clearRetry();
    return this.run();
  }

  /** Ends the link (or the attempt, or the reconnect wait); no automatic reconnect follows. */
  async disconnect(): Promise<void> {
    this.generation++;
    this.autoRetry = false;
    this.retryCount = 0;
    this.attempt = null;
    this.clearRetry();
    this.deps.broker.cancelFor(this.id);
    if (this.client) await this.closeQuietly(this.client);
    this.setState({ status: 'disconnected' });
  }

  private run(): Promise<void> {
    const generation = this.generation;
    const retry = this.autoRetry ? this.retryCount : undefined;
    const attempt = this.open(generation, retry).finally(() => {
      if (this.attempt === attempt) this.attempt = null;
    });
    this.attempt = attempt;
    return attempt;
  }

  private async open(generation: number, retry: number | undefined): Promise<void> {
    const saved = this.deps.connection();
    this.setState(retry ? { status: 'connecting', attempt: retry } : { status: 'connecting' });
    this.prompter.beginAttempt();
    try {
      await this.openLink(saved, generation);
    } catch (err) {
      await this.prompter.endAttempt(isAuthFailure(err)).catch(() => undefined);
      if (generation !== this.generation) throw cancelledByDisconnect(saved.alias);
      if (this.autoRetry && !isPermanentFailure(err)) {
        this.scheduleRetry(err);
      } else {
        this.autoRetry = false;
        this.retryCount = 0;
        this.setState({ status: 'failed', ...toConnectionFailure(err) });
      }
      throw toReportedError(err);
    }
    this.autoRetry = false;
    this.retryCount = 0;
    // No await before this: a drop from now on is seen by onDropped as a drop.
    this.setState({ status: 'connected', since: Date.now() });
    // Resolve only once a secret to remember is stored, so "connected" means "kept" too.
    await this.prompter
      .endAttempt(false)
      .catch((err: unknown) =>
        this.deps.logger.warn(
          `${saved.alias}: could not keep the secret: ${(err as Error).message}`,
        ),
      );
  }

  private async openLink(saved: SavedConnection, generation: number): Promise<void> {
    await this.startSessionDaemon(saved);
    const key = JSON.stringify([saved.uri, saved.ssh]);
    const current = this.client;
    if (current && this.clientKey === key) {
      await this.reattach(current);
      if (generation !== this.generation) {
        await this.closeQuietly(current);
        throw cancelledByDisconnect(saved.alias);
      }
      this.throwIfClosed(current, saved);
      return;
    }
    // New settings (or a first connect): a fresh client.
    this.client = null;
    if (current) await this.closeQuietly(current);
    const client = await this.deps.openClient(
      saved.uri,
      this.deps.openOptions(saved, this.prompter),
    );
    if (generation !== this.generation) {
      // Disconnected while the link was being made: do not leave it open.
      await this.closeQuietly(client);
      throw cancelledByDisconnect(saved.alias);
    }
    client.onClosed((reason) => this.onDropped(client, reason));
    this.client = client;
    this.clientKey = key;
    this.throwIfClosed(client, saved);
  }

  /** A link that died while the attempt finished (its drop was not yet a drop): retry. */
  private throwIfClosed(client: LibvirtClient, saved: SavedConnection): void {
    if (client.closed) {
      throw new TransportError(`${saved.alias}: the link closed as soon as it opened`, 'eof');
    }
  }

  /** reconnect() with the same client, so subscriptions made on it are registered again. */
  private async reattach(client: LibvirtClient): Promise<void> {
    try {
      await client.reconnect();
    } catch (err) {
      // The new link is up but some event could not be registered again: keep the link
      // (calls work), and say so for whoever reads the log.
      if (client.closed) throw err;
      this.deps.logger.warn(
        `${this.deps.connection().alias}: reconnected, but an event subscription could not be ` +
          `registered again: ${(err as Error).message}`,
      );
    }
  }

  private async closeQuietly(client: LibvirtClient): Promise<void> {
    if (client.closed) return;
    this.closingByUser = true;
    try {
      await client.close();
    } catch {
      // closing anyway
    } finally {
      this.closingByUser = false;
    }
  }

  /** A local `…:///session` URI starts the per-user daemon if needed, as libvirt does. */
  private async startSessionDaemon(saved: SavedConnection): Promise<void> {
    const uri = parseLibvirtUri(saved.uri);
    if (!wantsSessionAutostart(uri, this.deps.local)) return;
    const mode = (REMOTE_MODES as readonly string[]).includes(uri.client.mode ?? '')
      ? (uri.client.mode as RemoteMode)
      : 'auto';
    const started = await ensureSessionDaemon(uri, this.deps.local, mode);
    if (started) {
      this.deps.logger.info(
        `Started ${started.binary} --timeout=120 (pid ${String(started.pid)}) for ${saved.alias}`,
      );
    }
  }

  private onDropped(client: LibvirtClient, reason: TransportError): void {
    if (client !== this.client || this.closingByUser) return;
    if (this.stateNow.status !== 'connected') return;
    this.deps.logger.warn(`${this.deps.connection().alias}: link lost (${reason.message})`);
    this.autoRetry = true;
    this.retryCount = 0;
    this.scheduleRetry(reason);
  }

  private scheduleRetry(err: unknown): void {
    this.clearRetry();
    this.retryCount++;
    const delay = reconnectDelayMs(this.retryCount, this.deps.backoff, this.deps.random);
    const generation = this.generation;
    this.setState({
      status: 'reconnecting',
      inSeconds: Math.ceil(delay / 1000),
      retryAt: Date.now() + delay,
      attempt: this.retryCount,
      lastError: toConnectionFailure(err),
    });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (generation !== this.generation || this.attempt) return;
      // Failures were already turned into the next state; nobody else waits on this one.
      this.run().catch(() => undefined);
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private onWaiting(promptId: string | null): void {
    if (promptId !== null) {
      this.setState({ status: 'auth-needed', promptId });
    } else if (this.stateNow.status === 'auth-needed') {
      this.setState(
        this.retryCount > 0 && this.autoRetry
          ? { status: 'connecting', attempt: this.retryCount }
          : { status: 'connecting' },
      );
    }
  }

  private setState(state: ConnectionState): void {
    this.stateNow = state;
    this.deps.onState(state);
  }
}
