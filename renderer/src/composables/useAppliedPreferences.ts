import { storeToRefs } from 'pinia';
import { watchEffect } from 'vue';
import { useI18n } from 'vue-i18n';
import { useLocale, useTheme } from 'vuetify';
import { vuetifyLocaleFor } from '../plugins/vuetify';
import { usePreferencesStore } from '../stores/preferences';

/**
 * Carries the resolved theme and locale from the preferences store to Vuetify, vue-i18n and
 * the document (`<html lang>`, the window title). Call once, in the root component.
 */
export function useAppliedPreferences() {
  const { theme, locale } = storeToRefs(usePreferencesStore());
  const vuetifyTheme = useTheme();
  const vuetifyLocale = useLocale();
  const { t, locale: i18nLocale } = useI18n();

  watchEffect(() => {
    if (vuetifyTheme.global.name.value !== theme.value) void vuetifyTheme.change(theme.value);
  });
  watchEffect(() => {
    i18nLocale.value = locale.value;
    vuetifyLocale.current.value = vuetifyLocaleFor[locale.value];
    document.documentElement.lang = locale.value;
    document.title = t('app.name');
  });

  return { theme, locale };
}
