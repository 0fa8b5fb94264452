import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Backend the dev server proxies API calls to (`vite --config packages/app/vite.config.ts`). */
const backendUrl = process.env.RACINE_BACKEND_URL ?? 'http://localhost:7007';

export default defineConfig(({ mode }) => ({
  root,
  base: '/',
  publicDir: 'public',
  // esbuild's automatic JSX runtime; no React plugin needed for a production build. jsxDev
  // is tied to the mode, not to NODE_ENV, so a build started with NODE_ENV=test (e.g. from
  // vitest) does not emit jsxDEV calls that React's production runtime lacks.
  esbuild: { jsx: 'automatic', jsxDev: mode === 'development' },
  define: {
    // Backstage and MUI packages read process.env.NODE_ENV, which browsers do not have.
    'process.env.NODE_ENV': JSON.stringify(mode === 'development' ? 'development' : 'production'),
    // Some CommonJS dependencies still reference Node's `global`.
    global: 'globalThis',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      onwarn(warning, warn) {
        // MUI v5 and framer-motion mark modules "use client"; meaningless in a SPA bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: backendUrl, changeOrigin: true },
      '/racine': { target: backendUrl, changeOrigin: true },
    },
  },
}));
