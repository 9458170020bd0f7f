import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import path from 'node:path';
import type {
  ConnectionDetails,
  ConnectionDraft,
  ConnectionList,
  ConnectionNotice,
  ConnectionPatch,
  ConnectionState,
  ImportCandidates,
  ImportDraft,
  ImportResult,
  PromptAnswer,
  SavedConnection,
} from '../../shared/contract/connections';
import { VirtDeckError } from '../../shared/contract/errors';
import { LibvirtClient } from '../libvirt/client/libvirt-client';
import type { RpcLogger } from '../libvirt/rpc/rpc-logger';
import { libvirtConfPath } from '../libvirt/uri/libvirt-conf';
import type { EventHub } from '../services/event-hub';
import type { Logger } from '../services/logger';
import { readConnectionDetails } from './connection-details';
import { ConnectionSession, type OpenClient } from './connection-session';
import { ConnectionStore } from './connection-store';
import { planFirstLaunch } from './first-launch';
import { findImportCandidates } from './import-candidates';
import { defaultLocalLibvirtEnvironment, type LocalLibvirtEnvironment } from './local-libvirt';
import { MemorySecretStore } from './memory-secret-store';
import { defaultLinkTuning, openOptionsFor, type LinkTuning } from './open-options-for';
import { PromptBroker } from './prompt-broker';
import { defaultBackoff, type BackoffPolicy } from './reconnect-backoff';
import type { SecretStore } from './secret-store';
import { parseConnectionUri, validateConnection } from './validate-connection';

export interface ConnectionManagerOptions {
  configDir: string;
  events: EventHub;
  logger: Logger;
  /** Where remembered secrets go; only a `persistent` store is offered to the user. */
  secretStore?: SecretStore;
  /** This machine's libvirt (sockets, daemons, user); parts may be overridden by tests. */
  local?: Partial<LocalLibvirtEnvironment>;
  /** Add the local host when there is no connections.json yet (default true). */
  firstLaunch?: boolean;
  libvirtConfPath?: string;
  sshConfigPath?: string;
  tuning?: Partial<LinkTuning>;
  backoff?: BackoffPolicy;
  promptTimeoutMs?: number;
  openClient?: OpenClient;
  random?: () => number;
}

/**
 * The saved connections and their live links: CRUD with validation (bad input changes
 * nothing), first launch, autoconnect in parallel, per-connection state pushed as
 * 'connection:state', SSH questions through the PromptBroker, and reconnect after drops.
 */
export class ConnectionManager {
  readonly store: ConnectionStore;
  readonly prompts: PromptBroker;
  private readonly local: LocalLibvirtEnvironment;
  private readonly sessions = new Map<string, ConnectionSession>();
  private readonly sessionSecrets = new MemorySecretStore();
  private readonly rememberedSecrets: SecretStore | null;
  private readonly tuning: LinkTuning;
  private readonly rpcLogger: RpcLogger;
  private notices: ConnectionNotice[] = [];
  private starting: Promise<void> | null = null;
  private autoconnecting: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(private readonly options: ConnectionManagerOptions) {
    const { configDir, events, logger } = options;
    this.store = new ConnectionStore({ configDir, logger });
    this.prompts = new PromptBroker({ events, timeoutMs: options.promptTimeoutMs });
    this.local = { ...defaultLocalLibvirtEnvironment(), ...options.local };
    this.rememberedSecrets = options.secretStore?.persistent ? options.secretStore : null;
    this.tuning = { ...defaultLinkTuning, ...options.tuning };
    this.rpcLogger = {
      warn: (message, detail) => logger.warn(`libvirt RPC: ${message}${describe(detail)}`),
      debug: () => {},
    };
  }

  /**
   * Loads the saved connections (running first launch if there were none), then starts
   * every autoconnect connection in parallel without waiting for them. Idempotent.
   */
  start(): Promise<void> {
    this.starting ??= this.doStart();
    return this.starting;
  }

  /** Settles when every autoconnect attempt begun by start() has succeeded or failed. */
  async autoconnectSettled(): Promise<void> {
    await this.start();
    await this.autoconnecting;
  }

  async list(): Promise<ConnectionList> {
    await this.start();
    return {
      connections: this.store.list().map((connection) => ({
        connection,
        state: this.sessionOf(connection.id).state,
        prompt: this.prompts.openPrompt(connection.id),
      })),
      notices: [...this.notices],
      secretsPersistent: this.rememberedSecrets !== null,
    };
  }

  async add(draft: ConnectionDraft): Promise<SavedConnection> {
    await this.start();
    const connection = { ...withoutEmpty(draft), id: randomUUID(), origin: 'user' as const };
    const added = await this.store.update((current) => {
      validateConnection(connection, current);
      return { next: [...current, connection], result: connection };
    });
    this.options.events.emit('connection:changed', { change: 'added', connection: added });
    return added;
  }

  async update(id: string, patch: ConnectionPatch): Promise<SavedConnection> {
    await this.start();
    const updated = await this.store.update((current) => {
      const before = findOrThrow(current, id);
      const next = applyPatch(before, patch);
      validateConnection(next, current);
      return { next: current.map((c) => (c.id === id ? next : c)), result: next };
    });
    this.options.events.emit('connection:changed', { change: 'updated', connection: updated });
    return updated;
  }

  /** Disconnects, forgets the connection and its secrets. */
  async remove(id: string): Promise<{ id: string }> {
    await this.start();
    await this.store.update((current) => {
      findOrThrow(current, id);
      return { next: current.filter((c) => c.id !== id), result: undefined };
    });
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    await session?.disconnect();
    await this.sessionSecrets.delete(id);
    await this.rememberedSecrets?.delete(id).catch((err: unknown) => {
      this.options.logger.error(`Could not forget the remembered secrets of ${id}`, err);
    });
    this.options.events.emit('connection:changed', { change: 'removed', connectionId: id });
    return { id };
  }

  async importCandidates(): Promise<ImportCandidates> {
    await this.start();
    const { local, options } = this;
    return findImportCandidates(this.store.list(), {
      libvirtConfPath: options.libvirtConfPath ?? libvirtConfPath(local),
      sshConfigPath: this.sshConfigPath(),
      home: local.home,
      localUser: safeUserName(local.env),
    });
  }

  /** Adds the chosen candidates in one write; duplicates and invalid ones are skipped, with why. */
  async importConnections(drafts: readonly ImportDraft[]): Promise<ImportResult> {
    await this.start();
    const result = await this.store.update((current) => {
      const next = [...current];
      const outcome: ImportResult = { added: [], skipped: [] };
      for (const draft of drafts) {
        const connection: SavedConnection = { ...withoutEmpty(draft), id: randomUUID() };
        const sameUri = next.find((c) => c.uri === connection.uri);
        try {
          if (sameUri) {
            throw new Error(`the connection "${sameUri.alias}" already has this URI`);
          }
          validateConnection(connection, next);
        } catch (err) {
          outcome.skipped.push({ alias: draft.alias, reason: (err as Error).message });
          continue;
        }
        next.push(connection);
        outcome.added.push(connection);
      }
      return { next: outcome.added.length ? next : current, result: outcome };
    });
    for (const connection of result.added) {
      this.options.events.emit('connection:changed', { change: 'added', connection });
    }
    return result;
  }

  async connect(id: string): Promise<ConnectionState> {
    await this.start();
    findOrThrow(this.store.list(), id);
    const session = this.sessionOf(id);
    await session.connect();
    return session.state;
  }

  async disconnect(id: string): Promise<ConnectionState> {
    await this.start();
    findOrThrow(this.store.list(), id);
    const session = this.sessionOf(id);
    await session.disconnect();
    return session.state;
  }

  answerPrompt(answer: PromptAnswer): { promptId: string } {
    this.prompts.answer(answer);
    return { promptId: answer.promptId };
  }

  async details(id: string): Promise<ConnectionDetails> {
    await this.start();
    const saved = findOrThrow(this.store.list(), id);
    const client = this.sessions.get(id)?.libvirt;
    if (!client) {
      throw new VirtDeckError({
        kind: 'validation',
        message: `${saved.alias} is not connected; connect it to see its details`,
      });
    }
    return readConnectionDetails(client, saved);
  }

  /** The live libvirt client of a connection, for other services; null unless connected. */
  client(id: string): LibvirtClient | null {
    return this.sessions.get(id)?.libvirt ?? null;
  }

  state(id: string): ConnectionState {
    return this.sessions.get(id)?.state ?? { status: 'disconnected' };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.prompts.dispose();
    await this.starting?.catch(() => undefined);
    await Promise.all([...this.sessions.values()].map((s) => s.disconnect()));
  }

  private async doStart(): Promise<void> {
    const load = await this.store.load();
    this.notices.push(...load.notices);
    if (!load.fileExisted && this.options.firstLaunch !== false) await this.firstLaunch();
    const auto = this.store.list().filter((c) => c.autoconnect);
    // In parallel and not awaited: one slow host never holds up the others or the window.
    this.autoconnecting = Promise.allSettled(auto.map((c) => this.sessionOf(c.id).connect())).then(
      (results) => {
        results.forEach((r, i) => {
          if (r.status === 'rejected') {
            this.options.logger.warn(
              `Autoconnect of ${auto[i]?.alias}: ${(r.reason as Error).message}`,
            );
          }
        });
      },
    );
  }

  private async firstLaunch(): Promise<void> {
    try {
      const plan = await planFirstLaunch({
        local: this.local,
        ...(this.options.libvirtConfPath ? { libvirtConfPath: this.options.libvirtConfPath } : {}),
      });
      this.notices.push(...plan.notices);
      for (const notice of plan.notices) this.options.logger.info(notice.message);
      const planned = plan.connection;
      if (!planned) return;
      parseConnectionUri(planned.uri);
      const connection: SavedConnection = {
        id: randomUUID(),
        ...planned,
        autoconnect: true,
        ssh: { useAgent: true },
        origin: 'first-launch',
      };
      await this.store.update((current) => {
        validateConnection(connection, current);
        return { next: [...current, connection], result: undefined };
      });
      this.options.events.emit('connection:changed', { change: 'added', connection });
    } catch (err) {
      this.options.logger.error('First launch could not add this computer', err);
    }
  }

  private sessionOf(id: string): ConnectionSession {
    let session = this.sessions.get(id);
    if (session) return session;
    // The last saved version, so a session being torn down after a delete still has a name.
    let last: SavedConnection | undefined;
    session = new ConnectionSession(id, {
      connection: () => {
        last = this.store.list().find((c) => c.id === id) ?? last;
        return last ?? findOrThrow(this.store.list(), id);
      },
      openClient: this.options.openClient ?? ((uri, options) => LibvirtClient.open(uri, options)),
      openOptions: (saved, prompter) =>
        openOptionsFor(saved, {
          local: this.local,
          ...(this.options.libvirtConfPath
            ? { libvirtConfPath: this.options.libvirtConfPath }
            : {}),
          sshConfigPath: this.sshConfigPath(),
          prompter,
          tuning: this.tuning,
          rpcLogger: this.rpcLogger,
        }),
      broker: this.prompts,
      sessionSecrets: this.sessionSecrets,
      rememberedSecrets: this.rememberedSecrets,
      local: this.local,
      backoff: this.options.backoff ?? defaultBackoff,
      random: this.options.random ?? Math.random,
      onState: (state) => this.options.events.emit('connection:state', { connectionId: id, state }),
      logger: this.options.logger,
    });
    this.sessions.set(id, session);
    return session;
  }

  private sshConfigPath(): string {
    return this.options.sshConfigPath ?? path.join(this.local.home, '.ssh', 'config');
  }
}

function findOrThrow(list: readonly SavedConnection[], id: string): SavedConnection {
  const found = list.find((c) => c.id === id);
  if (!found) {
    throw new VirtDeckError({
      kind: 'validation',
      message: `No saved connection has id ${id}`,
      path: 'id',
    });
  }
  return found;
}

/** A patch applied: `null` clears description or colour, absent keeps the old value. */
function applyPatch(before: SavedConnection, patch: ConnectionPatch): SavedConnection {
  const next: SavedConnection = { ...before };
  if (patch.alias !== undefined) next.alias = patch.alias;
  if (patch.uri !== undefined) next.uri = patch.uri;
  if (patch.autoconnect !== undefined) next.autoconnect = patch.autoconnect;
  if (patch.ssh !== undefined) next.ssh = { ...patch.ssh };
  for (const key of ['description', 'colour'] as const) {
    const value = patch[key];
    if (value === null || value === '') delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next;
}

/** Drops empty optional strings a form may send, so the saved file stays clean. */
function withoutEmpty<T extends { description?: string; colour?: string }>(draft: T): T {
  const copy = { ...draft };
  if (copy.description === '') delete copy.description;
  if (copy.colour === '') delete copy.colour;
  return copy;
}

function safeUserName(env: Readonly<Record<string, string | undefined>>): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? 'root';
  }
}

function describe(detail: unknown): string {
  if (detail === undefined) return '';
  return detail instanceof Error ? `: ${detail.message}` : '';
}
