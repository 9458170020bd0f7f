import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import vuetify from 'vite-plugin-vuetify';

const root = fileURLToPath(new URL('.', import.meta.url));

// The renderer is one static bundle served unchanged by Electron (app:// protocol) and by the
// web host, so it uses relative asset paths and loads nothing from outside.
export default defineConfig({
  root,
  base: './',
  plugins: [vue(), vuetify({ autoImport: true })],
  // vue-i18n's compile-time switches: Composition API only, no devtools hooks in the bundle.
  define: {
    __VUE_I18N_LEGACY_API__: false,
    __VUE_I18N_FULL_INSTALL__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  resolve: {
    alias: { '@shared': fileURLToPath(new URL('../shared', import.meta.url)) },
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
});
