import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { installBridge, currentBridge, watchLinkState } from '../../../../renderer/src/api/bridge';
import type { LinkState } from '../../../../renderer/src/api/web-socket-bridge';
import { FakeBridge } from '../fake-bridge';
import { StandInWebHost } from './stand-in-web-host';

let host: StandInWebHost;

beforeEach(async () => {
  host = await StandInWebHost.start();
});

afterEach(async () => {
  const bridge = currentBridgeIfAny();
  if (bridge && 'close' in bridge && typeof bridge.close === 'function') bridge.close();
  installBridge(null);
  vi.unstubAllGlobals();
  await host.stop();
});

function currentBridgeIfAny() {
  try {
    return currentBridge();
  } catch {
    return null;
  }
}

describe('bridge detection', () => {
  it("uses the Electron preload's bridge when the page has one, and its link never drops", () => {
    const preload = new FakeBridge();
    vi.stubGlobal('virtdeck', preload);
    expect(currentBridge()).toBe(preload);
    const states: LinkState[] = [];
    watchLinkState((state) => states.push(state));
    expect(states).toEqual(['open']);
  });

  it("otherwise talks to the web host on the page's origin, passing the page's token", async () => {
    const port = new URL(host.url).port;
    vi.stubGlobal('location', { href: `http://127.0.0.1:${port}/?token=s3cret` });
    vi.stubGlobal('WebSocket', WebSocket);
    host.answer = () => ({ ok: true, value: { theme: 'dark', locale: null } });

    const states: LinkState[] = [];
    watchLinkState((state) => states.push(state));
    await expect(currentBridge().api.prefs.get({})).resolves.toEqual({
      ok: true,
      value: { theme: 'dark', locale: null },
    });
    expect(host.lastRequestUrl).toBe('/ws?token=s3cret');
    expect(states[0]).toBe('connecting');
    expect(states.at(-1)).toBe('open');
  });

  it('fails clearly when there is neither a preload nor a page', () => {
    expect(() => currentBridge()).toThrow(/No VirtDeck host/);
  });
});
