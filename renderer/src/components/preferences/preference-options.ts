import {
  STATS_INTERVAL_MAX_MS,
  STATS_INTERVAL_MIN_MS,
  type EffectivePreferences,
} from '../../../../shared/contract';

/** Offered sampling intervals (seconds), within what the contract accepts. */
export const statsIntervalChoices = [1, 2, 3, 5, 10, 15, 30, 60].filter(
  (s) => s * 1000 >= STATS_INTERVAL_MIN_MS && s * 1000 <= STATS_INTERVAL_MAX_MS,
);

export const statsHistoryChoices = [1, 2, 6, 12, 24] as const;

/** The confirmations the dialog offers, in virt-manager's order. */
export const confirmationKeys = [
  'confirmForceOff',
  'confirmShutdown',
  'confirmReboot',
  'confirmReset',
  'confirmPause',
  'confirmSave',
  'confirmRemoveDevice',
  'confirmUnappliedChanges',
] as const satisfies readonly (keyof EffectivePreferences)[];

export type PreferencePatch = Partial<EffectivePreferences>;
