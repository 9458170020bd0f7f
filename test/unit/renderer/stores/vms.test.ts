import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VmList, VmSummary } from '../../../../shared/contract';
import { installBridge } from '../../../../renderer/src/api/bridge';
import { useNotificationsStore } from '../../../../renderer/src/stores/notifications';
import { SETTLE_FALLBACK_MS, useVmsStore, vmKey } from '../../../../renderer/src/stores/vms';
import { FakeBridge } from '../fake-bridge';
import { HOST_A, HOST_B, vmSummary } from '../vm-fixtures';

let bridge: FakeBridge;
let web: VmSummary;
let db: VmSummary;
let listed: VmList;

beforeEach(() => {
  web = vmSummary({ name: 'web01', state: 'shutoff' });
  db = vmSummary({ name: 'db01', state: 'running', connectionId: HOST_B, id: 3 });
  listed = {
    hosts: [
      { connectionId: HOST_A, alias: 'alpha', status: 'ready' },
      { connectionId: HOST_B, alias: 'beta', status: 'ready' },
    ],
    vms: [web, db],
  };
  bridge = new FakeBridge().handle('vm:list', () => listed);
  installBridge(bridge);
  setActivePinia(createPinia());
});

afterEach(() => {
  useVmsStore().dispose();
  installBridge(null);
  vi.useRealTimers();
});

const ref = (vm: VmSummary) => ({ connectionId: vm.connectionId, uuid: vm.uuid, name: vm.name });

describe('vms store: the list', () => {
  it('loads every VM keyed by host and UUID, with each host list', async () => {
    const store = useVmsStore();
    await store.init();
    expect(store.loaded).toBe(true);
    expect(store.items.size).toBe(2);
    expect(store.items.get(vmKey(web))?.vm.name).toBe('web01');
    expect(store.hostAlias(HOST_B)).toBe('beta');
    expect(store.list.map((item) => item.vm.name).sort()).toEqual(['db01', 'web01']);
  });

  it('applies added, changed and removed events without reloading', async () => {
    const store = useVmsStore();
    await store.init();
    const extra = vmSummary({ name: 'cache01', tags: ['prod'] });
    bridge.emit('vm:added', extra);
    bridge.emit('vm:changed', {
      connectionId: web.connectionId,
      uuid: web.uuid,
      patch: { state: 'running', id: 7 },
    });
    bridge.emit('vm:removed', { connectionId: db.connectionId, uuid: db.uuid, name: db.name });

    expect(store.items.get(vmKey(web))?.vm).toMatchObject({
      state: 'running',
      id: 7,
      name: 'web01',
    });
    expect(store.items.has(vmKey(db))).toBe(false);
    expect(store.allTags).toEqual(['prod']);
    expect(bridge.calls.filter((c) => c.channel === 'vm:list')).toHaveLength(1);
  });

  it("replaces one host's VMs on 'vm:listReset' and leaves other hosts alone", async () => {
    const store = useVmsStore();
    await store.init();
    bridge.emit('vm:listReset', {
      connectionId: HOST_B,
      alias: 'beta',
      status: 'disconnected',
      vms: [],
    });
    expect(store.items.has(vmKey(db))).toBe(false);
    expect(store.items.has(vmKey(web))).toBe(true);
    expect(store.hosts[HOST_B]?.status).toBe('disconnected');

    const back: VmSummary = { ...db, state: 'paused' };
    bridge.emit('vm:listReset', {
      connectionId: HOST_B,
      alias: 'beta',
      status: 'ready',
      vms: [back],
    });
    expect(store.items.get(vmKey(db))?.vm.state).toBe('paused');
  });

  it("fills in the 'loading' rows from a 'ready' update without dropping them", async () => {
    const store = useVmsStore();
    await store.init();
    const late = vmSummary({ name: 'late01', connectionId: HOST_B });
    const gone = vmSummary({ name: 'gone01', connectionId: HOST_B });
    const provisional: VmSummary = { ...db, title: '', tags: [] };
    bridge.emit('vm:listReset', {
      connectionId: HOST_B,
      alias: 'beta',
      status: 'loading',
      vms: [provisional, gone],
    });
    expect(store.items.get(vmKey(db))?.vm.title).toBe('');
    expect(store.items.has(vmKey(gone))).toBe(true);

    bridge.emit('vm:listReset', {
      connectionId: HOST_B,
      alias: 'beta',
      status: 'ready',
      vms: [late],
      update: {
        changed: [{ uuid: db.uuid, patch: { title: 'Database', tags: ['prod'] } }],
        removed: [gone.uuid],
      },
    });
    expect(store.hosts[HOST_B]?.status).toBe('ready');
    expect(store.items.get(vmKey(db))?.vm).toMatchObject({
      name: 'db01',
      title: 'Database',
      tags: ['prod'],
    });
    expect(store.items.has(vmKey(gone))).toBe(false);
    expect(store.items.get(vmKey(late))?.vm.name).toBe('late01');
    // The other host's rows are untouched.
    expect(store.items.get(vmKey(web))?.vm.name).toBe('web01');
    expect(store.items.size).toBe(3);
  });

  it('applies events that arrive while the list loads on top of the reply', async () => {
    let answer!: (list: VmList) => void;
    bridge.handle('vm:list', () => new Promise<VmList>((resolve) => (answer = resolve)));
    const store = useVmsStore();
    const loading = store.init();
    // The event is newer than the reply the host is about to send.
    bridge.emit('vm:changed', {
      connectionId: web.connectionId,
      uuid: web.uuid,
      patch: { state: 'running' },
    });
    answer(listed);
    await loading;
    expect(store.items.get(vmKey(web))?.vm.state).toBe('running');
  });

  it('joins a load that is already running instead of starting a second one', async () => {
    let answer!: (list: VmList) => void;
    bridge.handle('vm:list', () => new Promise<VmList>((resolve) => (answer = resolve)));
    const store = useVmsStore();
    const first = store.init();
    const second = store.load();
    bridge.emit('vm:changed', {
      connectionId: web.connectionId,
      uuid: web.uuid,
      patch: { state: 'running' },
    });
    answer(listed);
    // Two overlapping loads used to crash ("is not iterable") on the shared event buffer.
    await expect(Promise.all([first, second])).resolves.toBeDefined();
    expect(bridge.calls.filter((c) => c.channel === 'vm:list')).toHaveLength(1);
    expect(store.loaded).toBe(true);
    expect(store.lastError).toBeNull();
    expect(store.items.get(vmKey(web))?.vm.state).toBe('running');
    // Once settled, a new load reads the list again.
    bridge.handle('vm:list', () => listed);
    await store.load();
    expect(bridge.calls.filter((c) => c.channel === 'vm:list')).toHaveLength(2);
  });

  it('reports a failed load and keeps lastError', async () => {
    bridge.fail('vm:list', { kind: 'transport', message: 'link down' });
    const store = useVmsStore();
    await store.init();
    expect(store.loaded).toBe(false);
    expect(store.lastError?.detail).toBe('link down');
    expect(useNotificationsStore().current?.summary.key).toBe('vms.errors.load');
  });
});

describe('vms store: actions', () => {
  it('keeps a started VM pending until the event with its new state arrives', async () => {
    bridge.handle('vm:start', () => ref(web));
    const store = useVmsStore();
    await store.init();
    const result = await store.start(web);
    expect(result.ok).toBe(true);
    expect(bridge.calls.at(-1)).toEqual({
      channel: 'vm:start',
      input: { connectionId: web.connectionId, uuid: web.uuid },
    });
    const item = store.items.get(vmKey(web));
    expect(item?.pending).toBe('start');
    bridge.emit('vm:changed', {
      connectionId: web.connectionId,
      uuid: web.uuid,
      patch: { state: 'running' },
    });
    expect(item?.pending).toBeNull();
  });

  it('ends the pending mark at the reply for actions the list cannot see (reboot)', async () => {
    bridge.handle('vm:reboot', () => ref(db));
    const store = useVmsStore();
    await store.init();
    await store.reboot(db);
    expect(store.items.get(vmKey(db))?.pending).toBeNull();
  });

  it('reads the VM again when its event never comes', async () => {
    vi.useFakeTimers();
    const paused: VmSummary = { ...db, state: 'paused' };
    bridge.handle('vm:pause', () => ref(db)).handle('vm:get', () => paused);
    const store = useVmsStore();
    await store.init();
    await store.pause(db);
    expect(store.items.get(vmKey(db))?.pending).toBe('pause');
    await vi.advanceTimersByTimeAsync(SETTLE_FALLBACK_MS);
    expect(bridge.calls.some((c) => c.channel === 'vm:get')).toBe(true);
    const item = store.items.get(vmKey(db));
    expect(item?.vm.state).toBe('paused');
    expect(item?.pending).toBeNull();
  });

  it("keeps libvirt's error on the VM and names VM and host in the notification", async () => {
    bridge.fail('vm:shutdown', {
      kind: 'libvirt',
      code: 55,
      codeName: 'VIR_ERR_OPERATION_INVALID',
      message: 'Requested operation is not valid: domain is not running',
    });
    const store = useVmsStore();
    await store.init();
    const result = await store.shutdown(db);
    expect(result.ok).toBe(false);
    const item = store.items.get(vmKey(db));
    expect(item?.pending).toBeNull();
    expect(item?.lastError).toMatchObject({
      detail: 'Requested operation is not valid: domain is not running',
      codeName: 'VIR_ERR_OPERATION_INVALID',
    });
    const shown = useNotificationsStore().current;
    expect(shown?.summary).toEqual({
      key: 'vms.errors.shutdown',
      params: { name: 'db01', host: 'beta' },
    });
    expect(shown?.detail).toBe('Requested operation is not valid: domain is not running');
  });

  it('a quiet restore leaves the failure to the caller (to offer discarding the saved state)', async () => {
    const saved = vmSummary({ name: 'saved01', state: 'saved', hasManagedSave: true });
    listed.vms.push(saved);
    bridge.fail('vm:start', { kind: 'libvirt', message: 'cannot restore: image is corrupt' });
    const store = useVmsStore();
    await store.init();
    const result = await store.start(saved, { quiet: true });
    expect(result).toMatchObject({
      ok: false,
      error: { detail: 'cannot restore: image is corrupt' },
    });
    expect(useNotificationsStore().items).toHaveLength(0);

    bridge.handle('vm:start', () => ref(saved));
    await store.start(saved, { forceBoot: true });
    expect(bridge.calls.at(-1)?.input).toEqual({
      connectionId: HOST_A,
      uuid: saved.uuid,
      forceBoot: true,
    });
  });

  it('runs a bulk action with per-VM progress and one summary of the failures', async () => {
    const second = vmSummary({ name: 'web02' });
    const third = vmSummary({ name: 'web03' });
    listed.vms.push(second, third);
    bridge.handle('vm:bulk', ({ targets }) => ({
      results: targets.map((target) =>
        target.uuid === third.uuid
          ? {
              ...target,
              ok: false as const,
              error: { kind: 'libvirt' as const, message: 'no memory' },
            }
          : { ...target, ok: true as const },
      ),
    }));
    const store = useVmsStore();
    await store.init();
    const failed = await store.bulk('start', [web, second, third]);
    expect(failed).toBe(1);
    expect(store.items.get(vmKey(web))?.pending).toBe('start');
    expect(store.items.get(vmKey(third))?.pending).toBeNull();
    expect(store.items.get(vmKey(third))?.lastError?.detail).toBe('no memory');
    const shown = useNotificationsStore().current;
    expect(shown?.summary).toEqual({ key: 'vms.errors.bulk', params: { failed: 1, total: 3 } });
    expect(shown?.detail).toBe('web03 (alpha): no memory');
  });

  it('stores the tags the host answers with at once', async () => {
    bridge.handle('vm:setTags', () => ({ tags: ['db', 'prod'] }));
    const store = useVmsStore();
    await store.init();
    const result = await store.setTags(web, ['prod', ' db ']);
    expect(result).toEqual({ ok: true, value: ['db', 'prod'] });
    expect(store.items.get(vmKey(web))?.vm.tags).toEqual(['db', 'prod']);
    expect(store.allTags).toEqual(['db', 'prod']);
  });

  it('returns a refused delete to the dialog and warns about storage that stayed', async () => {
    bridge.fail('vm:delete', {
      kind: 'validation',
      message: 'db01 is running: force it off first',
    });
    const store = useVmsStore();
    await store.init();
    const refused = await store.remove({ connectionId: db.connectionId, uuid: db.uuid, disks: [] });
    expect(refused).toMatchObject({
      ok: false,
      error: { detail: 'db01 is running: force it off first' },
    });
    expect(useNotificationsStore().items).toHaveLength(0);
    expect(store.items.get(vmKey(db))?.pending).toBeNull();

    bridge.handle('vm:delete', () => ({
      connectionId: db.connectionId,
      uuid: db.uuid,
      name: 'db01',
      forcedOff: true,
      undefined: true,
      nvramRemoved: false,
      disks: [
        { target: 'vda', path: '/p/a.qcow2', deleted: true },
        {
          target: 'vdb',
          path: '/p/b.qcow2',
          deleted: false,
          error: { kind: 'libvirt' as const, message: 'busy' },
        },
      ],
    }));
    const done = await store.remove({
      connectionId: db.connectionId,
      uuid: db.uuid,
      disks: [],
      forceOff: true,
    });
    expect(done.ok).toBe(true);
    const shown = useNotificationsStore().current;
    expect(shown?.severity).toBe('warning');
    expect(shown?.detail).toBe('/p/b.qcow2: busy');
    // The row goes with the event, not with the reply.
    expect(store.items.get(vmKey(db))?.pending).toBe('delete');
    bridge.emit('vm:removed', { connectionId: db.connectionId, uuid: db.uuid, name: 'db01' });
    expect(store.items.has(vmKey(db))).toBe(false);
  });
});
