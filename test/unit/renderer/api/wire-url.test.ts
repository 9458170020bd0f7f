import { describe, expect, it } from 'vitest';
import { wireUrl } from '../../../../renderer/src/api/wire-url';

describe('wireUrl', () => {
  it('uses the page origin with ws for http and wss for https', () => {
    expect(wireUrl('http://127.0.0.1:8123/')).toBe('ws://127.0.0.1:8123/ws');
    expect(wireUrl('https://virt.example:8443/some/page#x')).toBe('wss://virt.example:8443/ws');
  });

  it("passes the page's token on and nothing else from its query", () => {
    expect(wireUrl('http://[::1]:8123/?token=abc%2Fdef&lang=zh')).toBe(
      'ws://[::1]:8123/ws?token=abc%2Fdef',
    );
  });

  it('refuses a page that is not served over http(s)', () => {
    expect(() => wireUrl('file:///opt/virtdeck/index.html')).toThrow(/http\(s\)/);
  });
});
