import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ConnectionList,
  ConnectionPrompt,
  ConnectionState,
  SavedConnection,
} from '../../../../shared/contract';
import { installBridge } from '../../../../renderer/src/api/bridge';
import { useConnectionsStore } from '../../../../renderer/src/stores/connections';
import { useNotificationsStore } from '../../../../renderer/src/stores/notifications';
import { FakeBridge } from '../fake-bridge';

const ids = {
  local: '6f1c1d7e-3a52-4c1e-9a0e-0d3c1b2a4e01',
  lab: '6f1c1d7e-3a52-4c1e-9a0e-0d3c1b2a4e02',
  added: '6f1c1d7e-3a52-4c1e-9a0e-0d3c1b2a4e03',
};

function saved(id: string, alias: string, uri: string): SavedConnection {
  return { id, alias, uri, autoconnect: true, ssh: { useAgent: true }, origin: 'user' };
}

function hostKeyPrompt(promptId: string, connectionId = ids.lab): ConnectionPrompt {
  return {
    kind: 'host-key',
    promptId,
    connectionId,
    alias: 'lab',
    expiresAt: Date.now() + 60_000,
    host: '127.0.0.1',
    port: 2222,
    keyType: 'ssh-ed25519',
    fingerprint: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s',
  };
}

const promptIds = ['0b6a5d6e-1f0e-4b7c-8a9d-2c3e4f5a6b01', '0b6a5d6e-1f0e-4b7c-8a9d-2c3e4f5a6b02'];

let bridge: FakeBridge;
let listed: ConnectionList;

beforeEach(() => {
  listed = {
    connections: [
      {
        connection: saved(ids.local, 'local', 'qemu:///system'),
        state: { status: 'connected', since: 1 },
        prompt: null,
      },
      {
        connection: saved(ids.lab, 'lab', 'qemu+ssh://root@lab/system'),
        state: { status: 'auth-needed', promptId: promptIds[0]! },
        prompt: hostKeyPrompt(promptIds[0]!),
      },
    ],
    notices: [{ kind: 'local-host-added', message: 'Added this computer as "local"' }],
    secretsPersistent: false,
  };
  bridge = new FakeBridge().handle('connection:list', () => listed);
  installBridge(bridge);
  setActivePinia(createPinia());
});

afterEach(() => {
  useConnectionsStore().dispose();
  installBridge(null);
});

describe('connections store', () => {
  it('loads the saved connections in the host order, with notices and waiting prompts', async () => {
    const store = useConnectionsStore();
    await store.init();
    expect(store.loaded).toBe(true);
    expect(store.list.map((item) => item.connection.alias)).toEqual(['local', 'lab']);
    expect(store.items[ids.lab]?.state).toEqual({ status: 'auth-needed', promptId: promptIds[0] });
    expect(store.notices).toEqual(listed.notices);
    expect(store.secretsPersistent).toBe(false);
    expect(store.currentPrompt?.promptId).toBe(promptIds[0]);
    expect(store.counts).toEqual({
      total: 2,
      connected: 1,
      connecting: 0,
      authNeeded: 1,
      failed: 0,
      reconnecting: 0,
    });
  });

  it('reports a failed load with the host message and leaves the list empty', async () => {
    bridge.fail('connection:list', {
      kind: 'internal',
      message: "EACCES: permission denied, open '/home/u/.config/virtdeck/connections.json'",
    });
    const store = useConnectionsStore();
    await store.init();
    expect(store.loaded).toBe(false);
    expect(store.list).toEqual([]);
    expect(useNotificationsStore().current).toMatchObject({
      summary: { key: 'errors.connectionsLoad' },
      detail: "EACCES: permission denied, open '/home/u/.config/virtdeck/connections.json'",
    });
  });

  it('follows connection:state events and counts them', async () => {
    const store = useConnectionsStore();
    await store.init();
    const failed: ConnectionState = {
      status: 'failed',
      message: 'Cannot recv data: ssh: connect to host lab port 22: Connection refused',
      kind: 'transport',
      reason: 'connect',
    };
    bridge.emit('connection:state', { connectionId: ids.local, state: failed });
    expect(store.items[ids.local]?.state).toEqual(failed);
    expect(store.counts.failed).toBe(1);
    expect(store.counts.connected).toBe(0);

    const before = Date.now();
    bridge.emit('connection:state', {
      connectionId: ids.local,
      state: {
        status: 'reconnecting',
        inSeconds: 4,
        retryAt: before + 4000,
        attempt: 2,
        lastError: { message: 'End of file while reading data', kind: 'transport', reason: 'eof' },
      },
    });
    expect(store.counts.reconnecting).toBe(1);
    expect(store.items[ids.local]?.stateReceivedAt).toBeGreaterThanOrEqual(before);
  });

  it('ignores a state event for a connection it does not have', async () => {
    const store = useConnectionsStore();
    await store.init();
    bridge.emit('connection:state', {
      connectionId: ids.added,
      state: { status: 'connected', since: 2 },
    });
    expect(Object.keys(store.items).sort()).toEqual([ids.local, ids.lab].sort());
  });

  it('adds, updates and removes rows from connection:changed', async () => {
    const store = useConnectionsStore();
    await store.init();
    bridge.emit('connection:changed', {
      change: 'added',
      connection: saved(ids.added, 'web', 'qemu+tls://web/system'),
    });
    expect(store.list.map((item) => item.connection.alias)).toEqual(['local', 'lab', 'web']);
    expect(store.items[ids.added]?.state).toEqual({ status: 'disconnected' });

    bridge.emit('connection:changed', {
      change: 'updated',
      connection: { ...saved(ids.added, 'web2', 'qemu+tls://web/system'), colour: '#10B981' },
    });
    expect(store.items[ids.added]?.connection).toMatchObject({ alias: 'web2', colour: '#10B981' });
    expect(store.list).toHaveLength(3);

    bridge.emit('connection:changed', { change: 'removed', connectionId: ids.lab });
    expect(store.list.map((item) => item.connection.alias)).toEqual(['local', 'web2']);
    // Its waiting question went with it.
    expect(store.prompts).toEqual([]);
  });

  it('applies events that arrive during the load on top of the older reply', async () => {
    let answer: (list: ConnectionList) => void = () => undefined;
    bridge.handle('connection:list', () => new Promise<ConnectionList>((r) => (answer = r)));
    const store = useConnectionsStore();
    const loading = store.init();
    bridge.emit('connection:state', {
      connectionId: ids.local,
      state: { status: 'connecting', attempt: 1 },
    });
    bridge.emit('connection:changed', { change: 'removed', connectionId: ids.lab });
    answer(listed);
    await loading;
    expect(store.items[ids.local]?.state).toEqual({ status: 'connecting', attempt: 1 });
    expect(store.list.map((item) => item.connection.alias)).toEqual(['local']);
  });

  it('marks a connection pending while connecting and takes the reply state', async () => {
    let finish: (state: ConnectionState) => void = () => undefined;
    bridge.handle('connection:connect', () => new Promise<ConnectionState>((r) => (finish = r)));
    const store = useConnectionsStore();
    await store.init();
    bridge.emit('connection:state', { connectionId: ids.local, state: { status: 'disconnected' } });

    const connecting = store.connect(ids.local);
    expect(store.items[ids.local]?.pending).toBe('connect');
    expect(bridge.calls.at(-1)).toEqual({
      channel: 'connection:connect',
      input: { id: ids.local },
    });
    finish({ status: 'connected', since: 5 });
    await expect(connecting).resolves.toEqual({
      ok: true,
      value: { status: 'connected', since: 5 },
    });
    expect(store.items[ids.local]?.pending).toBeNull();
    expect(store.items[ids.local]?.state).toEqual({ status: 'connected', since: 5 });
  });

  it('does not let a late connect reply undo a newer state event', async () => {
    let finish: (state: ConnectionState) => void = () => undefined;
    bridge.handle('connection:connect', () => new Promise<ConnectionState>((r) => (finish = r)));
    const store = useConnectionsStore();
    await store.init();
    const connecting = store.connect(ids.local);
    const dropped: ConnectionState = {
      status: 'reconnecting',
      inSeconds: 2,
      retryAt: Date.now() + 2000,
      attempt: 1,
      lastError: { message: 'End of file while reading data', kind: 'transport' },
    };
    bridge.emit('connection:state', { connectionId: ids.local, state: dropped });
    finish({ status: 'connected', since: 5 });
    await connecting;
    expect(store.items[ids.local]?.state).toEqual(dropped);
  });

  it("keeps libvirt's error on the row when connecting fails", async () => {
    bridge.fail('connection:connect', {
      kind: 'libvirt',
      code: 38,
      domain: 7,
      codeName: 'VIR_ERR_SYSTEM_ERROR',
      message: "Failed to connect socket to '/run/libvirt/libvirt-sock': No such file or directory",
    });
    const store = useConnectionsStore();
    await store.init();
    const result = await store.connect(ids.local);
    expect(result.ok).toBe(false);
    expect(store.items[ids.local]?.lastError).toEqual({
      detail: "Failed to connect socket to '/run/libvirt/libvirt-sock': No such file or directory",
      kind: 'libvirt',
      codeName: 'VIR_ERR_SYSTEM_ERROR',
    });
    expect(store.items[ids.local]?.pending).toBeNull();

    // Once it connects, the old error is gone.
    bridge.emit('connection:state', {
      connectionId: ids.local,
      state: { status: 'connected', since: 9 },
    });
    expect(store.items[ids.local]?.lastError).toBeNull();
  });

  it('lets a Disconnect during a pending Connect win, leaving no stale error', async () => {
    let refuse: (error: Error) => void = () => undefined;
    bridge
      .handle(
        'connection:connect',
        () => new Promise<ConnectionState>((_resolve, reject) => (refuse = reject)),
      )
      .handle('connection:disconnect', (): ConnectionState => ({ status: 'disconnected' }));
    const store = useConnectionsStore();
    await store.init();
    const connecting = store.connect(ids.lab);
    await store.disconnect(ids.lab);
    refuse(new Error('The connection was cancelled'));
    expect((await connecting).ok).toBe(false);
    expect(store.items[ids.lab]).toMatchObject({
      state: { status: 'disconnected' },
      pending: null,
      lastError: null,
    });
  });

  it('notifies a failed disconnect, naming the connection', async () => {
    bridge.fail('connection:disconnect', {
      kind: 'transport',
      message: 'The web host link was closed',
    });
    const store = useConnectionsStore();
    await store.init();
    await store.disconnect(ids.local);
    expect(useNotificationsStore().current).toMatchObject({
      severity: 'error',
      summary: { key: 'errors.connectionDisconnect', params: { alias: 'local' } },
      detail: 'The web host link was closed',
      kind: 'transport',
    });
  });

  it("returns the host's refusal of a new connection with the field it blames, saving nothing", async () => {
    bridge.fail('connection:add', {
      kind: 'validation',
      message: 'The alias "local" is already used by another connection',
      path: 'alias',
    });
    const store = useConnectionsStore();
    await store.init();
    const result = await store.add({
      alias: 'local',
      uri: 'test:///default',
      autoconnect: false,
      ssh: { useAgent: true },
    });
    expect(result).toEqual({
      ok: false,
      error: {
        detail: 'The alias "local" is already used by another connection',
        kind: 'validation',
        path: 'alias',
      },
    });
    expect(store.list).toHaveLength(2);
    // The dialog shows it; no snackbar on top.
    expect(useNotificationsStore().items).toEqual([]);
  });

  it('adds a saved connection once, even when its event follows the reply', async () => {
    const created = saved(ids.added, 'web', 'test:///default');
    bridge.handle('connection:add', () => created);
    const store = useConnectionsStore();
    await store.init();
    const result = await store.add({
      alias: 'web',
      uri: 'test:///default',
      autoconnect: true,
      ssh: { useAgent: true },
    });
    expect(result).toEqual({ ok: true, value: created });
    bridge.emit('connection:changed', { change: 'added', connection: created });
    expect(store.list.map((item) => item.connection.alias)).toEqual(['local', 'lab', 'web']);
  });

  it('updates a connection and keeps its live state', async () => {
    bridge.handle('connection:update', ({ id, patch }) => ({
      ...listed.connections.find((entry) => entry.connection.id === id)!.connection,
      autoconnect: patch.autoconnect ?? true,
    }));
    const store = useConnectionsStore();
    await store.init();
    const result = await store.update(ids.local, { autoconnect: false });
    expect(result.ok).toBe(true);
    expect(store.items[ids.local]?.connection.autoconnect).toBe(false);
    expect(store.items[ids.local]?.state.status).toBe('connected');
  });

  it('removes a deleted connection', async () => {
    bridge.handle('connection:delete', ({ id }) => ({ id }));
    const store = useConnectionsStore();
    await store.init();
    await expect(store.remove(ids.local)).resolves.toEqual({ ok: true, value: { id: ids.local } });
    expect(store.list.map((item) => item.connection.alias)).toEqual(['lab']);
  });

  it('queues prompts in order, once each, and drops closed ones', async () => {
    const store = useConnectionsStore();
    await store.init();
    const second = hostKeyPrompt(promptIds[1]!, ids.local);
    bridge.emit('connection:prompt', second);
    bridge.emit('connection:prompt', second);
    expect(store.prompts.map((p) => p.promptId)).toEqual(promptIds);
    expect(store.currentPrompt?.promptId).toBe(promptIds[0]);

    bridge.emit('connection:promptClosed', {
      promptId: promptIds[0]!,
      connectionId: ids.lab,
      reason: 'timeout',
    });
    expect(store.currentPrompt?.promptId).toBe(promptIds[1]);
  });

  it('answers a prompt and moves to the next; a refused answer keeps the question', async () => {
    const store = useConnectionsStore();
    await store.init();
    bridge.fail('connection:answerPrompt', {
      kind: 'transport',
      message: 'Could not reach the VirtDeck web host within 15 s',
    });
    const refused = await store.answerPrompt({ action: 'accept', promptId: promptIds[0]! });
    expect(refused.ok).toBe(false);
    expect(store.currentPrompt?.promptId).toBe(promptIds[0]);

    // Cancelling is over for the user even if the host could not be told.
    await store.answerPrompt({ action: 'cancel', promptId: promptIds[0]! });
    expect(store.currentPrompt).toBeNull();

    bridge.handle('connection:answerPrompt', ({ promptId }) => ({ promptId }));
    bridge.emit('connection:prompt', hostKeyPrompt(promptIds[1]!));
    const answered = await store.answerPrompt({
      action: 'answer',
      promptId: promptIds[1]!,
      answer: 's3cret',
      remember: true,
    });
    expect(answered.ok).toBe(true);
    expect(bridge.calls.at(-1)).toEqual({
      channel: 'connection:answerPrompt',
      input: { action: 'answer', promptId: promptIds[1], answer: 's3cret', remember: true },
    });
    expect(store.prompts).toEqual([]);
  });

  it('builds URIs and imports through the host', async () => {
    bridge
      .handle('connection:buildUri', (input) => ({
        uri: `qemu+${input.transport}://${input.host ?? ''}/system`,
      }))
      .handle('connection:import', ({ connections }) => ({
        added: connections.map((draft, index) =>
          saved(index === 0 ? ids.added : crypto.randomUUID(), draft.alias, draft.uri),
        ),
        skipped: [],
      }));
    const store = useConnectionsStore();
    await store.init();
    await expect(
      store.buildUri({ hypervisor: 'qemu-system', transport: 'ssh', host: 'kvm1' }),
    ).resolves.toEqual({ ok: true, value: 'qemu+ssh://kvm1/system' });

    const result = await store.importConnections([
      {
        alias: 'hail',
        uri: 'qemu+ssh://root@hail/system',
        autoconnect: false,
        ssh: { useAgent: true },
        origin: 'libvirt-conf',
      },
    ]);
    expect(result.ok).toBe(true);
    expect(store.list.map((item) => item.connection.alias)).toEqual(['local', 'lab', 'hail']);
  });

  it('dismisses a notice only on this screen', async () => {
    const store = useConnectionsStore();
    await store.init();
    store.dismissNotice(store.notices[0]!);
    expect(store.notices).toEqual([]);
  });

  it('stops listening to the host on dispose', async () => {
    const store = useConnectionsStore();
    await store.init();
    expect(bridge.listenerCount).toBe(4);
    store.dispose();
    expect(bridge.listenerCount).toBe(0);
    bridge.emit('connection:changed', { change: 'removed', connectionId: ids.local });
    expect(store.list).toHaveLength(2);
  });
});
