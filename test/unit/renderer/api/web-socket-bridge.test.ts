import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { EventEnvelope } from '../../../../shared/contract';
import { ReconnectBackoff } from '../../../../renderer/src/api/reconnect-backoff';
import {
  createWebSocketBridge,
  type LinkState,
  type WebSocketBridge,
  type WebSocketBridgeOptions,
} from '../../../../renderer/src/api/web-socket-bridge';
import { StandInWebHost } from './stand-in-web-host';

/** Waits for a condition on real sockets; generous, since CI machines may be busy. */
const until = (check: () => void) => vi.waitFor(check, { timeout: 5000, interval: 10 });

// The bridge runs over a real WebSocket (the `ws` client, which has the browser's API) to a
// stand-in host on loopback.
let host: StandInWebHost;
const bridges: WebSocketBridge[] = [];

function connect(options: Partial<WebSocketBridgeOptions> = {}): WebSocketBridge {
  const bridge = createWebSocketBridge({
    url: host.url,
    createSocket: (url) => new WebSocket(url),
    backoff: new ReconnectBackoff({ initialMs: 10, maxMs: 40, jitter: 0 }),
    ...options,
  });
  bridges.push(bridge);
  return bridge;
}

function linkOpen(bridge: WebSocketBridge): Promise<void> {
  return until(() => expect(bridge.linkState).toBe('open'));
}

beforeEach(async () => {
  host = await StandInWebHost.start();
});

afterEach(async () => {
  for (const bridge of bridges.splice(0)) bridge.close();
  await host.stop();
});

describe('web socket bridge', () => {
  it('matches each reply to its own call, whatever the order of the replies', async () => {
    const bridge = connect();
    const info = bridge.api.app.info({});
    const prefs = bridge.api.prefs.get({});
    await until(() => expect(host.calls).toHaveLength(2));

    const [infoCall, prefsCall] = host.calls;
    expect(infoCall).toMatchObject({ type: 'call', channel: 'app:info', input: {} });
    expect(prefsCall).toMatchObject({ type: 'call', channel: 'prefs:get', input: {} });
    host.reply(prefsCall!.id, { ok: true, value: { theme: 'dark', locale: null } });
    host.reply(infoCall!.id, {
      ok: false,
      error: { kind: 'internal', message: 'package.json unreadable' },
    });

    await expect(prefs).resolves.toEqual({ ok: true, value: { theme: 'dark', locale: null } });
    await expect(info).resolves.toEqual({
      ok: false,
      error: { kind: 'internal', message: 'package.json unreadable' },
    });
  });

  it('delivers pushed events to each subscriber until it unsubscribes', async () => {
    const bridge = connect();
    await linkOpen(bridge);
    const first: EventEnvelope[] = [];
    const second: EventEnvelope[] = [];
    const stopFirst = bridge.onEvent((event) => first.push(event));
    bridge.onEvent((event) => second.push(event));

    const changed = { name: 'prefs:changed', payload: { theme: 'light', locale: 'zh-CN' } };
    host.send({ type: 'event', event: changed });
    await until(() => expect(second).toHaveLength(1));
    stopFirst();
    host.send({ type: 'event', event: changed });
    await until(() => expect(second).toHaveLength(2));

    expect(first).toEqual([changed]);
    expect(second).toEqual([changed, changed]);
  });

  it('holds a call made while the host refuses links and sends it once a link opens', async () => {
    host.accepting = false;
    host.answer = () => ({ ok: true, value: { theme: 'system', locale: null } });
    const bridge = connect();
    const states: LinkState[] = [];
    bridge.onLinkState((state) => states.push(state));

    const result = bridge.api.prefs.get({});
    await until(() => expect(host.refusedHandshakes).toBeGreaterThanOrEqual(3));
    expect(host.calls).toHaveLength(0);
    host.accepting = true;

    await expect(result).resolves.toEqual({ ok: true, value: { theme: 'system', locale: null } });
    expect(states).toContain('waiting');
    expect(states.at(-1)).toBe('open');
  });

  it('fails a call whose link dropped before the reply, then reconnects for the next call', async () => {
    host.answer = (call) =>
      call.channel === 'app:info'
        ? {
            ok: true,
            value: { name: 'VirtDeck', version: '0.1.0', hostKind: 'web', platform: 'linux' },
          }
        : undefined;
    const bridge = connect();
    const unanswered = bridge.api.prefs.set({ theme: 'dark' });
    await until(() => expect(host.calls).toHaveLength(1));

    host.dropLinks();
    const failed = await unanswered;
    expect(failed).toEqual({
      ok: false,
      error: { kind: 'transport', message: expect.stringMatching(/closed before the reply/) },
    });

    // Not re-sent on the new link: the host may already have applied it.
    await expect(bridge.api.app.info({})).resolves.toMatchObject({ ok: true });
    expect(host.calls.map((call) => call.channel)).toEqual(['prefs:set', 'app:info']);
    expect(bridge.linkState).toBe('open');
  });

  it('gives up on a call with a transport error when the host stays unreachable', async () => {
    host.accepting = false;
    const bridge = connect({ linkWaitMs: 150 });
    const result = await bridge.api.app.info({});
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'transport',
        message: expect.stringMatching(/Could not reach the VirtDeck web host within .* s: /),
      },
    });
    expect(host.calls).toHaveLength(0);
  });

  it('bounds how many calls may wait for the link', async () => {
    host.accepting = false;
    const bridge = connect({ maxQueued: 2 });
    void bridge.api.app.info({});
    void bridge.api.prefs.get({});
    await expect(bridge.api.prefs.get({})).resolves.toEqual({
      ok: false,
      error: { kind: 'transport', message: expect.stringMatching(/2 calls are already waiting/) },
    });
  });

  it('fails a call whose reply is malformed and reports the frame', async () => {
    const problems: string[] = [];
    host.answer = () => ({ ok: 'yes' }) as never;
    const bridge = connect({ onProblem: (problem) => problems.push(problem) });
    const result = await bridge.api.app.info({});
    expect(result).toEqual({
      ok: false,
      error: { kind: 'transport', message: expect.stringMatching(/malformed message/) },
    });
    expect(problems).toHaveLength(1);
  });

  it('reports replies and events it cannot use instead of dropping them silently', async () => {
    const problems: string[] = [];
    const bridge = connect({ onProblem: (problem) => problems.push(problem) });
    await linkOpen(bridge);
    host.reply(4242, { ok: true, value: null });
    host.send({ type: 'event', event: { name: 'vm:unknown', payload: {} } });
    await until(() => expect(problems).toHaveLength(2));
    expect(problems[0]).toMatch(/call 4242/);
    expect(problems[1]).toMatch(/vm:unknown/);
  });

  it('refuses input that cannot travel as JSON without sending anything', async () => {
    const bridge = connect();
    await linkOpen(bridge);
    const result = await bridge.api.prefs.set({ theme: 10n } as never);
    expect(result).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect(host.calls).toHaveLength(0);
  });

  it('close() fails waiting calls, stops reconnecting, and refuses new calls', async () => {
    host.accepting = false;
    const bridge = connect();
    const waiting = bridge.api.app.info({});
    bridge.close();
    await expect(waiting).resolves.toEqual({
      ok: false,
      error: { kind: 'transport', message: 'The web host link was closed' },
    });
    expect(bridge.linkState).toBe('closed');
    await expect(bridge.api.prefs.get({})).resolves.toMatchObject({ ok: false });
    host.accepting = true;
    expect(host.openLinks).toBe(0);
  });
});
