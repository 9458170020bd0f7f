import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SavedConnection } from '../../../shared/contract/connections';
import { ConnectionStore } from '../../../electron/connections/connection-store';
import { createRecordingLogger } from '../electron/recording-logger';

const fixedNow = () => new Date('2025-01-02T03:04:05.678Z');
const quarantined = 'connections.json.corrupt-2025-01-02T03-04-05-678Z';

const web01: SavedConnection = {
  id: '0b7c1d9e-8a33-4c1e-9d7e-6f1d2e3a4b5c',
  alias: 'web01',
  uri: 'qemu+ssh://root@10.0.0.1/system',
  autoconnect: true,
  ssh: { useAgent: true, port: 2222 },
  origin: 'user',
};

describe('ConnectionStore', () => {
  let dir: string;
  let file: string;
  let logger: ReturnType<typeof createRecordingLogger>;
  const create = () => new ConnectionStore({ configDir: dir, logger, now: fixedNow });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-conn-store-'));
    file = path.join(dir, 'connections.json');
    logger = createRecordingLogger();
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a missing file as a first launch and creates nothing', async () => {
    expect(await create().load()).toEqual({ fileExisted: false, notices: [] });
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes a versioned, private file atomically (no temp file left) and reads it back', async () => {
    const store = create();
    await store.update((current) => ({ next: [...current, web01], result: undefined }));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ version: 1, connections: [web01] });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['connections.json']);
    const again = create();
    expect(await again.load()).toEqual({ fileExisted: true, notices: [] });
    expect(again.list()).toEqual([web01]);
  });

  it('changes nothing, on disk or in memory, when a change throws', async () => {
    const store = create();
    await store.update(() => ({ next: [web01], result: undefined }));
    const before = await readFile(file, 'utf8');
    await expect(
      store.update(() => {
        throw new Error('duplicate alias');
      }),
    ).rejects.toThrow('duplicate alias');
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(store.list()).toEqual([web01]);
  });

  it('serialises concurrent changes so none is lost', async () => {
    const store = create();
    const ids = ['1', '2', '3', '4', '5'].map((n) => `0b7c1d9e-8a33-4c1e-9d7e-6f1d2e3a4b5${n}`);
    await Promise.all(
      ids.map((id, i) =>
        store.update((current) => ({
          next: [...current, { ...web01, id, alias: `host${i}` }],
          result: undefined,
        })),
      ),
    );
    const saved = JSON.parse(await readFile(file, 'utf8')) as { connections: SavedConnection[] };
    expect(saved.connections.map((c) => c.alias)).toEqual([
      'host0',
      'host1',
      'host2',
      'host3',
      'host4',
    ]);
  });

  it.each([
    ['not JSON', '{ "version": 1, "connections": [', /not valid JSON/],
    [
      'an unknown version',
      '{ "version": 7, "connections": [] }',
      /has version 7, and this VirtDeck understands version 1/,
    ],
    ['no version', '{ "connections": [] }', /no numeric "version"/],
    ['a bad entry', '{ "version": 1, "connections": [{ "alias": "x" }] }', /content is invalid/],
    [
      'a duplicate alias',
      JSON.stringify({
        version: 1,
        connections: [web01, { ...web01, id: '1b7c1d9e-8a33-4c1e-9d7e-6f1d2e3a4b5c' }],
      }),
      /alias "web01" is used twice/,
    ],
  ])(
    'moves a file with %s aside, keeps it byte for byte, and says so',
    async (_what, text, why) => {
      await writeFile(file, text);
      const store = create();
      const load = await store.load();
      expect(load.fileExisted).toBe(true);
      expect(load.notices).toHaveLength(1);
      const notice = load.notices[0];
      expect(notice?.kind).toBe('store-moved-aside');
      expect(notice?.message).toMatch(why);
      expect(notice?.movedTo).toBe(path.join(dir, quarantined));
      expect(await readFile(path.join(dir, quarantined), 'utf8')).toBe(text);
      expect(store.list()).toEqual([]);
      // Saving afterwards writes a fresh file and leaves the kept one alone.
      await store.update(() => ({ next: [web01], result: undefined }));
      expect(await readFile(path.join(dir, quarantined), 'utf8')).toBe(text);
      expect(logger.lines.some((l) => l.level === 'warn' && l.message.includes(quarantined))).toBe(
        true,
      );
    },
  );
});
