import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** GeoJSON (the basemap) is imported as data, parsed once at load rather than compiled as a JS literal. */
const geojson = (): Plugin => ({
  name: 'watchfloor-geojson',
  transform(code, id) {
    if (!id.endsWith('.geojson')) return null;
    return { code: `export default JSON.parse(${JSON.stringify(code)});`, map: null };
  },
});

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react(), geojson()],
  // No CSP <meta> here: the shell (app:// protocol) and the e2e harness send one header,
  // CONTENT_SECURITY_POLICY from main/app/csp.ts, so the bundle is tested under the real policy.
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    // Everything is a file next to index.html: no inline scripts, no data: URLs for scripts.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
  // The clustering worker is an ES module worker (new Worker(url, { type: 'module' })).
  worker: { format: 'es' },
  server: {
    fs: { allow: [repoRoot] },
  },
});
