import os from 'node:os';
import path from 'node:path';

export interface ConfigDirInputs {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homedir: string;
}

/**
 * Where VirtDeck keeps its settings and saved connections. Computed here instead of with
 * Electron's `app.getPath('userData')` so the web host, vdctl and tests (plain Node) find
 * the same folder the desktop app uses. `VIRTDECK_CONFIG_DIR` wins, so tests run isolated.
 */
export function resolveConfigDir({ env, platform, homedir }: ConfigDirInputs): string {
  const override = env.VIRTDECK_CONFIG_DIR;
  if (override) {
    // Resolved with the target platform's rules so a relative override means the same
    // folder whichever directory a later process starts from.
    return (platform === 'win32' ? path.win32 : path.posix).resolve(override);
  }
  if (platform === 'win32') {
    const appData = env.APPDATA || path.win32.join(homedir, 'AppData', 'Roaming');
    return path.win32.join(appData, 'VirtDeck');
  }
  if (platform === 'darwin') {
    return path.posix.join(homedir, 'Library', 'Application Support', 'VirtDeck');
  }
  // The XDG spec says a relative $XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(homedir, '.config');
  return path.posix.join(base, 'virtdeck');
}

/** The config folder for this process. */
export function defaultConfigDir(): string {
  return resolveConfigDir({ env: process.env, platform: process.platform, homedir: os.homedir() });
}
