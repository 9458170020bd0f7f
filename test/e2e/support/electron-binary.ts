import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The Electron executable, found the way build/start-electron.js finds it
 * (ELECTRON_OVERRIDE_DIST_PATH, else the electron package's path.txt), or null when it was
 * never downloaded — which is the case on our build machines.
 */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  const require = createRequire(import.meta.url);
  const electronDir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(electronDir, 'path.txt');
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override
    ? path.join(override, process.platform === 'win32' ? 'electron.exe' : 'electron')
    : existsSync(pathFile)
      ? path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
      : null;
  return binary && existsSync(binary) ? binary : null;
}

/** Linux needs an X or Wayland display for a window (CI: run under xvfb-run). */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  return process.platform !== 'linux' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}
