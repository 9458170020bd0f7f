import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SavedConnection } from '../../../shared/contract/connections';
import type { EventEnvelope } from '../../../shared/contract/events';
import type { Result } from '../../../shared/contract/errors';
import { createHandlerRegistry } from '../../../electron/handlers';
import type { HandlerRegistry } from '../../../electron/handlers/handler-registry';
import { createServices } from '../../../electron/services';
import type { Services } from '../../../electron/services';
import {
  resolveSavedAlias,
  savedAliasSource,
} from '../../../electron/connections/resolve-saved-alias';
import { resolveUri } from '../../../electron/libvirt/uri/resolve-uri';
import { createRecordingLogger } from '../electron/recording-logger';

const ctx = { caller: 'test' };

describe('connection channels (no network)', () => {
  let dir: string;
  let services: Services;
  let registry: HandlerRegistry;
  let events: EventEnvelope[];
  const file = () => path.join(dir, 'connections.json');
  const call = (channel: string, input: unknown) => registry.dispatch(channel, input, ctx);
  const value = <T>(result: Result<unknown>): T => {
    if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
    return result.value as T;
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-conn-handlers-'));
    services = await createServices({
      hostKind: 'web',
      configDir: dir,
      logger: createRecordingLogger(),
      connections: { firstLaunch: false, libvirtConfPath: path.join(dir, 'no-libvirt.conf') },
    });
    registry = createHandlerRegistry(services);
    events = [];
    services.events.subscribe((e) => events.push(e));
  });

  afterEach(async () => {
    await services.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds, lists, updates and deletes, saving each step and announcing it', async () => {
    const added = value<SavedConnection>(
      await call('connection:add', {
        alias: 'web01',
        uri: 'qemu+ssh://root@10.0.0.1/system',
        description: 'Rack 3',
        ssh: { useAgent: false, port: 2222 },
      }),
    );
    expect(added).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      alias: 'web01',
      uri: 'qemu+ssh://root@10.0.0.1/system',
      description: 'Rack 3',
      autoconnect: false,
      ssh: { useAgent: false, port: 2222 },
      origin: 'user',
    });
    expect(JSON.parse(await readFile(file(), 'utf8'))).toEqual({
      version: 1,
      connections: [added],
    });
    expect(value(await call('connection:list', {}))).toEqual({
      connections: [{ connection: added, state: { status: 'disconnected' }, prompt: null }],
      notices: [],
      secretsPersistent: false,
    });
    const updated = value<SavedConnection>(
      await call('connection:update', {
        id: added.id,
        patch: { alias: 'web-01', description: null, autoconnect: true, colour: '#aabbcc' },
      }),
    );
    expect(updated).toEqual({
      ...added,
      alias: 'web-01',
      autoconnect: true,
      colour: '#aabbcc',
      description: undefined,
    });
    expect(Object.keys(updated)).not.toContain('description');
    expect(value(await call('connection:delete', { id: added.id }))).toEqual({ id: added.id });
    expect(JSON.parse(await readFile(file(), 'utf8'))).toEqual({ version: 1, connections: [] });
    expect(events.filter((e) => e.name === 'connection:changed').map((e) => e.payload)).toEqual([
      { change: 'added', connection: added },
      { change: 'updated', connection: updated },
      { change: 'removed', connectionId: added.id },
    ]);
  });

  it('refuses bad input with a clear message and leaves the saved file untouched', async () => {
    const first = value<SavedConnection>(
      await call('connection:add', { alias: 'web01', uri: 'qemu:///system' }),
    );
    await call('connection:add', { alias: 'db', uri: 'test:///default' });
    const before = await readFile(file(), 'utf8');
    const cases: Array<[string, unknown, RegExp, string?]> = [
      ['connection:add', { alias: 'bad alias', uri: 'qemu:///system' }, /letters, digits/, 'alias'],
      ['connection:add', { alias: 'web01', uri: 'test:///default' }, /already used/, 'alias'],
      [
        'connection:add',
        { alias: 'x', uri: 'qemu://system' },
        /maybe you want qemu:\/\/\/system/,
        'uri',
      ],
      ['connection:add', { alias: 'x', uri: 'not a uri' }, /does not include a driver name/, 'uri'],
      [
        'connection:add',
        { alias: 'x', uri: 'qemu+carrierpigeon://h/system' },
        /transport 'carrierpigeon'.*not recognised/,
        'uri',
      ],
      [
        'connection:add',
        { alias: 'x', uri: 'qemu+ext:///system?command=/bin/sh' },
        /'ext' transport/,
        'uri',
      ],
      [
        'connection:add',
        { alias: 'x', uri: 'qemu+unix://host/system' },
        /unix socket and remote server/,
        'uri',
      ],
      ['connection:add', { alias: 'x', uri: 'qemu+ssh://h:99999/system' }, /invalid port/, 'uri'],
      [
        'connection:add',
        { alias: 'x', uri: 'qemu+ssh://h/system', ssh: { useAgent: true, proxyJump: 'a b' } },
        /ProxyJump/,
        'ssh.proxyJump',
      ],
      [
        'connection:add',
        { alias: 'x', uri: 'qemu+ssh://h/system', ssh: { useAgent: true, identityFile: 'id_rsa' } },
        /absolute path/,
        'ssh.identityFile',
      ],
      [
        'connection:add',
        { alias: 'x', uri: 'qemu:///system', password: 'hunter2' },
        /Unrecognized key/,
      ],
      ['connection:update', { id: first.id, patch: { alias: 'db' } }, /already used/, 'alias'],
      [
        'connection:update',
        { id: first.id, patch: { uri: 'xen' } },
        /does not include a driver name/,
        'uri',
      ],
      [
        'connection:update',
        { id: '0b7c1d9e-8a33-4c1e-9d7e-6f1d2e3a4b5c', patch: {} },
        /No saved connection/,
        'id',
      ],
      [
        'connection:delete',
        { id: '0b7c1d9e-8a33-4c1e-9d7e-6f1d2e3a4b5c' },
        /No saved connection/,
        'id',
      ],
      ['connection:connect', { id: 'nope' }, /Invalid/, 'id'],
      ['connection:details', { id: first.id }, /not connected/],
    ];
    for (const [channel, input, message, at] of cases) {
      const result = await call(channel, input);
      expect(result.ok, `${channel} ${JSON.stringify(input)}`).toBe(false);
      if (result.ok) continue;
      expect(result.error.kind).toBe('validation');
      expect(result.error.message).toMatch(message);
      if (at) expect(result.error.path).toBe(at);
    }
    expect(await readFile(file(), 'utf8')).toBe(before);
  });

  it('builds URIs from the form fields by libvirt’s rules', async () => {
    expect(
      value(
        await call('connection:buildUri', {
          hypervisor: 'qemu-system',
          transport: 'ssh',
          user: 'root',
          host: 'kvm1',
          port: 2222,
        }),
      ),
    ).toEqual({
      uri: 'qemu+ssh://root@kvm1:2222/system',
    });
    const bad = await call('connection:buildUri', { hypervisor: 'qemu-system', transport: 'ssh' });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'validation', path: 'host' } });
  });

  it('imports chosen candidates in one write, skipping duplicates with why', async () => {
    await writeFile(
      path.join(dir, 'no-libvirt.conf'),
      'uri_aliases = [ "hail=qemu+ssh://root@hail.example.com/system", "tst=test:///default" ]\n',
    );
    await call('connection:add', { alias: 'mine', uri: 'test:///default' });
    const found = value<{ candidates: Array<{ draft: unknown; duplicate: unknown }> }>(
      await call('connection:importCandidates', {}),
    );
    expect(found.candidates.map((c) => c.duplicate)).toEqual([
      null,
      { reason: 'uri', existingAlias: 'mine' },
    ]);
    const result = value<{ added: SavedConnection[]; skipped: unknown[] }>(
      await call('connection:import', { connections: found.candidates.map((c) => c.draft) }),
    );
    expect(result.added.map((c) => [c.alias, c.origin])).toEqual([['hail', 'libvirt-conf']]);
    expect(result.skipped).toEqual([
      { alias: 'tst', reason: 'the connection "mine" already has this URI' },
    ]);
    const saved = JSON.parse(await readFile(file(), 'utf8')) as { connections: SavedConnection[] };
    expect(saved.connections.map((c) => c.alias)).toEqual(['mine', 'hail']);
    // Importing the same again adds nothing and does not even rewrite the file.
    const before = await stat(file());
    const twice = value<{ added: SavedConnection[]; skipped: unknown[] }>(
      await call('connection:import', { connections: found.candidates.map((c) => c.draft) }),
    );
    expect(twice.added).toEqual([]);
    expect(twice.skipped).toHaveLength(2);
    expect((await stat(file())).mtimeMs).toBe(before.mtimeMs);
  });

  it('resolves saved aliases for vdctl after libvirt.conf’s, case-sensitively', async () => {
    const web = value<SavedConnection>(
      await call('connection:add', { alias: 'Web01', uri: 'test:///default' }),
    );
    expect(await resolveSavedAlias(dir, 'Web01')).toEqual(web);
    expect(await resolveSavedAlias(dir, 'web01')).toBeUndefined();
    expect(await resolveSavedAlias(dir, 'qemu:///system')).toBeUndefined();
    const resolved = await resolveUri('Web01', {
      config: null,
      extraAliases: savedAliasSource(dir),
    });
    expect(resolved).toMatchObject({ uri: 'test:///default', alias: 'Web01' });
    await writeFile(file(), '{ broken');
    await expect(resolveSavedAlias(dir, 'Web01')).rejects.toThrow(
      /saved connections are unusable: it is not valid JSON/,
    );
    // A URI never needs the file, so a broken one does not stand in its way.
    expect(await resolveSavedAlias(dir, 'qemu:///system')).toBeUndefined();
  });
});
