import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BrowserWindow,
  app,
  ipcMain,
  nativeTheme,
  protocol,
  safeStorage,
  session,
  shell,
} from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { channelNames } from '../shared/contract/channels';
import type { Result } from '../shared/contract/errors';
import type { EventEnvelope } from '../shared/contract/events';
import {
  APP_ENTRY_URL,
  APP_HOST,
  APP_SCHEME,
  isAppUrl,
  safeExternalUrl,
} from './config/app-origin';
import { defaultConfigDir } from './config/config-dir';
import { EVENT_CHANNEL } from './config/event-channel';
import type { SecretCipher } from './connections/encrypted-secret-store';
import { startElectronConsoles } from './consoles/electron-console-windows';
import { createHandlerRegistry } from './handlers';
import type { HandlerRegistry } from './handlers/handler-registry';
import { createServices } from './services';
import type { Services } from './services';
import { EventGate } from './services/event-gate';
import { createStderrLogger } from './services/logger';
import { RendererAssets } from './services/renderer-assets';
import { startElectronVmWindows } from './vm-windows/electron-vm-windows';

// The Electron host: a thin shell that wires the services and handler table (plain Node
// code, tested without Electron) to windows, IPC and the app:// protocol.

const here = path.dirname(fileURLToPath(import.meta.url));
const logger = createStderrLogger();

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
// Chromium's own profile lives beside our files, so VIRTDECK_CONFIG_DIR isolates a run
// completely (and the single-instance lock is per profile).
app.setName('VirtDeck');
app.setPath('userData', defaultConfigDir());

let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  app.whenReady().then(start, (err: unknown) => fatal('Electron failed to start', err));
}

async function start(): Promise<void> {
  try {
    denyAllPermissions();
    const assets = await RendererAssets.open(path.resolve(here, '../renderer'));
    serveRenderer(assets);
    const services = await createServices({
      hostKind: 'electron',
      configDir: app.getPath('userData'),
      logger,
      secretCipher: keyringCipher(),
    });
    registerIpc(createHandlerRegistry(services));
    const consoles = await startElectronConsoles({
      services,
      preload: path.join(here, 'preload.cjs'),
      forwardEvents: (contents) => forwardEvents(services, contents),
    });
    const vmWindows = startElectronVmWindows({
      services,
      preload: path.join(here, 'preload.cjs'),
      forwardEvents: (contents) => forwardEvents(services, contents),
    });
    // Autoconnect runs in the background; the window shows each host's state as it changes.
    services.connections
      .start()
      .catch((err: unknown) => logger.error('Saved connections could not be loaded', err));
    app.on('before-quit', () => {
      vmWindows.stop();
      void consoles.stop().finally(() => services.dispose());
    });
    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin') app.quit();
    });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void openMainWindow(services);
    });
    await openMainWindow(services);
  } catch (err) {
    fatal('VirtDeck could not start', err);
  }
}

async function openMainWindow(services: Services): Promise<void> {
  const { theme } = await services.preferences.get();
  const dark = theme === 'dark' || (theme === 'system' && nativeTheme.shouldUseDarkColors);
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 500,
    title: 'VirtDeck',
    show: false,
    // Matches the theme so the window does not flash white before the page paints.
    backgroundColor: dark ? '#121212' : '#ffffff',
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  mainWindow = window;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  forwardEvents(services, window.webContents);
  await window.loadURL(APP_ENTRY_URL);
}

/** Events emitted while the page (re)loads wait until its scripts can receive them. */
function forwardEvents(services: Services, contents: WebContents): void {
  const gate = new EventGate<EventEnvelope>();
  const unsubscribe = services.events.subscribe((event) => gate.push(event));
  contents.on('did-start-loading', () => gate.close());
  contents.on('did-finish-load', () =>
    gate.open((event) => {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
    }),
  );
  contents.once('destroyed', unsubscribe);
}

function registerIpc(registry: HandlerRegistry): void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, (event, input: unknown): Promise<Result<unknown>> | Result<unknown> => {
      if (!isOwnFrame(event)) {
        logger.warn(`Refused ${channel} from ${event.senderFrame?.url ?? 'a closed frame'}`);
        return {
          ok: false,
          error: {
            kind: 'validation',
            message: `Refused ${channel}: not called by VirtDeck's page`,
          },
        };
      }
      return registry.dispatch(channel, input, { caller: `ipc:webContents#${event.sender.id}` });
    });
  }
}

function isOwnFrame(event: IpcMainInvokeEvent): boolean {
  return isAppUrl(event.senderFrame?.url);
}

function serveRenderer(assets: RendererAssets): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405 });
    }
    const asset = await assets.resolve(url.pathname);
    if (!asset) return new Response('Not found', { status: 404 });
    const body = request.method === 'HEAD' ? null : await readFile(asset.filePath);
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': asset.contentType,
        'Content-Security-Policy': assets.contentSecurityPolicy,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      },
    });
  });
}

/** Every web contents, ours or not: no new windows, no navigation away, no webviews. */
function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-frame-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    if (event.isMainFrame) openExternally(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function openExternally(url: string): void {
  const safe = safeExternalUrl(url);
  if (!safe) {
    logger.warn(`Blocked opening ${url.slice(0, 200)}`);
    return;
  }
  shell.openExternal(safe).catch((err: unknown) => logger.error(`Could not open ${safe}`, err));
}

/**
 * safeStorage as the connections' secret cipher. On Linux without a keyring daemon Chromium
 * falls back to a fixed, public key ('basic_text'): that protects nothing, so VirtDeck then
 * keeps passwords for the session only, as the web host does.
 */
function keyringCipher(): SecretCipher {
  return {
    isAvailable: async () =>
      (await safeStorage.isAsyncEncryptionAvailable()) &&
      !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'),
    encrypt: (plainText) => safeStorage.encryptStringAsync(plainText),
    decrypt: async (encrypted) =>
      (await safeStorage.decryptStringAsync(Buffer.from(encrypted))).result,
  };
}

function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function fatal(message: string, err: unknown): void {
  logger.error(message, err);
  app.exit(1);
}
