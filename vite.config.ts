import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { runtimeAssets } from './tools/vite/runtime-assets.ts';
import { hearthPwa } from './tools/pwa/vite-pwa.ts';
import { precompress } from './tools/vite/precompress.ts';

// The app must be cross-origin isolated (SharedArrayBuffer => multi-threaded onnxruntime wasm).
// The relay sends the same headers in production; these cover `vite dev` and `vite preview`.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // precompress() last: it compresses what the others wrote, the service worker included.
  plugins: [react(), runtimeAssets(), hearthPwa(), precompress()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // Model runtimes (onnxruntime, transformers.js, the phonemizer) are large by nature.
    chunkSizeWarningLimit: 8000,
    rollupOptions: {
      input: {
        app: resolve(import.meta.dirname, 'index.html'),
        agent: resolve(import.meta.dirname, 'agent/index.html'),
      },
    },
  },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
});
