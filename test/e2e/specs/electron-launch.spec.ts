import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findElectronBinary, hasDisplay } from '../support/electron-binary';
import { repoRoot } from '../support/web-host-runner';

const binary = findElectronBinary();
const display = hasDisplay();
const mainScript = path.join(repoRoot, 'dist/electron/main.cjs');
const preloadScript = path.join(repoRoot, 'dist/electron/preload.cjs');

/** What `require` in a sandboxed preload can load (Electron's sandbox docs). */
const sandboxModules = new Set(['electron', 'events', 'timers', 'url']);

describe('Electron app', () => {
  it('builds a preload that a sandboxed renderer can load (one file, requiring only electron)', async () => {
    const code = await readFile(preloadScript, 'utf8');
    const required = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map(
      (m) => m[1]!,
    );
    expect(required.length).toBeGreaterThan(0);
    const unloadable = required.filter((name) => !sandboxModules.has(name.replace(/^node:/, '')));
    expect(unloadable, 'modules a sandboxed preload cannot require').toEqual([]);
  });

  it.skipIf(!binary)(
    'opens the main window titled VirtDeck (skipped: Electron binary not installed — run npx install-electron --no)',
    async () => {
      if (!display) {
        // Reached only where the binary exists but nothing can show a window.
        throw new Error('No DISPLAY or WAYLAND_DISPLAY: run the e2e tests under xvfb-run');
      }
      const configDir = await mkdtemp(path.join(os.tmpdir(), 'virtdeck-electron-config-'));
      const app = await _electron.launch({
        executablePath: binary!,
        // Root (containers, CI) cannot start Chromium's sandbox; everywhere else it stays on.
        args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), mainScript],
        cwd: repoRoot,
        env: { ...(process.env as Record<string, string>), VIRTDECK_CONFIG_DIR: configDir },
      });
      try {
        const window = await app.firstWindow();
        await window.getByRole('banner', { name: 'Application toolbar' }).waitFor();
        expect(await window.title()).toBe('VirtDeck');
        expect(window.url()).toBe('app://virtdeck/index.html');
        await window.getByText('Desktop app', { exact: true }).waitFor();
        // The page sees the contract API and nothing of Node or ipcRenderer.
        const exposed = await window.evaluate(() => ({
          api: Object.keys((window as unknown as { virtdeck: { api: object } }).virtdeck.api),
          require: typeof (window as unknown as { require?: unknown }).require,
          process: typeof (window as unknown as { process?: unknown }).process,
        }));
        expect(exposed).toEqual({
          api: ['app', 'prefs'],
          require: 'undefined',
          process: 'undefined',
        });
      } finally {
        await app.close();
        await rm(configDir, { recursive: true, force: true });
      }
    },
  );
});
