import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Run from the repository root: `vite build --config web/vite.config.ts` writes web/dist,
// which the server serves; `vite --config web/vite.config.ts` proxies the API to a local
// `mailroom serve` on port 3000.
const backend = 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Source maps only when asked for (issue 8 item 8): `MAILROOM_WEB_SOURCEMAPS=true npm run build`.
    // Otherwise none are written, so none can be served.
    sourcemap: process.env.MAILROOM_WEB_SOURCEMAPS === 'true',
    rolldownOptions: {
      output: {
        // Vendor code changes far less often than ours: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/,
              priority: 4,
            },
            // The date pickers and dayjs (with its Polish locale) serve few pages: in a chunk of their
            // own they load with those pages, not on first load. Below Mantine's priority, or the group
            // pulls in the core components they use; scripts only (their CSS loads with Mantine's, so
            // the first-load group must not take them either).
            {
              name: 'dates',
              test: /node_modules[\\/](@mantine[\\/]dates|dayjs)[\\/].*\.[cm]?js$/,
              priority: 2,
            },
            {
              name: 'mantine',
              test: /node_modules[\\/](@mantine[\\/](?!dates)|@floating-ui|react-remove-scroll|react-number-format)/,
              priority: 3,
            },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/healthz': { target: backend, changeOrigin: false },
    },
  },
});
