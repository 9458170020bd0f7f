import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { WebAuth } from '../../../../electron/web/web-auth';

const token = 'test-token-0123456789abcdef';
const request = (cookie?: string) => ({ headers: cookie ? { cookie } : {} }) as IncomingMessage;
const url = (pathAndQuery: string) => new URL(pathAndQuery, 'http://127.0.0.1:1');

describe('WebAuth', () => {
  const auth = new WebAuth(token);

  it('trades a valid ?token= for an HttpOnly SameSite=Strict cookie and a clean URL', () => {
    expect(auth.authorizeRequest(request(), url(`/x/y.js?a=1&token=${token}&b=2`))).toEqual({
      kind: 'redirect',
      location: '/x/y.js?a=1&b=2',
      setCookie: `virtdeck_token=${token}; HttpOnly; SameSite=Strict; Path=/`,
    });
    expect(auth.authorizeRequest(request(), url(`/?token=${token}`))).toMatchObject({
      location: '/',
    });
  });

  it('accepts the cookie among others, and nothing else', () => {
    expect(auth.authorizeRequest(request(`a=1; virtdeck_token=${token}; b=2`), url('/'))).toEqual({
      kind: 'allowed',
    });
    for (const cookie of [undefined, 'virtdeck_token=', `virtdeck_token=${token}x`, `x=${token}`]) {
      expect(auth.authorizeRequest(request(cookie), url('/')), String(cookie)).toEqual({
        kind: 'denied',
      });
    }
  });

  it('denies a wrong query token even with a valid cookie', () => {
    expect(auth.authorizeRequest(request(`virtdeck_token=${token}`), url('/?token=wrong'))).toEqual(
      { kind: 'denied' },
    );
  });

  it('authorises upgrades by cookie or query token', () => {
    expect(auth.authorizeUpgrade(request(`virtdeck_token=${token}`), url('/ws'))).toBe(true);
    expect(auth.authorizeUpgrade(request(), url(`/ws?token=${token}`))).toBe(true);
    expect(auth.authorizeUpgrade(request(), url('/ws'))).toBe(false);
    expect(auth.authorizeUpgrade(request(), url('/ws?token=nope'))).toBe(false);
  });

  it('makes a fresh 256-bit token per run unless VIRTDECK_WEB_TOKEN is set', () => {
    const a = WebAuth.fromEnvironment({});
    const b = WebAuth.fromEnvironment({});
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(WebAuth.fromEnvironment({ VIRTDECK_WEB_TOKEN: token }).token).toBe(token);
  });

  it('refuses a guessable or unsafe chosen token', () => {
    for (const bad of ['short', 'has space 0123456789', 'semi;colon0123456789', 'é'.repeat(20)]) {
      expect(() => WebAuth.fromEnvironment({ VIRTDECK_WEB_TOKEN: bad }), bad).toThrow(
        /VIRTDECK_WEB_TOKEN/,
      );
    }
  });
});
