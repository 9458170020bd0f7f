import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  effectivePreferences,
  preferenceDefaults,
  type Preferences,
} from '../../../shared/contract/app';
import { contract } from '../../../shared/contract/channels';
import { EventHub } from '../../../electron/services/event-hub';
import { PreferencesService } from '../../../electron/services/preferences-service';
import { createRecordingLogger } from '../electron/recording-logger';

describe('statistics, confirmation, console and new-VM preferences', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vd-stats-prefs-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const service = () =>
    new PreferencesService({
      configDir: dir,
      events: new EventHub(createRecordingLogger()),
      logger: createRecordingLogger(),
    });

  it("has virt-manager-like defaults: 2 s interval, a day of history, confirmations for what can't be undone", () => {
    expect(effectivePreferences({ theme: 'system', locale: null })).toEqual(preferenceDefaults);
    expect(preferenceDefaults).toMatchObject({
      statsIntervalMs: 2000,
      statsHistoryHours: 24,
      confirmForceOff: true,
      confirmDelete: true,
      confirmPause: false,
      newVmStorageFormat: 'qcow2',
    });
  });

  it('loads a file written before these fields existed, with defaults in force', async () => {
    await writeFile(
      path.join(dir, 'preferences.json'),
      JSON.stringify({ version: 1, preferences: { theme: 'dark', locale: 'zh-CN' } }),
    );
    const prefs = await service().get();
    expect(prefs).toEqual({ theme: 'dark', locale: 'zh-CN' });
    expect(effectivePreferences(prefs)).toEqual({
      ...preferenceDefaults,
      theme: 'dark',
      locale: 'zh-CN',
    });
  });

  it('changes one field without resetting the others, and keeps it across a restart', async () => {
    const prefs = service();
    await prefs.set({ statsIntervalMs: 5000, confirmReset: false });
    const patch = contract['prefs:set'].input.parse({
      newVmGraphics: 'spice',
    }) as Partial<Preferences>;
    // The patch schema must not fill in defaults: only the sent field may change.
    expect(patch).toEqual({ newVmGraphics: 'spice' });
    await prefs.set(patch);
    const reread = await service().get();
    expect(effectivePreferences(reread)).toMatchObject({
      statsIntervalMs: 5000,
      confirmReset: false,
      newVmGraphics: 'spice',
      theme: 'system',
    });
    expect(
      JSON.parse(await readFile(path.join(dir, 'preferences.json'), 'utf8')).preferences,
    ).toEqual({
      theme: 'system',
      locale: null,
      statsIntervalMs: 5000,
      confirmReset: false,
      newVmGraphics: 'spice',
    });
  });

  it('refuses an interval under 1 s or above 60 s, and unknown choices', () => {
    const schema = contract['prefs:set'].input;
    for (const bad of [
      { statsIntervalMs: 999 },
      { statsIntervalMs: 60_001 },
      { statsIntervalMs: 1500.5 },
      { statsHistoryHours: 0 },
      { statsHistoryHours: 25 },
      { consoleScaling: 'sometimes' },
      { newVmFirmware: 'coreboot' },
      { confirmDelete: 'yes' },
    ]) {
      expect(schema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(schema.safeParse({ statsIntervalMs: 1000 }).success).toBe(true);
  });
});
