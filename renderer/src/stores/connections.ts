import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import {
  VirtDeckError,
  type BuildUriInput,
  type ConnectionChange,
  type ConnectionDetails,
  type ConnectionDraft,
  type ConnectionEntry,
  type ConnectionNotice,
  type ConnectionPatch,
  type ConnectionPrompt,
  type ConnectionState,
  type ImportCandidates,
  type ImportDraft,
  type ImportResult,
  type PromptAnswer,
  type SavedConnection,
} from '../../../shared/contract';
import { call, onEvent } from '../api/client';
import type { MessageKey } from '../locales/message-key';
import { describeError, useNotificationsStore, type ErrorDetail } from './notifications';

/** What a row is busy with; the buttons for it show progress and the others wait. */
export type ConnectionAction = 'connect' | 'disconnect' | 'update' | 'delete';

export interface ConnectionItem {
  connection: SavedConnection;
  state: ConnectionState;
  /** Renderer clock (ms) when `state` arrived: countdowns run from here, not the host's clock. */
  stateReceivedAt: number;
  pending: ConnectionAction | null;
  /** The last failed action on this connection, as the host reported it. */
  lastError: ErrorDetail | null;
}

/** An error a dialog shows next to its fields; `path` names the field the host blamed. */
export interface FieldErrorDetail extends ErrorDetail {
  path?: string;
}

export type ActionResult<T> = { ok: true; value: T } | { ok: false; error: FieldErrorDetail };

export function describeFieldError(error: unknown): FieldErrorDetail {
  const detail = describeError(error);
  return error instanceof VirtDeckError && error.path ? { ...detail, path: error.path } : detail;
}

async function attempt<T>(action: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    return { ok: false, error: describeFieldError(error) };
  }
}

export interface ConnectionCounts {
  total: number;
  connected: number;
  connecting: number;
  authNeeded: number;
  failed: number;
  reconnecting: number;
}

/**
 * The saved connections and their live state, keyed by id. The list comes from
 * `connection:list`; after that, `connection:changed` and `connection:state` events keep it
 * current, so a reply to an action never has to be trusted over a newer event.
 */
export const useConnectionsStore = defineStore('connections', () => {
  const notifications = useNotificationsStore();

  const items = ref<Record<string, ConnectionItem>>({});
  /** Ids in the host's order (the order connections were saved). */
  const order = ref<string[]>([]);
  /** Questions from the host, oldest first; the first one is shown. */
  const prompts = ref<ConnectionPrompt[]>([]);
  const notices = ref<ConnectionNotice[]>([]);
  const secretsPersistent = ref(false);
  const loaded = ref(false);
  const loading = ref(false);
  const lastError = ref<ErrorDetail | null>(null);

  const list = computed(() =>
    order.value.map((id) => items.value[id]).filter((item): item is ConnectionItem => !!item),
  );
  const currentPrompt = computed(() => prompts.value[0] ?? null);
  const counts = computed<ConnectionCounts>(() => {
    const out: ConnectionCounts = {
      total: 0,
      connected: 0,
      connecting: 0,
      authNeeded: 0,
      failed: 0,
      reconnecting: 0,
    };
    for (const item of list.value) {
      out.total++;
      const status = item.state.status;
      if (status === 'connected') out.connected++;
      else if (status === 'connecting') out.connecting++;
      else if (status === 'auth-needed') out.authNeeded++;
      else if (status === 'failed') out.failed++;
      else if (status === 'reconnecting') out.reconnecting++;
    }
    return out;
  });

  // Events that arrive while the list is loading describe newer state than the reply may:
  // they wait and are applied on top of it, in order.
  let buffered: Array<() => void> | null = null;
  // Per-connection count of state events, so a late action reply does not undo a newer event.
  const stateEvents = new Map<string, number>();
  // Per-connection count of actions begun: only the latest one's outcome is shown, so a
  // Connect that a later Disconnect cancelled leaves no stale error on the row.
  const actionsBegun = new Map<string, number>();
  let disposers: Array<() => void> = [];

  function whenLoaded(apply: () => void): void {
    if (buffered) buffered.push(apply);
    else apply();
  }

  function setState(id: string, state: ConnectionState): void {
    const item = items.value[id];
    if (!item) return;
    item.state = state;
    item.stateReceivedAt = Date.now();
    if (state.status === 'connected') item.lastError = null;
  }

  function upsert(connection: SavedConnection, state?: ConnectionState): void {
    const existing = items.value[connection.id];
    if (existing) {
      existing.connection = connection;
      if (state) setState(connection.id, state);
      return;
    }
    items.value[connection.id] = {
      connection,
      state: state ?? { status: 'disconnected' },
      stateReceivedAt: Date.now(),
      pending: null,
      lastError: null,
    };
    order.value.push(connection.id);
  }

  function removeLocal(id: string): void {
    delete items.value[id];
    order.value = order.value.filter((other) => other !== id);
    prompts.value = prompts.value.filter((prompt) => prompt.connectionId !== id);
    stateEvents.delete(id);
    actionsBegun.delete(id);
  }

  function addPrompt(prompt: ConnectionPrompt): void {
    if (prompts.value.some((p) => p.promptId === prompt.promptId)) return;
    prompts.value.push(prompt);
  }

  function dropPrompt(promptId: string): void {
    prompts.value = prompts.value.filter((p) => p.promptId !== promptId);
  }

  function applyChange(change: ConnectionChange): void {
    if (change.change === 'removed') removeLocal(change.connectionId);
    else upsert(change.connection);
  }

  function applyList(entries: readonly ConnectionEntry[]): void {
    const next: Record<string, ConnectionItem> = {};
    const now = Date.now();
    for (const entry of entries) {
      const previous = items.value[entry.connection.id];
      next[entry.connection.id] = {
        connection: entry.connection,
        state: entry.state,
        stateReceivedAt: now,
        pending: previous?.pending ?? null,
        lastError: previous?.lastError ?? null,
      };
    }
    items.value = next;
    order.value = entries.map((entry) => entry.connection.id);
    prompts.value = entries.flatMap((entry) => (entry.prompt ? [entry.prompt] : []));
  }

  function subscribe(): void {
    disposers = [
      onEvent('connection:state', ({ connectionId, state }) =>
        whenLoaded(() => {
          stateEvents.set(connectionId, (stateEvents.get(connectionId) ?? 0) + 1);
          setState(connectionId, state);
        }),
      ),
      onEvent('connection:changed', (change) => whenLoaded(() => applyChange(change))),
      onEvent('connection:prompt', (prompt) => whenLoaded(() => addPrompt(prompt))),
      onEvent('connection:promptClosed', ({ promptId }) => whenLoaded(() => dropPrompt(promptId))),
    ];
  }

  async function init(): Promise<void> {
    dispose();
    subscribe();
    await load();
  }

  async function load(): Promise<void> {
    loading.value = true;
    buffered = [];
    try {
      const result = await call('connection:list', {});
      applyList(result.connections);
      notices.value = result.notices;
      secretsPersistent.value = result.secretsPersistent;
      loaded.value = true;
      lastError.value = null;
    } catch (error) {
      lastError.value = describeError(error);
      notifications.reportError('errors.connectionsLoad', error);
    } finally {
      const pendingEvents = buffered;
      buffered = null;
      for (const apply of pendingEvents) apply();
      loading.value = false;
    }
  }

  /** For actions no dialog is open for: the failure goes to the notifications. */
  function reportFailure(key: MessageKey, id: string, error: FieldErrorDetail): void {
    const alias = items.value[id]?.connection.alias ?? id;
    notifications.notify({
      severity: 'error',
      summary: { key, params: { alias } },
      detail: error.detail,
      ...(error.kind ? { kind: error.kind } : {}),
      ...(error.codeName ? { codeName: error.codeName } : {}),
    });
  }

  /** Runs a per-connection action, marking the row busy and keeping its error on the row. */
  async function runOn<T>(
    id: string,
    action: ConnectionAction,
    run: () => Promise<T>,
  ): Promise<ActionResult<T>> {
    const generation = (actionsBegun.get(id) ?? 0) + 1;
    actionsBegun.set(id, generation);
    const item = items.value[id];
    if (item) item.pending = action;
    const result = await attempt(run);
    const after = items.value[id];
    if (after && actionsBegun.get(id) === generation) {
      after.pending = null;
      after.lastError = result.ok ? null : result.error;
    }
    return result;
  }

  async function connect(id: string): Promise<ActionResult<ConnectionState>> {
    const seen = stateEvents.get(id) ?? 0;
    const result = await runOn(id, 'connect', () => call('connection:connect', { id }));
    if (result.ok && (stateEvents.get(id) ?? 0) === seen) setState(id, result.value);
    return result;
  }

  async function disconnect(id: string): Promise<ActionResult<ConnectionState>> {
    const seen = stateEvents.get(id) ?? 0;
    const result = await runOn(id, 'disconnect', () => call('connection:disconnect', { id }));
    if (result.ok && (stateEvents.get(id) ?? 0) === seen) setState(id, result.value);
    else if (!result.ok) reportFailure('errors.connectionDisconnect', id, result.error);
    return result;
  }

  /** Saves a new connection; a refusal is returned for the dialog to show, not notified. */
  async function add(draft: ConnectionDraft): Promise<ActionResult<SavedConnection>> {
    const result = await attempt(() => call('connection:add', draft));
    if (result.ok) upsert(result.value);
    return result;
  }

  async function update(
    id: string,
    patch: ConnectionPatch,
  ): Promise<ActionResult<SavedConnection>> {
    const result = await runOn(id, 'update', () => call('connection:update', { id, patch }));
    if (result.ok) upsert(result.value);
    return result;
  }

  async function remove(id: string): Promise<ActionResult<{ id: string }>> {
    const result = await runOn(id, 'delete', () => call('connection:delete', { id }));
    if (result.ok) removeLocal(id);
    return result;
  }

  async function answerPrompt(answer: PromptAnswer): Promise<ActionResult<{ promptId: string }>> {
    const result = await attempt(() => call('connection:answerPrompt', answer));
    // A refused answer keeps the question open to try again (the host closes it with
    // 'connection:promptClosed' when it is over); a cancel is over for the user either way.
    if (result.ok || answer.action === 'cancel') dropPrompt(answer.promptId);
    return result;
  }

  function details(id: string): Promise<ActionResult<ConnectionDetails>> {
    return attempt(() => call('connection:details', { id }));
  }

  async function buildUri(input: BuildUriInput): Promise<ActionResult<string>> {
    const result = await attempt(() => call('connection:buildUri', input));
    return result.ok ? { ok: true, value: result.value.uri } : result;
  }

  function importCandidates(): Promise<ActionResult<ImportCandidates>> {
    return attempt(() => call('connection:importCandidates', {}));
  }

  async function importConnections(
    drafts: readonly ImportDraft[],
  ): Promise<ActionResult<ImportResult>> {
    const result = await attempt(() => call('connection:import', { connections: [...drafts] }));
    if (result.ok) for (const connection of result.value.added) upsert(connection);
    return result;
  }

  function dismissNotice(notice: ConnectionNotice): void {
    notices.value = notices.value.filter((other) => other !== notice);
  }

  function dispose(): void {
    for (const stop of disposers) stop();
    disposers = [];
  }

  return {
    items,
    order,
    prompts,
    notices,
    secretsPersistent,
    loaded,
    loading,
    lastError,
    list,
    currentPrompt,
    counts,
    init,
    load,
    connect,
    disconnect,
    add,
    update,
    remove,
    answerPrompt,
    details,
    buildUri,
    importCandidates,
    importConnections,
    dismissNotice,
    dispose,
  };
});
