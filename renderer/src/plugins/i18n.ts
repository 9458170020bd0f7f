import { createI18n } from 'vue-i18n';
import type { LocaleChoice } from '../../../shared/contract';
import en from '../locales/en.json';
import zhCN from '../locales/zh-CN.json';
import type { MessageSchema } from '../locales/message-key';

// The preferences store picks the locale once it knows the user's choice; see App.vue.
export const i18n = createI18n<[MessageSchema], LocaleChoice, false>({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
  // Both catalogs are complete (a unit test checks it); a miss is a bug worth a warning.
  missingWarn: true,
  fallbackWarn: false,
});
