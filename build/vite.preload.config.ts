import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// A sandboxed preload may require only 'electron': everything else (the contract, zod) is
// bundled into this one file, so it gets its own pass instead of sharing chunks with main.
export default defineConfig({
  ssr: { noExternal: true },
  build: {
    ssr: true,
    outDir: r('../dist/electron'),
    emptyOutDir: false,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rollupOptions: {
      input: { preload: r('../electron/preload.ts') },
      external: ['electron'],
      output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
    },
  },
});
