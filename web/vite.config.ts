import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// No React plugin: @vitejs/plugin-react 6 needs vite 8, which vitest 3 does not accept yet.
// esbuild's automatic JSX runtime is all the build needs (no fast refresh in dev).
export default defineConfig({
  root,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // Two pages: the team app, and the debtor portal served at /portal/<token>.
      input: { main: `${root}index.html`, portal: `${root}portal.html` },
      // React Server Components' "use client" markers mean nothing in a client-only bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' || warning.code === 'SOURCEMAP_ERROR') return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/portal-api': 'http://127.0.0.1:3000' } },
});
