import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Preferences } from '../../../../shared/contract';
import { installBridge } from '../../../../renderer/src/api/bridge';
import { useNotificationsStore } from '../../../../renderer/src/stores/notifications';
import {
  localeForLanguage,
  usePreferencesStore,
} from '../../../../renderer/src/stores/preferences';
import { FakeBridge } from '../fake-bridge';

/** The page's `(prefers-color-scheme: dark)` query, switchable like an OS setting. */
class ColorSchemeQuery {
  private readonly listeners = new Set<() => void>();
  constructor(public matches: boolean) {}
  addEventListener(_type: 'change', listener: () => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'change', listener: () => void): void {
    this.listeners.delete(listener);
  }
  switchTo(dark: boolean): void {
    this.matches = dark;
    for (const listener of this.listeners) listener();
  }
}

let osDark: ColorSchemeQuery;
let page: EventTarget;
let language: { language: string };
let bridge: FakeBridge;
let stored: Preferences;

beforeEach(() => {
  osDark = new ColorSchemeQuery(false);
  page = new EventTarget();
  language = { language: 'en-US' };
  vi.stubGlobal('matchMedia', (query: string) => {
    expect(query).toBe('(prefers-color-scheme: dark)');
    return osDark;
  });
  vi.stubGlobal('navigator', language);
  vi.stubGlobal('addEventListener', page.addEventListener.bind(page));
  vi.stubGlobal('removeEventListener', page.removeEventListener.bind(page));

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
  vi.unstubAllGlobals();
});

describe('localeForLanguage', () => {
  it('maps every Chinese tag to zh-CN and everything else to English', () => {
    expect(['zh', 'zh-CN', 'zh-TW', 'zh-Hant-HK', 'ZH-sg'].map(localeForLanguage)).toEqual(
      Array(5).fill('zh-CN'),
    );
    expect(['en-GB', 'fr', 'ja', ''].map(localeForLanguage)).toEqual(Array(4).fill('en'));
  });
});

describe('preferences store', () => {
  it('loads the saved preferences on init', async () => {
    stored = { theme: 'dark', locale: 'zh-CN' };
    const store = usePreferencesStore();
    await store.init();
    expect(store.loaded).toBe(true);
    expect(store.preferences).toEqual({ theme: 'dark', locale: 'zh-CN' });
    expect(store.theme).toBe('dark');
    expect(store.locale).toBe('zh-CN');
  });

  it('applies prefs:changed events pushed by the host', async () => {
    const store = usePreferencesStore();
    await store.init();
    expect(store.theme).toBe('light');

    bridge.emit('prefs:changed', { theme: 'dark', locale: 'zh-CN' });
    expect(store.preferences).toEqual({ theme: 'dark', locale: 'zh-CN' });
    expect(store.theme).toBe('dark');
    expect(store.locale).toBe('zh-CN');

    bridge.emit('prefs:changed', { theme: 'light', locale: null });
    expect(store.theme).toBe('light');
    expect(store.locale).toBe('en');
  });

  it("follows the OS colour scheme live while the theme is 'system', and only then", async () => {
    const store = usePreferencesStore();
    await store.init();
    expect(store.theme).toBe('light');
    osDark.switchTo(true);
    expect(store.theme).toBe('dark');

    bridge.emit('prefs:changed', { theme: 'light', locale: null });
    expect(store.theme).toBe('light');
    osDark.switchTo(false);
    osDark.switchTo(true);
    expect(store.theme).toBe('light');
  });

  it('follows the browser language live while no locale is chosen', async () => {
    language.language = 'zh-TW';
    const store = usePreferencesStore();
    await store.init();
    expect(store.locale).toBe('zh-CN');

    language.language = 'de-DE';
    page.dispatchEvent(new Event('languagechange'));
    expect(store.locale).toBe('en');

    bridge.emit('prefs:changed', { theme: 'system', locale: 'zh-CN' });
    page.dispatchEvent(new Event('languagechange'));
    expect(store.locale).toBe('zh-CN');
  });

  it('saves a change through prefs:set and applies what the host saved', async () => {
    const store = usePreferencesStore();
    await store.init();
    await expect(store.set({ theme: 'dark' })).resolves.toBe(true);
    expect(bridge.calls.at(-1)).toEqual({ channel: 'prefs:set', input: { theme: 'dark' } });
    expect(store.preferences).toEqual({ theme: 'dark', locale: null });
    expect(store.saving).toBe(false);
  });

  it('keeps the previous preferences and shows the host error when saving fails', async () => {
    bridge.fail('prefs:set', {
      kind: 'internal',
      message: "EACCES: permission denied, open '/home/u/.config/virtdeck/preferences.json'",
    });
    const store = usePreferencesStore();
    const notifications = useNotificationsStore();
    await store.init();

    await expect(store.set({ theme: 'dark' })).resolves.toBe(false);
    expect(store.preferences.theme).toBe('system');
    expect(store.lastError).toEqual({
      detail: "EACCES: permission denied, open '/home/u/.config/virtdeck/preferences.json'",
      kind: 'internal',
    });
    expect(notifications.items).toEqual([
      expect.objectContaining({
        severity: 'error',
        summary: { key: 'errors.prefsSave' },
        detail: "EACCES: permission denied, open '/home/u/.config/virtdeck/preferences.json'",
        kind: 'internal',
      }),
    ]);
  });

  it('reports a failed load and keeps following the system', async () => {
    bridge.fail('prefs:get', { kind: 'transport', message: 'Could not reach the web host' });
    osDark.matches = true;
    const store = usePreferencesStore();
    await store.init();
    expect(store.loaded).toBe(false);
    expect(store.theme).toBe('dark');
    expect(useNotificationsStore().current).toMatchObject({
      summary: { key: 'errors.prefsLoad' },
      detail: 'Could not reach the web host',
    });
  });

  it('lets an event that arrives during the initial load win over the older reply', async () => {
    let answer: (prefs: Preferences) => void = () => undefined;
    bridge.handle('prefs:get', () => new Promise<Preferences>((resolve) => (answer = resolve)));
    const store = usePreferencesStore();
    const loading = store.init();
    bridge.emit('prefs:changed', { theme: 'dark', locale: 'en' });
    answer({ theme: 'light', locale: null });
    await loading;
    expect(store.preferences).toEqual({ theme: 'dark', locale: 'en' });
  });

  it('stops listening to the host and the OS on dispose', async () => {
    const store = usePreferencesStore();
    await store.init();
    expect(bridge.listenerCount).toBe(1);
    store.dispose();
    expect(bridge.listenerCount).toBe(0);
    bridge.emit('prefs:changed', { theme: 'dark', locale: 'zh-CN' });
    osDark.switchTo(true);
    expect(store.preferences.theme).toBe('system');
    expect(store.theme).toBe('light');
  });
});
