import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigFileError } from '../../../../electron/libvirt/errors';
import {
  libvirtConfPath,
  loadLibvirtClientConfig,
  parseVirConf,
  readLibvirtClientConfig,
} from '../../../../electron/libvirt/uri/libvirt-conf';

const dir = mkdtempSync(join(tmpdir(), 'virtdeck-conf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseVirConf', () => {
  it('reads libvirt.conf as shipped, with comments, lists and strings', () => {
    const conf = parseVirConf(
      [
        '#',
        '# This can be used to setup URI aliases for frequently',
        '# used connection URIs.',
        'uri_aliases = [',
        '  "hail=qemu+ssh://root@hail.cloud.example.com/system",',
        "  'sleet=qemu+ssh://root@sleet.cloud.example.com/system',",
        ']',
        '',
        'uri_default = "qemu:///system"   # trailing comment',
        'remote_mode = "legacy"; remote_proxy = "netcat"',
        'number = -42',
        'unsigned = +7',
        'empty_list = [ ]',
        'nested = [ "a", [ 1, 2 ], ]',
        'multi = """line one',
        'line "two""" ',
        '',
      ].join('\n'),
      'libvirt.conf',
    );
    expect(conf.get('uri_aliases')).toEqual({
      type: 'list',
      items: [
        { type: 'string', value: 'hail=qemu+ssh://root@hail.cloud.example.com/system' },
        { type: 'string', value: 'sleet=qemu+ssh://root@sleet.cloud.example.com/system' },
      ],
    });
    expect(conf.get('number')).toEqual({ type: 'number', value: -42n });
    expect(conf.get('unsigned')).toEqual({ type: 'number', value: 7n });
    expect(conf.get('empty_list')).toEqual({ type: 'list', items: [] });
    expect(conf.get('multi')).toEqual({ type: 'string', value: 'line one\nline "two' });
    expect(readLibvirtClientConfig(conf)).toEqual({
      file: 'libvirt.conf',
      uriDefault: 'qemu:///system',
      uriAliases: [
        'hail=qemu+ssh://root@hail.cloud.example.com/system',
        'sleet=qemu+ssh://root@sleet.cloud.example.com/system',
      ],
      remoteMode: 'legacy',
      remoteProxy: 'netcat',
    });
  });

  it('takes the first of repeated keys, as virConfGetValue does', () => {
    expect(parseVirConf('a = "1"\na = "2"\n', 'f').getString('a')).toBe('1');
  });

  it.each([
    ['uri_default = qemu:///system', 1, 'expecting a value'],
    ['uri_default "x"', 1, 'expecting an assignment'],
    ['\n\n9x = 1', 3, 'expecting a name'],
    ['a = "unterminated\n', 1, 'unterminated string'],
    ["a = 'x", 1, 'unterminated string'],
    ['a = [ "x" "y" ]', 1, 'expecting a separator in list'],
    ['a = [ "x",\n  "y"', 2, 'list is not closed with ]'],
    ['a = [ "x", # comment\n ]', 1, 'expecting a value'],
    ['a = -', 1, 'unterminated number'],
    ['a = "x" b = "y"', 1, 'expecting a separator'],
    ['a = """never closed\nmore', 1, 'unterminated string'],
  ])('rejects %j at line %i: %s', (text, line, info) => {
    let err: unknown;
    try {
      parseVirConf(text, '/etc/libvirt/libvirt.conf');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigFileError);
    expect(err).toMatchObject({ line, message: `/etc/libvirt/libvirt.conf:${line}: ${info}` });
  });

  it('type-checks the keys libvirt reads', () => {
    expect(() => readLibvirtClientConfig(parseVirConf('uri_default = 5', 'c.conf'))).toThrow(
      "c.conf: expected a string for 'uri_default' parameter",
    );
    expect(() => readLibvirtClientConfig(parseVirConf('uri_aliases = "a=b"', 'c.conf'))).toThrow(
      "c.conf: expected a string list for 'uri_aliases' parameter",
    );
    expect(() =>
      readLibvirtClientConfig(parseVirConf('uri_aliases = [ "a=b", 3 ]', 'c.conf')),
    ).toThrow("expected a string list for 'uri_aliases' parameter");
  });
});

describe('loadLibvirtClientConfig / libvirtConfPath', () => {
  it('returns null for a missing file and reads an existing one', async () => {
    expect(await loadLibvirtClientConfig(join(dir, 'absent.conf'))).toBeNull();
    const path = join(dir, 'libvirt.conf');
    writeFileSync(path, 'uri_default = "test:///default"\n');
    expect(await loadLibvirtClientConfig(path)).toMatchObject({
      file: path,
      uriDefault: 'test:///default',
    });
  });

  it('reports an unreadable path clearly', async () => {
    await expect(loadLibvirtClientConfig(dir)).rejects.toThrow(/cannot read: /);
  });

  it('uses /etc for root and $XDG_CONFIG_HOME (or ~/.config) otherwise', () => {
    expect(libvirtConfPath({ euid: 0, env: { XDG_CONFIG_HOME: '/x' } })).toBe(
      '/etc/libvirt/libvirt.conf',
    );
    expect(libvirtConfPath({ euid: 1000, env: { XDG_CONFIG_HOME: '/x' } })).toBe(
      '/x/libvirt/libvirt.conf',
    );
    expect(libvirtConfPath({ euid: 1000, env: {}, home: '/home/u' })).toBe(
      '/home/u/.config/libvirt/libvirt.conf',
    );
  });
});
