// Builds the renderer, the main-process bundles and the sandboxed preload with Vite, in that
// order, failing on the first error. A script so `npm run build` is one command everywhere.
import { build } from 'vite';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

await build({ configFile: here('../renderer/vite.config.ts'), logLevel: 'warn' });
await build({ configFile: here('./vite.electron.config.ts'), logLevel: 'warn' });
await build({ configFile: here('./vite.preload.config.ts'), logLevel: 'warn' });
console.log('VirtDeck built into dist/');
