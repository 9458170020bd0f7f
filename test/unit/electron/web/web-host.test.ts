import { describe, expect, it } from 'vitest';
import { isLoopback } from '../../../../electron/web/web-host';

// The server itself runs for real in test/integration/web/web-host.test.ts.
describe('isLoopback (decides the "not loopback" warning)', () => {
  it('knows the loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of [
      '0.0.0.0',
      '::',
      '192.168.1.10',
      '10.0.0.1',
      'example.com',
      '127.0.0.1.nip.io',
    ]) {
      expect(isLoopback(host), host).toBe(false);
    }
  });
});
