import type { VirtDeckBridge } from '../../../shared/contract';
import {
  createWebSocketBridge,
  type LinkState,
  type WebSocketBridge,
  type WireSocket,
} from './web-socket-bridge';
import { wireUrl } from './wire-url';

/**
 * The one place that knows which host runs the renderer. Electron's preload exposes
 * `window.virtdeck` through contextBridge; anywhere else the page came from the web host, which
 * answers the same contract over one WebSocket on the page's own origin.
 *
 * Globals are read structurally so this module (and the stores that import it) also load
 * under plain Node in unit tests, where a test installs its own bridge first.
 */
interface HostGlobals {
  virtdeck?: VirtDeckBridge;
  location?: { href: string };
  WebSocket?: new (url: string) => WireSocket;
}

let installed: VirtDeckBridge | null = null;
/** Only the web host has a link that can drop; the Electron preload's IPC cannot. */
let webLink: WebSocketBridge | null = null;

/** Sets the bridge explicitly (tests, or a host that wants to choose). */
export function installBridge(bridge: VirtDeckBridge | null, link?: WebSocketBridge): void {
  installed = bridge;
  webLink = link ?? null;
}

/** The bridge in use, detecting the host on first use. */
export function currentBridge(): VirtDeckBridge {
  if (!installed) detectBridge(globalThis as HostGlobals);
  return installed as VirtDeckBridge;
}

/** Reports the link's state now and on every change; an IPC bridge is always 'open'. */
export function watchLinkState(listener: (state: LinkState) => void): () => void {
  currentBridge();
  if (!webLink) {
    listener('open');
    return () => undefined;
  }
  listener(webLink.linkState);
  return webLink.onLinkState(listener);
}

function detectBridge(host: HostGlobals): void {
  if (host.virtdeck) {
    installBridge(host.virtdeck);
    return;
  }
  const { location, WebSocket } = host;
  if (!location || !WebSocket) {
    throw new Error('No VirtDeck host: neither the Electron preload nor a web page is present');
  }
  const bridge = createWebSocketBridge({
    url: wireUrl(location.href),
    createSocket: (url) => new WebSocket(url),
    onProblem: (problem) => console.error(`[virtdeck web bridge] ${problem}`),
  });
  installBridge(bridge, bridge);
}
