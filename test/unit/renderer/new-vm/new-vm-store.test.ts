import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewVmSpec } from '../../../../shared/contract';
import { installBridge } from '../../../../renderer/src/api/bridge';
import { useNewVmStore } from '../../../../renderer/src/stores/new-vm';
import { FakeBridge } from '../fake-bridge';

const CONN = '00000000-0000-4000-8000-0000000000c1';
const VM = '00000000-0000-4000-8000-00000000aa01';
const JOB = '00000000-0000-4000-8000-00000000bb01';

const spec: NewVmSpec = {
  connectionId: CONN,
  arch: 'x86_64',
  method: { kind: 'manual' },
  osId: null,
  memoryBytes: 1024 ** 3,
  vcpus: 1,
  storage: { kind: 'none' },
  name: 'vm',
  network: null,
  firmware: 'bios',
  secureBoot: false,
  tpm: false,
  graphics: 'vnc',
};

/** The VM window is another page: the store keeps customizations in localStorage. */
class MemoryStorage {
  private readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
}

let bridge: FakeBridge;
const g = globalThis as unknown as { localStorage?: MemoryStorage };

beforeEach(() => {
  g.localStorage = new MemoryStorage();
  bridge = new FakeBridge();
  installBridge(bridge);
  setActivePinia(createPinia());
});

afterEach(() => {
  useNewVmStore().dispose();
  installBridge(null);
  delete g.localStorage;
});

describe('new VM store', () => {
  it('follows the progress of its own creation only', async () => {
    let release: () => void = () => undefined;
    bridge.handle('newVm:create', async () => {
      bridge.emit('newVm:progress', { jobId: JOB, phase: 'volumes', done: 1, total: 4 });
      bridge.emit('newVm:progress', {
        jobId: '00000000-0000-4000-8000-00000000bb02',
        phase: 'failed',
      });
      await new Promise<void>((resolve) => (release = resolve));
      return { connectionId: CONN, uuid: VM, name: 'vm', started: true };
    });
    const store = useNewVmStore();
    const creating = store.create({ spec, jobId: JOB, uuid: VM, customize: false });
    await new Promise((r) => setTimeout(r, 0));
    expect(store.progress.get(JOB)).toEqual({ jobId: JOB, phase: 'volumes', done: 1, total: 4 });
    expect(store.progress.size).toBe(1);
    release();
    const result = await creating;
    expect(result).toEqual({
      ok: true,
      value: { connectionId: CONN, uuid: VM, name: 'vm', started: true },
    });
    expect(store.isCustomizing({ connectionId: CONN, uuid: VM })).toBe(false);
  });

  it('remembers a customized VM across pages until it begins', async () => {
    bridge
      .handle('newVm:create', () => ({ connectionId: CONN, uuid: VM, name: 'vm', started: false }))
      .handle('newVm:begin', () => undefined);
    const store = useNewVmStore();
    await store.create({ spec, jobId: JOB, uuid: VM, customize: true });
    expect(store.isCustomizing({ connectionId: CONN, uuid: VM })).toBe(true);

    // The VM window's own store reads the same mark.
    setActivePinia(createPinia());
    const other = useNewVmStore();
    expect(other.isCustomizing({ connectionId: CONN, uuid: VM })).toBe(true);
    expect(await other.begin({ connectionId: CONN, uuid: VM })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(other.isCustomizing({ connectionId: CONN, uuid: VM })).toBe(false);
    expect(bridge.calls.map((c) => c.channel)).toEqual(['newVm:create', 'newVm:begin']);
  });

  it('keeps the mark when abandoning fails, with libvirt’s message', async () => {
    bridge
      .handle('newVm:create', () => ({ connectionId: CONN, uuid: VM, name: 'vm', started: false }))
      .fail('newVm:abandon', {
        kind: 'libvirt',
        message: "Domain not found: no domain with matching uuid '…'",
        code: 42,
      });
    const store = useNewVmStore();
    await store.create({ spec, jobId: JOB, uuid: VM, customize: true });
    const result = await store.abandon({ connectionId: CONN, uuid: VM });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.detail).toContain('Domain not found');
    expect(store.isCustomizing({ connectionId: CONN, uuid: VM })).toBe(true);
  });

  it('reads the OS catalog once and keeps a failure to show', async () => {
    let calls = 0;
    bridge.handle('newVm:osList', () => {
      calls++;
      return {
        source: 'builtin' as const,
        note: 'osinfo-db is not installed',
        version: null,
        oses: [],
      };
    });
    const store = useNewVmStore();
    await store.loadCatalog();
    await store.loadCatalog();
    expect(calls).toBe(1);
    expect(store.catalog?.note).toBe('osinfo-db is not installed');
  });
});
