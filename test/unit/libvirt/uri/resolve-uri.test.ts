import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigFileError, InvalidUriError } from '../../../../electron/libvirt/errors';
import type { LibvirtClientConfig } from '../../../../electron/libvirt/uri/libvirt-conf';
import { findUriAlias, resolveUri } from '../../../../electron/libvirt/uri/resolve-uri';

const dir = mkdtempSync(join(tmpdir(), 'virtdeck-resolve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = (over: Partial<LibvirtClientConfig> = {}): LibvirtClientConfig => ({
  file: '/etc/libvirt/libvirt.conf',
  uriDefault: null,
  uriAliases: [],
  remoteMode: null,
  remoteProxy: null,
  ...over,
});

describe('findUriAlias', () => {
  const aliases = ['hail=qemu+ssh://root@hail/system', 'sleet_2-b=qemu:///session'];

  it('matches the whole name exactly and case-sensitively, first match wins', () => {
    expect(findUriAlias(aliases, 'hail', 'f')).toBe('qemu+ssh://root@hail/system');
    expect(findUriAlias(aliases, 'sleet_2-b', 'f')).toBe('qemu:///session');
    expect(findUriAlias(aliases, 'Hail', 'f')).toBeUndefined();
    expect(findUriAlias(aliases, 'hai', 'f')).toBeUndefined();
    expect(findUriAlias(aliases, 'qemu:///system', 'f')).toBeUndefined();
    expect(findUriAlias(['a=1', 'a=2'], 'a', 'f')).toBe('1');
  });

  it('fails on a malformed entry met before a match, like libvirt', () => {
    expect(() => findUriAlias(['noequals'], 'x', 'f')).toThrow(
      "f: Malformed 'uri_aliases' config entry 'noequals', expected 'alias=uri://host/path'",
    );
    expect(() => findUriAlias(['bad.name=qemu:///system'], 'x', 'f')).toThrow(
      "Malformed 'uri_aliases' config entry 'bad.name=qemu:///system', aliases may only contain 'a-Z, 0-9, _, -'",
    );
    expect(() => findUriAlias(['ok=qemu:///system', 'bad name=x'], 'ok', 'f')).not.toThrow();
    expect(() => findUriAlias(['bad name=x', 'ok=qemu:///system'], 'ok', 'f')).toThrow(
      ConfigFileError,
    );
  });
});

describe('resolveUri', () => {
  it('uses the explicit URI first', async () => {
    const r = await resolveUri('test:///default', {
      config: config({ uriDefault: 'qemu:///system' }),
      env: { LIBVIRT_DEFAULT_URI: 'qemu:///session' },
    });
    expect(r).toMatchObject({ uri: 'test:///default', source: 'explicit', alias: null });
  });

  it('falls back to LIBVIRT_DEFAULT_URI, then uri_default; empty means unset', async () => {
    const cfg = config({ uriDefault: 'qemu:///system' });
    expect(
      await resolveUri('', { config: cfg, env: { LIBVIRT_DEFAULT_URI: 'test:///default' } }),
    ).toMatchObject({
      uri: 'test:///default',
      source: 'env',
    });
    expect(await resolveUri(null, { config: cfg, env: { LIBVIRT_DEFAULT_URI: '' } })).toMatchObject(
      {
        uri: 'qemu:///system',
        source: 'config',
      },
    );
  });

  it('applies aliases last, also to LIBVIRT_DEFAULT_URI and uri_default', async () => {
    const cfg = config({ uriAliases: ['hail=qemu+ssh://root@hail/system'], uriDefault: 'hail' });
    expect(await resolveUri('hail', { config: cfg, env: {} })).toMatchObject({
      uri: 'qemu+ssh://root@hail/system',
      alias: 'hail',
    });
    expect(
      await resolveUri(undefined, { config: cfg, env: { LIBVIRT_DEFAULT_URI: 'hail' } }),
    ).toMatchObject({
      uri: 'qemu+ssh://root@hail/system',
      source: 'env',
      alias: 'hail',
    });
    expect(await resolveUri(undefined, { config: cfg, env: {} })).toMatchObject({
      uri: 'qemu+ssh://root@hail/system',
      source: 'config',
    });
    expect(await resolveUri('hail', { config: cfg, env: {}, noAliases: true })).toMatchObject({
      uri: 'hail',
    });
  });

  it('consults the extra alias source after libvirt.conf', async () => {
    const cfg = config({ uriAliases: ['web=qemu+ssh://web/system'] });
    const saved = async (name: string) =>
      ({ web: 'qemu+tls://other/system', db: 'qemu+ssh://db/system' })[name];
    expect((await resolveUri('web', { config: cfg, env: {}, extraAliases: saved })).uri).toBe(
      'qemu+ssh://web/system',
    );
    expect((await resolveUri('db', { config: cfg, env: {}, extraAliases: saved })).uri).toBe(
      'qemu+ssh://db/system',
    );
    expect((await resolveUri('db', { config: null, env: {}, extraAliases: saved })).uri).toBe(
      'qemu+ssh://db/system',
    );
  });

  it('rewrites the legacy xen names', async () => {
    expect((await resolveUri('xen', { config: null, env: {} })).uri).toBe('xen:///system');
    expect((await resolveUri('xen://', { config: null, env: {} })).uri).toBe('xen:///system');
  });

  it('says clearly when there is nothing to open', async () => {
    await expect(resolveUri(null, { config: null, env: {} })).rejects.toThrow(InvalidUriError);
    await expect(resolveUri(null, { config: null, env: {} })).rejects.toThrow(
      /No connection URI given/,
    );
  });

  it('reads the config file from the given path, and a broken file fails the lookup', async () => {
    const path = join(dir, 'libvirt.conf');
    writeFileSync(path, 'uri_aliases = [ "lab=test:///default" ]\n');
    expect((await resolveUri('lab', { configPath: path, env: {} })).uri).toBe('test:///default');
    writeFileSync(path, 'uri_aliases = [ "lab" ]\n');
    await expect(resolveUri('qemu:///system', { configPath: path, env: {} })).rejects.toThrow(
      /Malformed 'uri_aliases' config entry 'lab'/,
    );
    writeFileSync(path, 'uri_aliases = [ "lab=test:///default" \n');
    await expect(resolveUri('lab', { configPath: path, env: {} })).rejects.toThrow(
      /:2: list is not closed/,
    );
  });
});
