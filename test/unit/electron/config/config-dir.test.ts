import { describe, expect, it } from 'vitest';
import { resolveConfigDir } from '../../../../electron/config/config-dir';

describe('resolveConfigDir', () => {
  it('uses VIRTDECK_CONFIG_DIR before anything else', () => {
    const env = { VIRTDECK_CONFIG_DIR: '/srv/vd', XDG_CONFIG_HOME: '/x', APPDATA: 'C:\\A' };
    expect(resolveConfigDir({ env, platform: 'linux', homedir: '/home/u' })).toBe('/srv/vd');
    expect(resolveConfigDir({ env, platform: 'darwin', homedir: '/Users/u' })).toBe('/srv/vd');
  });

  it('makes a relative VIRTDECK_CONFIG_DIR absolute', () => {
    const dir = resolveConfigDir({
      env: { VIRTDECK_CONFIG_DIR: 'rel/dir' },
      platform: 'linux',
      homedir: '/home/u',
    });
    expect(dir).toBe(`${process.cwd()}/rel/dir`);
  });

  it('follows $XDG_CONFIG_HOME on Linux, else ~/.config', () => {
    expect(
      resolveConfigDir({ env: { XDG_CONFIG_HOME: '/cfg' }, platform: 'linux', homedir: '/home/u' }),
    ).toBe('/cfg/virtdeck');
    expect(resolveConfigDir({ env: {}, platform: 'linux', homedir: '/home/u' })).toBe(
      '/home/u/.config/virtdeck',
    );
    expect(resolveConfigDir({ env: {}, platform: 'freebsd', homedir: '/home/u' })).toBe(
      '/home/u/.config/virtdeck',
    );
  });

  it('ignores an empty or relative $XDG_CONFIG_HOME, as the XDG spec demands', () => {
    for (const XDG_CONFIG_HOME of ['', 'relative/cfg']) {
      expect(
        resolveConfigDir({ env: { XDG_CONFIG_HOME }, platform: 'linux', homedir: '/home/u' }),
      ).toBe('/home/u/.config/virtdeck');
    }
  });

  it('uses ~/Library/Application Support/VirtDeck on macOS', () => {
    expect(resolveConfigDir({ env: {}, platform: 'darwin', homedir: '/Users/u' })).toBe(
      '/Users/u/Library/Application Support/VirtDeck',
    );
  });

  it('uses %APPDATA%\\VirtDeck on Windows, with the usual fallback', () => {
    expect(
      resolveConfigDir({
        env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
        platform: 'win32',
        homedir: 'C:\\Users\\u',
      }),
    ).toBe('C:\\Users\\u\\AppData\\Roaming\\VirtDeck');
    expect(resolveConfigDir({ env: {}, platform: 'win32', homedir: 'C:\\Users\\u' })).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\VirtDeck',
    );
  });
});
