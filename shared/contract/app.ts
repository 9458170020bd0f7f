import { z } from 'zod';
import { channel } from './channel';

export type HostKind = 'electron' | 'web';

export interface AppInfo {
  name: string;
  version: string;
  hostKind: HostKind;
  platform: string;
}

export const themeChoices = ['system', 'light', 'dark'] as const;
export const localeChoices = ['en', 'zh-CN'] as const;
export type ThemeChoice = (typeof themeChoices)[number];
export type LocaleChoice = (typeof localeChoices)[number];

export const preferencesSchema = z
  .object({
    theme: z.enum(themeChoices),
    /** null follows the OS / browser language. */
    locale: z.enum(localeChoices).nullable(),
  })
  .strict();

export type Preferences = z.infer<typeof preferencesSchema>;

export const defaultPreferences: Preferences = { theme: 'system', locale: null };

export const appChannels = {
  'app:info': channel<AppInfo>()(z.object({}).strict()),
  'prefs:get': channel<Preferences>()(z.object({}).strict()),
  'prefs:set': channel<Preferences>()(preferencesSchema.partial().strict()),
};
