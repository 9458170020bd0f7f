import { describe, expect, it } from 'vitest';
import { buildViewerFile, viewerFileName } from '../../../electron/consoles/viewer-file';

describe('virt-viewer files', () => {
  it('writes the keys remote-viewer reads, password last', () => {
    expect(
      buildViewerFile({
        type: 'spice',
        host: '127.0.0.1',
        port: 40123,
        password: 'pw',
        title: 'web01',
      }),
    ).toBe(
      '[virt-viewer]\ntype=spice\nhost=127.0.0.1\nport=40123\ntitle=web01 - VirtDeck\ndelete-this-file=1\npassword=pw\n',
    );
  });

  it('keeps a VM name or password with line breaks from adding keys', () => {
    const text = buildViewerFile({
      type: 'vnc',
      host: '127.0.0.1',
      port: 5900,
      password: 'a\nhost=evil',
      title: 'x\r\nport=1',
    });
    expect(text.split('\n').filter((l) => l.startsWith('host='))).toEqual(['host=127.0.0.1']);
    expect(text.split('\n').filter((l) => l.startsWith('port='))).toEqual(['port=5900']);
  });

  it('names the file after the VM with only safe characters', () => {
    expect(viewerFileName('web01')).toBe('web01.vv');
    expect(viewerFileName('../etc/passwd')).toBe('etc_passwd.vv');
    expect(viewerFileName('数据库 1')).toBe('1.vv');
    expect(viewerFileName('...')).toBe('console.vv');
  });
});
