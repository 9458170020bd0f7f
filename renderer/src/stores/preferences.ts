import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import {
  defaultPreferences,
  effectivePreferences,
  type EffectivePreferences,
  type LocaleChoice,
  type Preferences,
} from '../../../shared/contract';
import { call, onEvent } from '../api/client';
import { describeError, useNotificationsStore, type ErrorDetail } from './notifications';
import { systemSettings } from './system-settings';

export type ResolvedTheme = 'light' | 'dark';

/** The catalog for a browser/OS language tag: any Chinese variant gets zh-CN, the rest English. */
export function localeForLanguage(language: string): LocaleChoice {
  return language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export const usePreferencesStore = defineStore('preferences', () => {
  const notifications = useNotificationsStore();

  const preferences = ref<Preferences>({ ...defaultPreferences });
  const loaded = ref(false);
  const saving = ref(false);
  const lastError = ref<ErrorDetail | null>(null);
  const systemPrefersDark = ref(systemSettings.prefersDark());
  const systemLanguage = ref(systemSettings.language());

  const theme = computed<ResolvedTheme>(() => {
    const choice = preferences.value.theme;
    if (choice !== 'system') return choice;
    return systemPrefersDark.value ? 'dark' : 'light';
  });
  /** Every preference with the value in force (defaults for the ones never set). */
  const effective = computed<EffectivePreferences>(() => effectivePreferences(preferences.value));
  const locale = computed<LocaleChoice>(
    () => preferences.value.locale ?? localeForLanguage(systemLanguage.value),
  );

  // Counts applied prefs:changed events. A reply to a request sent before the latest event
  // may describe older state (the host answers and broadcasts independently), so it is
  // dropped in favour of the event.
  let eventsApplied = 0;
  let disposers: Array<() => void> = [];

  function apply(next: Preferences): void {
    // Absent fields mean "default" and stay absent; `effective` fills them in.
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(next)) if (value !== undefined) copy[key] = value;
    preferences.value = copy as Preferences;
  }

  async function init(): Promise<void> {
    dispose();
    disposers = [
      onEvent('prefs:changed', (next) => {
        eventsApplied++;
        apply(next);
        loaded.value = true;
      }),
      systemSettings.onPrefersDarkChange((dark) => (systemPrefersDark.value = dark)),
      systemSettings.onLanguageChange((language) => (systemLanguage.value = language)),
    ];
    const seen = eventsApplied;
    try {
      const current = await call('prefs:get', {});
      if (eventsApplied === seen) apply(current);
      loaded.value = true;
      lastError.value = null;
    } catch (error) {
      lastError.value = describeError(error);
      notifications.reportError('errors.prefsLoad', error);
    }
  }

  /** Saves a change; on failure the previous preferences stay and the error is shown. */
  async function set(patch: Partial<Preferences>): Promise<boolean> {
    const seen = eventsApplied;
    saving.value = true;
    try {
      const saved = await call('prefs:set', patch);
      if (eventsApplied === seen) apply(saved);
      lastError.value = null;
      return true;
    } catch (error) {
      lastError.value = describeError(error);
      notifications.reportError('errors.prefsSave', error);
      return false;
    } finally {
      saving.value = false;
    }
  }

  function dispose(): void {
    for (const stop of disposers) stop();
    disposers = [];
  }

  return {
    preferences,
    loaded,
    saving,
    lastError,
    systemPrefersDark,
    systemLanguage,
    theme,
    locale,
    effective,
    init,
    set,
    dispose,
  };
});
