import { BrowserWindow, type WebContents } from 'electron';
import { APP_ENTRY_URL } from '../config/app-origin';
import type { Services } from '../services';

export interface ElectronVmWindowsOptions {
  services: Services;
  /** The preload script every app window uses. */
  preload: string;
  /** Hands the window's page the app's events (main.ts owns the event gate). */
  forwardEvents: (contents: WebContents) => void;
}

/**
 * One window per VM (`#/vm/<connectionId>/<uuid>`), as virt-manager has: asking again
 * focuses the open one. Same locked-down page settings as the main and console windows.
 */
export function startElectronVmWindows(options: ElectronVmWindowsOptions): { stop(): void } {
  const opener = options.services.vmWindows;
  const open = new Map<string, BrowserWindow>();

  opener.setOpener(async ({ connectionId, uuid, tab }) => {
    const key = `${connectionId}/${uuid}`;
    const route = `#/vm/${connectionId}/${uuid}${tab ? `/${tab}` : ''}`;
    const existing = open.get(key);
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      // A tab asked for explicitly is shown; the route change does not reload the page.
      if (tab) await existing.loadURL(`${APP_ENTRY_URL}${route}`);
      existing.focus();
      return;
    }
    const window = new BrowserWindow({
      width: 1100,
      height: 800,
      minWidth: 640,
      minHeight: 420,
      title: 'VirtDeck',
      show: false,
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
    window.on('closed', () => {
      if (open.get(key) === window) open.delete(key);
    });
    options.forwardEvents(window.webContents);
    await window.loadURL(`${APP_ENTRY_URL}${route}`);
  });

  return {
    stop() {
      opener.setOpener(null);
    },
  };
}
