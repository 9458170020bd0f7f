import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelName } from '../../../../shared/contract/channels';
import { channelNames } from '../../../../shared/contract/channels';
import { createHandlerRegistry, createHandlerTable } from '../../../../electron/handlers';
import { HandlerRegistry } from '../../../../electron/handlers/handler-registry';
import type {
  HandlerContext,
  HandlerTable,
  HandlerTablePart,
} from '../../../../electron/handlers/handler-registry';
import { LibvirtError } from '../../../../electron/libvirt/errors';
import { createServices } from '../../../../electron/services';
import type { Services } from '../../../../electron/services';
import { createRecordingLogger } from '../recording-logger';

const ctx: HandlerContext = { caller: 'test' };

describe('HandlerRegistry with the real app handlers', () => {
  let dir: string;
  let services: Services;
  let registry: HandlerRegistry;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-registry-'));
    services = await createServices({
      hostKind: 'web',
      configDir: dir,
      logger: createRecordingLogger(),
    });
    registry = createHandlerRegistry(services);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has a handler for every channel of the contract', () => {
    expect(Object.keys(createHandlerTable(services)).sort()).toEqual([...channelNames].sort());
  });

  it('answers a valid call with the handler result', async () => {
    const info = await registry.dispatch('app:info', {}, ctx);
    expect(info).toEqual({
      ok: true,
      value: expect.objectContaining({
        name: 'VirtDeck',
        hostKind: 'web',
        platform: process.platform,
      }),
    });
    const set = await registry.dispatch('prefs:set', { theme: 'dark' }, ctx);
    expect(set).toEqual({ ok: true, value: { theme: 'dark', locale: null } });
    const file = JSON.parse(await readFile(path.join(dir, 'preferences.json'), 'utf8'));
    expect(file).toEqual({ version: 1, preferences: { theme: 'dark', locale: null } });
  });

  it('refuses an unknown channel as a validation error', async () => {
    for (const channel of ['vm:explode', '__proto__', 'toString', 42, null]) {
      const result = await registry.dispatch(channel, {}, ctx);
      expect(result.ok, String(channel)).toBe(false);
      if (!result.ok) expect(result.error.kind).toBe('validation');
    }
    const named = await registry.dispatch('vm:explode', {}, ctx);
    expect(named).toEqual({
      ok: false,
      error: { kind: 'validation', message: 'Unknown channel "vm:explode"' },
    });
  });

  it('rejects invalid input with zod’s message and path, and writes nothing', async () => {
    const result = await registry.dispatch('prefs:set', { theme: 'purple' }, ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('validation');
    expect(result.error.path).toBe('theme');
    expect(result.error.message).toMatch(/^Invalid input for prefs:set: .*\(at theme\)$/);
    expect(result.error.message).toMatch(/"system"|system/);
    await expect(readFile(path.join(dir, 'preferences.json'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('rejects unknown keys (strict schemas), naming them', async () => {
    const result = await registry.dispatch('prefs:set', { theme: 'dark', admin: true }, ctx);
    expect(result).toMatchObject({ ok: false, error: { kind: 'validation' } });
    if (!result.ok) expect(result.error.message).toContain('admin');
  });
});

/** A table whose handlers count their calls and do what the test says. */
function recordingTable(behaviour: (channel: ChannelName, input: unknown) => Promise<unknown>) {
  const calls: Array<{ channel: ChannelName; input: unknown }> = [];
  const table = Object.fromEntries(
    channelNames.map((channel) => [
      channel,
      (input: unknown) => {
        calls.push({ channel, input });
        return behaviour(channel, input);
      },
    ]),
  ) as unknown as HandlerTable;
  return { table, calls };
}

describe('HandlerRegistry around handlers', () => {
  it('never calls the handler for invalid input', async () => {
    const { table, calls } = recordingTable(async () => ({}));
    const registry = new HandlerRegistry(table, createRecordingLogger());
    await registry.dispatch('prefs:set', { locale: 'fr' }, ctx);
    await registry.dispatch('prefs:set', 'not an object', ctx);
    await registry.dispatch('app:info', undefined, ctx);
    expect(calls).toEqual([]);
    await registry.dispatch('prefs:set', { locale: 'zh-CN' }, ctx);
    expect(calls).toEqual([{ channel: 'prefs:set', input: { locale: 'zh-CN' } }]);
  });

  it('keeps libvirt’s code, domain, codeName and message when a handler throws', async () => {
    const libvirtError = new LibvirtError({
      code: 42,
      domain: 10,
      level: 2,
      message: "Domain not found: no domain with matching name 'web01'",
      str1: null,
      str2: null,
      str3: null,
      int1: -1,
      int2: -1,
    });
    const { table } = recordingTable(async () => {
      throw new Error('Starting web01 failed', { cause: libvirtError });
    });
    const logger = createRecordingLogger();
    const registry = new HandlerRegistry(table, logger);
    expect(await registry.dispatch('app:info', {}, ctx)).toEqual({
      ok: false,
      error: {
        kind: 'libvirt',
        code: 42,
        domain: 10,
        codeName: 'VIR_ERR_NO_DOMAIN',
        message: "Domain not found: no domain with matching name 'web01'",
      },
    });
    // A daemon's answer is not our bug: nothing in the error log.
    expect(logger.lines).toEqual([]);
  });

  it('reports any other throw as internal with its real message, and logs it', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'uuid')");
    const { table } = recordingTable(async () => {
      throw bug;
    });
    const logger = createRecordingLogger();
    const registry = new HandlerRegistry(table, logger);
    expect(await registry.dispatch('prefs:get', {}, ctx)).toEqual({
      ok: false,
      error: { kind: 'internal', message: "Cannot read properties of undefined (reading 'uuid')" },
    });
    expect(logger.lines).toEqual([
      { level: 'error', message: 'prefs:get failed for test', err: bug },
    ]);
  });
});

describe('HandlerTable type', () => {
  it('rejects a missing or wrongly typed handler at compile time', () => {
    // These lines are checked by `tsc -p tsconfig.node.json`: each @ts-expect-error fails
    // the type check if the error it expects ever goes away.
    const info = async () => ({
      name: 'x',
      version: '1',
      hostKind: 'web' as const,
      platform: 'linux',
    });
    const prefs = async () => ({ theme: 'dark' as const, locale: null });
    // Checked on the app channels' part: the whole table grows with every area.
    type AppTable = HandlerTablePart<'app:info' | 'prefs:get' | 'prefs:set'>;
    const complete: AppTable = { 'app:info': info, 'prefs:get': prefs, 'prefs:set': prefs };
    // @ts-expect-error 'prefs:set' is missing
    const missing: AppTable = { 'app:info': info, 'prefs:get': prefs };
    const wrong: AppTable = {
      // @ts-expect-error 'app:info' must resolve to AppInfo, not a number
      'app:info': async () => 42,
      'prefs:get': prefs,
      'prefs:set': prefs,
    };
    expect([complete, missing, wrong]).toHaveLength(3);
  });
});
