import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SnapshotCapabilities, SnapshotTree } from '../../../../shared/contract';
import { installBridge } from '../../../../renderer/src/api/bridge';
import { useSnapshotsStore } from '../../../../renderer/src/stores/snapshots';
import { FakeBridge } from '../fake-bridge';

const CONN = '00000000-0000-4000-8000-0000000000c1';
const VM = '00000000-0000-4000-8000-00000000aa01';
const target = { connectionId: CONN, uuid: VM };

function tree(names: string[]): SnapshotTree {
  return {
    ...target,
    roots: names.map((name) => ({
      name,
      description: '',
      creationTime: 1,
      state: 'shutoff',
      hasMemory: false,
      diskOnly: false,
      location: 'internal',
      memoryFile: null,
      disks: [],
      parent: null,
      current: false,
      hasThumbnail: true,
      children: [],
    })),
    current: null,
    count: names.length,
  };
}

const caps = { ...target, active: false } as SnapshotCapabilities;

let bridge: FakeBridge;
let names: string[];

beforeEach(() => {
  names = ['s1'];
  bridge = new FakeBridge()
    .handle('snapshot:list', () => tree(names))
    .handle('snapshot:capabilities', () => caps)
    .handle('snapshot:thumbnail', () => ({ mime: 'image/png' as const, dataBase64: 'QUJD' }));
  installBridge(bridge);
  setActivePinia(createPinia());
});

afterEach(() => {
  useSnapshotsStore().dispose();
  installBridge(null);
  vi.useRealTimers();
});

describe('snapshots store', () => {
  it('reads the tree and capabilities, and reads again on snapshot:changed', async () => {
    vi.useFakeTimers();
    const store = useSnapshotsStore();
    await store.load(target);
    expect(store.entry(target).tree?.roots.map((r) => r.name)).toEqual(['s1']);
    expect(store.entry(target).capabilities).toEqual(caps);

    names = ['s1', 's2'];
    bridge.emit('snapshot:changed', { ...target, change: 'created', name: 's2' });
    // Another VM's change is none of this tab's business.
    bridge.emit('snapshot:changed', {
      connectionId: CONN,
      uuid: 'x',
      change: 'created',
      name: 'a',
    });
    await vi.runAllTimersAsync();
    expect(store.entry(target).tree?.roots.map((r) => r.name)).toEqual(['s1', 's2']);
    expect(bridge.calls.filter((c) => c.channel === 'snapshot:list')).toHaveLength(2);
  });

  it('keeps the host’s error and the last good tree when a read fails', async () => {
    const store = useSnapshotsStore();
    await store.load(target);
    bridge.fail('snapshot:list', {
      kind: 'libvirt',
      code: 42,
      codeName: 'VIR_ERR_NO_DOMAIN',
      message: "Domain not found: no domain with matching uuid '…'",
    });
    await store.load(target);
    expect(store.entry(target).error).toEqual({
      detail: "Domain not found: no domain with matching uuid '…'",
      kind: 'libvirt',
      codeName: 'VIR_ERR_NO_DOMAIN',
    });
    expect(store.entry(target).tree?.roots).toHaveLength(1);
  });

  it('reads a thumbnail once, and again after the snapshots changed', async () => {
    vi.useFakeTimers();
    const store = useSnapshotsStore();
    await store.load(target);
    expect(await store.thumbnail(target, 's1')).toEqual({
      ok: true,
      value: 'data:image/png;base64,QUJD',
    });
    await store.thumbnail(target, 's1');
    const reads = () => bridge.calls.filter((c) => c.channel === 'snapshot:thumbnail').length;
    expect(reads()).toBe(1);
    bridge.emit('snapshot:changed', { ...target, change: 'deleted', name: 's1' });
    await vi.runAllTimersAsync();
    await store.thumbnail(target, 's1');
    expect(reads()).toBe(2);
  });
});
