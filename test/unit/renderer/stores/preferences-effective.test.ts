import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preferenceDefaults, type Preferences } from '../../../../shared/contract';
import { installBridge } from '../../../../renderer/src/api/bridge';
import { usePreferencesStore } from '../../../../renderer/src/stores/preferences';
import { FakeBridge } from '../fake-bridge';

let bridge: FakeBridge;
let stored: Preferences;

beforeEach(() => {
  stored = { theme: 'system', locale: null };
  bridge = new FakeBridge()
    .handle('prefs:get', () => ({ ...stored }))
    .handle('prefs:set', (patch) => (stored = { ...stored, ...patch }));
  installBridge(bridge);
  setActivePinia(createPinia());
});

afterEach(() => {
  usePreferencesStore().dispose();
  installBridge(null);
});

describe('preferences store: every preference', () => {
  it('fills what was never set with the defaults', async () => {
    const store = usePreferencesStore();
    await store.init();
    expect(store.effective).toEqual(preferenceDefaults);
  });

  it('keeps the later fields from the host, live, and saves one change at a time', async () => {
    stored = { theme: 'dark', locale: 'en', statsIntervalMs: 5000, confirmForceOff: false };
    const store = usePreferencesStore();
    await store.init();
    expect(store.effective.statsIntervalMs).toBe(5000);
    expect(store.effective.confirmForceOff).toBe(false);
    expect(store.effective.confirmShutdown).toBe(true);

    expect(await store.set({ statsDisk: false })).toBe(true);
    expect(bridge.calls.at(-1)).toEqual({ channel: 'prefs:set', input: { statsDisk: false } });
    expect(store.effective.statsDisk).toBe(false);

    bridge.emit('prefs:changed', { theme: 'dark', locale: 'en', newVmFirmware: 'bios' });
    expect(store.preferences).toEqual({ theme: 'dark', locale: 'en', newVmFirmware: 'bios' });
    expect(store.effective.statsIntervalMs).toBe(preferenceDefaults.statsIntervalMs);
    expect(store.effective.newVmFirmware).toBe('bios');
  });
});
