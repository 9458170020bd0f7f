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

export const consoleScalingChoices = ['never', 'fullscreen', 'always'] as const;
export const storageFormatChoices = ['qcow2', 'raw'] as const;
export const firmwareChoices = ['bios', 'uefi'] as const;
export const graphicsChoices = ['vnc', 'spice'] as const;
export type ConsoleScalingChoice = (typeof consoleScalingChoices)[number];
export type StorageFormatChoice = (typeof storageFormatChoices)[number];
export type FirmwareChoice = (typeof firmwareChoices)[number];
export type GraphicsChoice = (typeof graphicsChoices)[number];

export const STATS_INTERVAL_MIN_MS = 1000;
export const STATS_INTERVAL_MAX_MS = 60_000;
export const STATS_HISTORY_HOURS_MIN = 1;
export const STATS_HISTORY_HOURS_MAX = 24;

/**
 * The user's preferences. `theme` and `locale` are always there; every later field is
 * optional and an absent one means its default (`preferenceDefaults`), so files written
 * before a field existed keep loading and nothing has to be migrated. Read the values in
 * force through `effectivePreferences()`.
 */
export const preferencesSchema = z
  .object({
    theme: z.enum(themeChoices),
    /** null follows the OS / browser language. */
    locale: z.enum(localeChoices).nullable(),
    /** Statistics sampling interval (applied live). */
    statsIntervalMs: z
      .number()
      .int()
      .min(STATS_INTERVAL_MIN_MS)
      .max(STATS_INTERVAL_MAX_MS)
      .optional(),
    /** Which statistics the list samples beyond CPU (a VM's graphs always get all of them). */
    statsMemory: z.boolean().optional(),
    statsDisk: z.boolean().optional(),
    statsNetwork: z.boolean().optional(),
    /** How far back graphs reach: the last hour is kept at full resolution, older as minutes. */
    statsHistoryHours: z
      .number()
      .int()
      .min(STATS_HISTORY_HOURS_MIN)
      .max(STATS_HISTORY_HOURS_MAX)
      .optional(),
    /** Ask before each destructive action. */
    confirmShutdown: z.boolean().optional(),
    confirmReboot: z.boolean().optional(),
    confirmForceOff: z.boolean().optional(),
    confirmReset: z.boolean().optional(),
    confirmPause: z.boolean().optional(),
    confirmSave: z.boolean().optional(),
    confirmDelete: z.boolean().optional(),
    confirmRemoveDevice: z.boolean().optional(),
    confirmUnappliedChanges: z.boolean().optional(),
    /** Scale the console to the window: never, only in full screen, or always. */
    consoleScaling: z.enum(consoleScalingChoices).optional(),
    /** Ask the guest to match the window size (SPICE agent / VNC desktop resize). */
    consoleResizeGuest: z.boolean().optional(),
    /** What the new-VM wizard starts with. */
    newVmStorageFormat: z.enum(storageFormatChoices).optional(),
    newVmFirmware: z.enum(firmwareChoices).optional(),
    newVmGraphics: z.enum(graphicsChoices).optional(),
  })
  .strict();

export type Preferences = z.infer<typeof preferencesSchema>;
/** Every preference with the value in force. */
export type EffectivePreferences = Required<Preferences>;

export const defaultPreferences: Preferences = { theme: 'system', locale: null };

/** The value of every preference the user has not set (virt-manager's defaults where it has one). */
export const preferenceDefaults: EffectivePreferences = {
  theme: defaultPreferences.theme,
  locale: defaultPreferences.locale,
  statsIntervalMs: 2000,
  statsMemory: true,
  statsDisk: true,
  statsNetwork: true,
  statsHistoryHours: 24,
  confirmShutdown: true,
  confirmReboot: true,
  confirmForceOff: true,
  confirmReset: true,
  confirmPause: false,
  confirmSave: false,
  confirmDelete: true,
  confirmRemoveDevice: true,
  confirmUnappliedChanges: true,
  consoleScaling: 'fullscreen',
  consoleResizeGuest: false,
  newVmStorageFormat: 'qcow2',
  newVmFirmware: 'uefi',
  newVmGraphics: 'vnc',
};

/** The preferences with every absent field at its default. */
export function effectivePreferences(preferences: Preferences): EffectivePreferences {
  const effective: Record<string, unknown> = { ...preferenceDefaults };
  for (const [key, value] of Object.entries(preferences)) {
    if (value !== undefined) effective[key] = value;
  }
  return effective as EffectivePreferences;
}

export const appChannels = {
  'app:info': channel<AppInfo>()(z.object({}).strict()),
  'prefs:get': channel<Preferences>()(z.object({}).strict()),
  'prefs:set': channel<Preferences>()(preferencesSchema.partial().strict()),
};
