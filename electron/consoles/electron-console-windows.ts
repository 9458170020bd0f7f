import { BrowserWindow, screen, type WebContents } from 'electron';
import { APP_ENTRY_URL, APP_HOST, APP_SCHEME } from '../config/app-origin';
import type { Services } from '../services';
import { ConsoleServer } from './console-server';
import { ConsoleWindowBounds } from './console-window-bounds';

export interface ElectronConsolesOptions {
  services: Services;
  /** The preload script every app window uses. */
  preload: string;
  /** Hands the window's page the app's events (main.ts owns the event gate). */
  forwardEvents: (contents: WebContents) => void;
}

/**
 * Electron's side of consoles: the loopback console endpoint its pages connect to (only
 * app:// pages, only with a ticket), and one detached window per VM that reopens where
 * the user left it.
 */
export async function startElectronConsoles(
  options: ElectronConsolesOptions,
): Promise<{ stop(): Promise<void> }> {
  const { services } = options;
  const consoles = services.consoles.service;
  const server = await ConsoleServer.start({
    bridge: consoles.bridge,
    allowedOrigins: [`${APP_SCHEME}://${APP_HOST}`],
  });
  consoles.setEndpointOrigin(server.wsOrigin);
  const bounds = new ConsoleWindowBounds(services.config.configDir, services.logger);
  const open = new Map<string, BrowserWindow>();

  consoles.setWindowOpener(async ({ connectionId, uuid }) => {
    const key = ConsoleWindowBounds.key(connectionId, uuid);
    const existing = open.get(key);
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      existing.focus();
      return;
    }
    const saved = await bounds.get(key);
    const window = new BrowserWindow({
      ...(saved && isOnScreen(saved) ? saved : { width: 1024, height: 800 }),
      minWidth: 480,
      minHeight: 360,
      title: 'VirtDeck console',
      show: false,
      backgroundColor: '#000000',
      webPreferences: {
        preload: options.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
      },
    });
    open.set(key, window);
    window.once('ready-to-show', () => window.show());
    window.on('close', () => void bounds.set(key, window.getNormalBounds()));
    window.on('closed', () => {
      if (open.get(key) === window) open.delete(key);
    });
    options.forwardEvents(window.webContents);
    await window.loadURL(`${APP_ENTRY_URL}#/console/${connectionId}/${uuid}`);
  });

  return {
    async stop() {
      consoles.setWindowOpener(null);
      await server.stop();
    },
  };
}

function isOnScreen(b: { x: number; y: number; width: number; height: number }): boolean {
  return screen
    .getAllDisplays()
    .some(
      ({ workArea: a }) =>
        b.x < a.x + a.width && b.x + b.width > a.x && b.y < a.y + a.height && b.y + b.height > a.y,
    );
}
