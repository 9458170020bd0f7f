import { open, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../../shared/contract/events';
import { EventHub } from '../../../../electron/services/event-hub';
import { PreferencesService } from '../../../../electron/services/preferences-service';
import { createRecordingLogger } from '../recording-logger';

const fixedNow = () => new Date('2025-01-02T03:04:05.678Z');
const quarantined = 'preferences.json.corrupt-2025-01-02T03-04-05-678Z';

describe('PreferencesService', () => {
  let dir: string;
  let file: string;
  let logger: ReturnType<typeof createRecordingLogger>;
  let events: EventEnvelope[];

  const create = (configDir = dir) => {
    const hub = new EventHub(logger);
    hub.subscribe((event) => events.push(event));
    return new PreferencesService({ configDir, events: hub, logger, now: fixedNow });
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-prefs-'));
    file = path.join(dir, 'preferences.json');
    logger = createRecordingLogger();
    events = [];
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts from the defaults without creating a file', async () => {
    expect(await create().get()).toEqual({ theme: 'system', locale: null });
    expect(await readdir(dir)).toEqual([]);
    expect(logger.lines).toEqual([]);
  });

  it('writes a versioned, private file, emits the change and reads it back', async () => {
    const service = create();
    expect(await service.set({ theme: 'dark' })).toEqual({ theme: 'dark', locale: null });
    expect(await service.set({ locale: 'zh-CN' })).toEqual({ theme: 'dark', locale: 'zh-CN' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      version: 1,
      preferences: { theme: 'dark', locale: 'zh-CN' },
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(events).toEqual([
      { name: 'prefs:changed', payload: { theme: 'dark', locale: null } },
      { name: 'prefs:changed', payload: { theme: 'dark', locale: 'zh-CN' } },
    ]);
    expect(await create().get()).toEqual({ theme: 'dark', locale: 'zh-CN' });
  });

  it('neither writes nor emits when nothing changes', async () => {
    const service = create();
    await service.set({ theme: 'system', locale: null });
    expect(await readdir(dir)).toEqual([]);
    expect(events).toEqual([]);
  });

  it('replaces the file atomically: an open reader keeps the whole old content', async () => {
    const service = create();
    await service.set({ theme: 'light' });
    const before = await readFile(file, 'utf8');
    const inodeBefore = (await stat(file)).ino;
    const reader = await open(file, 'r');
    try {
      await service.set({ theme: 'dark' });
      // An in-place rewrite would show the reader the new (or a truncated) text; a rename
      // leaves it the complete old file under a new directory entry.
      expect(await reader.readFile('utf8')).toBe(before);
    } finally {
      await reader.close();
    }
    expect((await stat(file)).ino).not.toBe(inodeBefore);
    expect(JSON.parse(await readFile(file, 'utf8')).preferences.theme).toBe('dark');
    // No temp files left behind.
    expect(await readdir(dir)).toEqual(['preferences.json']);
  });

  it('keeps the last of many concurrent changes, with a valid file throughout', async () => {
    const service = create();
    const themes = ['dark', 'light', 'system', 'dark', 'light'] as const;
    await Promise.all(themes.map((theme) => service.set({ theme })));
    expect(await service.get()).toEqual({ theme: 'light', locale: null });
    expect(JSON.parse(await readFile(file, 'utf8')).preferences.theme).toBe('light');
    expect(await readdir(dir)).toEqual(['preferences.json']);
  });

  it('moves a corrupt file aside, says so, and uses the defaults', async () => {
    await writeFile(file, '{"version": 1, "preferences": {"theme": "dark"');
    const service = create();
    expect(await service.get()).toEqual({ theme: 'system', locale: null });
    expect((await readdir(dir)).sort()).toEqual([quarantined]);
    expect(await readFile(path.join(dir, quarantined), 'utf8')).toBe(
      '{"version": 1, "preferences": {"theme": "dark"',
    );
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({ level: 'warn' });
    expect(logger.lines[0]!.message).toContain('not valid JSON');
    expect(logger.lines[0]!.message).toContain(quarantined);
    // The next change writes a fresh file; the quarantined one stays.
    await service.set({ theme: 'light' });
    expect((await readdir(dir)).sort()).toEqual(['preferences.json', quarantined]);
  });

  it('moves aside a file with values the schema refuses', async () => {
    await writeFile(
      file,
      JSON.stringify({ version: 1, preferences: { theme: 'neon', locale: null } }),
    );
    expect(await create().get()).toEqual({ theme: 'system', locale: null });
    expect(await readdir(dir)).toEqual([quarantined]);
    expect(logger.lines[0]!.message).toMatch(/content is invalid.*theme/s);
  });

  it('moves aside a file of an unknown version instead of overwriting it', async () => {
    const newer = JSON.stringify({ version: 2, preferences: { theme: 'dark', accent: 'teal' } });
    await writeFile(file, newer);
    const service = create();
    expect(await service.get()).toEqual({ theme: 'system', locale: null });
    expect(await readFile(path.join(dir, quarantined), 'utf8')).toBe(newer);
    expect(logger.lines[0]!.message).toContain('version 2');
    expect(logger.lines[0]!.message).toContain('understands version 1');
  });

  it('treats JSON without a version as not ours', async () => {
    await writeFile(file, '["dark"]');
    expect(await create().get()).toEqual({ theme: 'system', locale: null });
    expect(logger.lines[0]!.message).toContain('no numeric "version"');
  });

  it('picks a new quarantine name rather than overwrite an earlier one', async () => {
    await writeFile(path.join(dir, quarantined), 'earlier');
    await writeFile(file, 'garbage');
    await create().load();
    expect(await readFile(path.join(dir, quarantined), 'utf8')).toBe('earlier');
    expect(await readFile(path.join(dir, `${quarantined}-1`), 'utf8')).toBe('garbage');
  });

  it('changes nothing when the write fails, and reports the real error', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    await writeFile(blocker, 'x');
    const service = create(path.join(blocker, 'config'));
    await expect(service.set({ theme: 'dark' })).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(await service.get()).toEqual({ theme: 'system', locale: null });
    expect(events).toEqual([]);
    // Later changes still run (the queue is not stuck on the failure).
    await expect(service.set({ theme: 'light' })).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
