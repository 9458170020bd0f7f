// Builds the renderer and the main-process bundles with Vite, in that order, failing on the
// first error. Kept as a script so `npm run build` is one command on every platform.
import { build } from 'vite';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

await build({ configFile: here('../renderer/vite.config.ts'), logLevel: 'warn' });
await build({ configFile: here('./vite.electron.config.ts'), logLevel: 'warn' });
console.log('VirtDeck built into dist/');
