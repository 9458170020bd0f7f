import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_COOKIE, WIRE_PATH } from '../../../shared/contract/wire';
import { cspOfIndexHtml } from '../../../electron/services/renderer-assets';
import { repoRoot, startWebHost } from '../../e2e/support/web-host-runner';
import type { RunningWebHost } from '../../e2e/support/web-host-runner';
import { httpGet } from './http-get';
import { connectWire } from './wire-client';

const rendererDir = path.join(repoRoot, 'dist/renderer');

describe('web host (dist/electron/web.cjs)', () => {
  let host: RunningWebHost;
  let cookie: string;
  let wsUrl: string;
  let asset: string;

  beforeAll(async () => {
    host = await startWebHost();
    cookie = `${TOKEN_COOKIE}=${host.token}`;
    wsUrl = `${host.origin.replace('http:', 'ws:')}${WIRE_PATH}`;
    const js = (await readdir(path.join(rendererDir, 'assets'))).find((f) => f.endsWith('.js'));
    if (!js) throw new Error('dist/renderer has no built script: run npm run build');
    asset = `/assets/${js}`;
  });

  afterAll(async () => {
    await host?.stop();
  });

  it('prints exactly one line, the loopback URL with a fresh token', () => {
    expect(host.stdout()).toBe(`VirtDeck web host: ${host.origin}/?token=${host.token}\n`);
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers 401 and serves nothing without the token', async () => {
    for (const target of ['/', '/index.html', asset, '/favicon.svg', '/no-such-file']) {
      for (const method of ['GET', 'HEAD']) {
        const answer = await httpGet(host.origin, target, {}, method);
        expect(answer.status, `${method} ${target}`).toBe(401);
        expect(answer.body).not.toMatch(/<html|<script|VirtDeck<\/title>/i);
      }
    }
  });

  it('answers 401 to a wrong token, in the query or the cookie', async () => {
    expect((await httpGet(host.origin, '/?token=wrong-token-0123456789')).status).toBe(401);
    expect((await httpGet(host.origin, `/?token=${host.token}x`)).status).toBe(401);
    const wrongCookie = { Cookie: `${TOKEN_COOKIE}=${host.token.slice(0, -1)}` };
    expect((await httpGet(host.origin, '/', wrongCookie)).status).toBe(401);
    expect((await httpGet(host.origin, '/', { Cookie: `other=${host.token}` })).status).toBe(401);
  });

  it('trades ?token= for a strict HttpOnly cookie and a URL without the token', async () => {
    const answer = await httpGet(host.origin, `/?token=${host.token}`);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/');
    expect(answer.headers['set-cookie']).toEqual([
      `${TOKEN_COOKIE}=${host.token}; HttpOnly; SameSite=Strict; Path=/`,
    ]);
    const deep = await httpGet(host.origin, `${asset}?v=2&token=${host.token}`);
    expect(deep.status).toBe(303);
    expect(deep.headers.location).toBe(`${asset}?v=2`);
  });

  it('serves the page with the cookie, with the renderer’s CSP and the security headers', async () => {
    const html = await readFile(path.join(rendererDir, 'index.html'), 'utf8');
    const page = await httpGet(host.origin, '/', { Cookie: cookie });
    expect(page.status).toBe(200);
    expect(page.body).toBe(html);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(
      `${cspOfIndexHtml(html)}; frame-ancestors 'none'`,
    );
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect((await httpGet(host.origin, '/index.html', { Cookie: cookie })).body).toBe(html);

    const script = await httpGet(host.origin, asset, { Cookie: cookie });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toBe(await readFile(path.join(rendererDir, asset), 'utf8'));
  });

  it('never lists a folder or leaves dist/renderer, even with the cookie', async () => {
    for (const target of [
      '/assets/',
      '/assets',
      '/../electron/web.cjs',
      '/%2e%2e/electron/web.cjs',
      '/assets/%2e%2e/%2e%2e/electron/web.cjs',
      '/..%2f..%2fpackage.json',
      '/%2e%2e%2f%2e%2e%2fpackage.json',
    ]) {
      const answer = await httpGet(host.origin, target, { Cookie: cookie });
      expect(answer.status, target).toBe(404);
    }
    // An absolute-form target must not choose the file either.
    expect(
      (await httpGet(host.origin, 'http://evil.example/index.html', { Cookie: cookie })).status,
    ).toBe(400);
    expect((await httpGet(host.origin, '/', { Cookie: cookie }, 'POST')).status).toBe(405);
  });

  it('refuses a WebSocket without the token (401) or from another origin (403)', async () => {
    await expect(connectWire(wsUrl, { Origin: host.origin })).rejects.toMatchObject({
      statusCode: 401,
    });
    await expect(
      connectWire(`${wsUrl}?token=not-the-token-0123456`, { Origin: host.origin }),
    ).rejects.toMatchObject({ statusCode: 401 });
    for (const origin of ['http://evil.example', `http://127.0.0.1.evil.example`, 'null']) {
      await expect(connectWire(wsUrl, { Cookie: cookie, Origin: origin })).rejects.toMatchObject({
        statusCode: 403,
      });
    }
    await expect(connectWire(wsUrl, { Cookie: cookie })).rejects.toMatchObject({
      statusCode: 403,
    });
  });

  it('carries calls over the WebSocket; app:info says it is the web host', async () => {
    const client = await connectWire(wsUrl, { Cookie: cookie, Origin: host.origin });
    try {
      const answer = await client.call('app:info', {});
      expect(answer.result).toEqual({
        ok: true,
        value: expect.objectContaining({ name: 'VirtDeck', hostKind: 'web', platform: 'linux' }),
      });
      const viaQuery = await connectWire(`${wsUrl}?token=${host.token}`, { Origin: host.origin });
      expect((await viaQuery.call('prefs:get', {})).result.ok).toBe(true);
      viaQuery.socket.close();
    } finally {
      client.socket.close();
    }
  });

  it('rejects a bad prefs:set with a validation error and leaves preferences.json byte-for-byte', async () => {
    const client = await connectWire(wsUrl, { Cookie: cookie, Origin: host.origin });
    try {
      expect((await client.call('prefs:set', { theme: 'light' })).result.ok).toBe(true);
      const file = path.join(host.configDir, 'preferences.json');
      const before = await readFile(file);
      const beforeStat = await stat(file);
      for (const input of [{ theme: 'neon' }, { locale: 'fr' }, { theme: 'dark', extra: 1 }, 'x']) {
        const { result } = await client.call('prefs:set', input);
        expect(result.ok, JSON.stringify(input)).toBe(false);
        if (!result.ok) expect(result.error.kind).toBe('validation');
      }
      const bad = await client.call('prefs:set', { theme: 'neon' });
      expect(bad.result).toMatchObject({ ok: false, error: { kind: 'validation', path: 'theme' } });
      expect(await readFile(file)).toEqual(before);
      expect((await stat(file)).mtimeMs).toBe(beforeStat.mtimeMs);
      expect((await client.call('prefs:get', {})).result).toEqual({
        ok: true,
        value: { theme: 'light', locale: null },
      });
    } finally {
      client.socket.close();
    }
  });

  it('pushes prefs:changed from one client’s change to every client', async () => {
    const first = await connectWire(wsUrl, { Cookie: cookie, Origin: host.origin });
    const second = await connectWire(wsUrl, { Cookie: cookie, Origin: host.origin });
    try {
      const pushed = second.next((m) => m.type === 'event');
      const answer = await first.call('prefs:set', { locale: 'zh-CN', theme: 'dark' });
      expect(answer.result).toEqual({ ok: true, value: { theme: 'dark', locale: 'zh-CN' } });
      expect(await pushed).toEqual({
        type: 'event',
        event: { name: 'prefs:changed', payload: { theme: 'dark', locale: 'zh-CN' } },
      });
      expect(await first.next((m) => m.type === 'event')).toMatchObject({
        event: { name: 'prefs:changed' },
      });
    } finally {
      first.socket.close();
      second.socket.close();
    }
  });

  it('answers malformed calls when it can and closes the socket when it cannot', async () => {
    const client = await connectWire(wsUrl, { Cookie: cookie, Origin: host.origin });
    client.sendText(JSON.stringify({ type: 'call', id: 41, channel: 'vm:explode', input: {} }));
    expect(await client.next((m) => m.type === 'result' && m.id === 41)).toEqual({
      type: 'result',
      id: 41,
      result: { ok: false, error: { kind: 'validation', message: 'Unknown channel "vm:explode"' } },
    });
    client.sendText(JSON.stringify({ type: 'subscribe', id: 42 }));
    expect(await client.next((m) => m.type === 'result' && m.id === 42)).toMatchObject({
      result: { ok: false, error: { kind: 'validation' } },
    });
    client.sendText('{not json');
    expect(await client.closed).toEqual({ code: 1008, reason: 'Message is not JSON' });

    const binary = await connectWire(wsUrl, { Cookie: cookie, Origin: host.origin });
    binary.socket.send(Buffer.from([1, 2, 3]));
    expect((await binary.closed).code).toBe(1003);
  });

  it('closes a socket that sends more than the payload limit (1 MiB)', async () => {
    const client = await connectWire(wsUrl, { Cookie: cookie, Origin: host.origin });
    const huge = JSON.stringify({
      type: 'call',
      id: 1,
      channel: 'app:info',
      input: { pad: 'x'.repeat(1024 * 1024) },
    });
    client.sendText(huge);
    expect((await client.closed).code).toBe(1009);
    // The host is still fine for everyone else.
    const again = await connectWire(wsUrl, { Cookie: cookie, Origin: host.origin });
    expect((await again.call('app:info', {})).result.ok).toBe(true);
    again.socket.close();
  });
});

describe('web host start-up and shut-down', () => {
  it('uses VIRTDECK_WEB_TOKEN, and stops on SIGTERM closing sockets with 1001', async () => {
    const token = 'chosen-token-for-tests-0123456789';
    const host = await startWebHost({ env: { VIRTDECK_WEB_TOKEN: token } });
    let stopped = false;
    try {
      expect(host.token).toBe(token);
      const client = await connectWire(`${host.origin.replace('http:', 'ws:')}${WIRE_PATH}`, {
        Cookie: `${TOKEN_COOKIE}=${token}`,
        Origin: host.origin,
      });
      const result = await host.stop();
      stopped = true;
      expect(result).toEqual({ code: 0, signal: null });
      expect(await client.closed).toMatchObject({ code: 1001 });
      expect(host.stdout().split('\n').filter(Boolean)).toHaveLength(1);
    } finally {
      if (!stopped) await host.stop();
    }
  });

  it('refuses a short VIRTDECK_WEB_TOKEN and bad options with a clear message', async () => {
    await expect(startWebHost({ env: { VIRTDECK_WEB_TOKEN: 'short' } })).rejects.toThrow(
      /exited \(1\).*VIRTDECK_WEB_TOKEN/s,
    );
    await expect(startWebHost({ args: ['--port', '70000'] })).rejects.toThrow(
      /exited \(2\).*--port must be a number from 0 to 65535/s,
    );
    await expect(startWebHost({ args: ['--bogus'] })).rejects.toThrow(/exited \(2\).*Usage/s);
  });

  it('moves a corrupt preferences.json aside at start-up and says so on stderr', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-web-corrupt-'));
    try {
      await writeFile(path.join(dir, 'preferences.json'), '{"version": 99}');
      const host = await startWebHost({ configDir: dir });
      await host.stop();
      expect(host.stderr()).toMatch(/version 99.*moved to .*preferences\.json\.corrupt-/);
      const names = await readdir(dir);
      expect(names.filter((n) => n.startsWith('preferences.json.corrupt-'))).toHaveLength(1);
      expect(names).not.toContain('preferences.json');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
