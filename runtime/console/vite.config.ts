/**
 * The console's build: Preact and Chart.js bundled into static files under `dist/`, which the
 * server serves at `/console/`. Nothing is fetched at run time: every asset is local.
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // no inline scripts or data URLs: the server's content security policy allows only 'self'
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 400,
  },
  logLevel: 'warn',
})
