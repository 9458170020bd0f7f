import { fileURLToPath } from 'node:url';
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from '../package.json' with { type: 'json' };

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Main-process code, the preload and the Node-only entry points (web host, vdctl) are built
// as CommonJS: Electron's sandboxed preload must be CJS, and one format keeps them alike.
// Dependencies stay external (node_modules ships with the app); our own code is bundled.
const external = [
  'electron',
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies),
];

export default defineConfig({
  build: {
    ssr: true,
    outDir: r('../dist/electron'),
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rollupOptions: {
      input: {
        main: r('../electron/main.ts'),
        web: r('../electron/web/web-cli.ts'),
        vdctl: r('../electron/vdctl/vdctl.ts'),
      },
      external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)),
      output: {
        format: 'cjs',
        entryFileNames: '[name].cjs',
        chunkFileNames: 'chunks/[name]-[hash].cjs',
      },
    },
  },
});
