// Launches the built app in Electron. Our build machines cannot download Electron's binary,
// so when it is missing we say so in one line and how to get it, instead of letting
// electron's lazy downloader try (and hang on) the network.
import { existsSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));
const pathFile = path.join(electronDir, 'path.txt');
const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
const binary = override
  ? path.join(override, process.platform === 'win32' ? 'electron.exe' : 'electron')
  : existsSync(pathFile)
    ? path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
    : null;

if (!binary || !existsSync(binary)) {
  console.error(
    'VirtDeck: the Electron binary is missing — run `npx install-electron --no` on a machine with internet access (or set ELECTRON_OVERRIDE_DIST_PATH); `npm run web` serves the same UI in a browser without it.',
  );
  process.exit(1);
}

const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
