import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAppUrl, safeExternalUrl } from '../../../../electron/config/app-origin';

describe('isAppUrl', () => {
  it('accepts our own origin only', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://virtdeck/assets/index-abc.js?x=1#y')).toBe(true);
    for (const url of [
      'app://other/index.html',
      'app://virtdeck.evil/index.html',
      'https://virtdeck/index.html',
      'file:///work/main/dist/renderer/index.html',
      'devtools://devtools/bundled/inspector.html',
      'not a url',
      '',
      null,
      undefined,
    ]) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });
});

describe('safeExternalUrl', () => {
  it('lets plain https links through, normalised', () => {
    expect(safeExternalUrl('https://libvirt.org/docs.html')).toBe('https://libvirt.org/docs.html');
    expect(safeExternalUrl('HTTPS://Example.COM')).toBe('https://example.com/');
  });

  it('refuses other schemes, credentials and oversized URLs', () => {
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'https://user:pw@example.com/',
      `https://example.com/${'a'.repeat(2100)}`,
      'https://',
    ]) {
      expect(safeExternalUrl(url), url).toBeNull();
    }
  });
});
