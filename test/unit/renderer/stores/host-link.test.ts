import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { installBridge } from '../../../../renderer/src/api/bridge';
import { ReconnectBackoff } from '../../../../renderer/src/api/reconnect-backoff';
import {
  createWebSocketBridge,
  type WebSocketBridge,
} from '../../../../renderer/src/api/web-socket-bridge';
import { useHostLinkStore } from '../../../../renderer/src/stores/host-link';
import { StandInWebHost } from '../api/stand-in-web-host';

/** Waits for a condition on real sockets; generous, since CI machines may be busy. */
const until = (check: () => void) => vi.waitFor(check, { timeout: 5000, interval: 10 });

let host: StandInWebHost;
let bridge: WebSocketBridge;

beforeEach(async () => {
  host = await StandInWebHost.start();
  bridge = createWebSocketBridge({
    url: host.url,
    createSocket: (url) => new WebSocket(url),
    backoff: new ReconnectBackoff({ initialMs: 100, maxMs: 100, jitter: 0 }),
  });
  installBridge(bridge, bridge);
  setActivePinia(createPinia());
});

afterEach(async () => {
  useHostLinkStore().dispose();
  bridge.close();
  installBridge(null);
  await host.stop();
});

describe('host link store', () => {
  it('follows the web host link as it opens, drops and comes back', async () => {
    const store = useHostLinkStore();
    store.init();
    await until(() => expect(store.state).toBe('open'));

    host.accepting = false;
    host.dropLinks();
    await until(() => expect(store.state).toBe('waiting'));

    host.accepting = true;
    await until(() => expect(store.state).toBe('open'));
  });

  it('stops following after dispose', async () => {
    const store = useHostLinkStore();
    store.init();
    await until(() => expect(store.state).toBe('open'));
    store.dispose();
    bridge.close();
    expect(store.state).toBe('open');
  });
});
