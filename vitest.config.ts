import { defineConfig } from 'vitest/config';
import { ONE_ORT_ALIAS } from './tools/vite/runtime-assets.ts';

// Unit tests live beside the code they test; browser tests live in e2e/ and run under Playwright.
export default defineConfig({
  // As in the app: parakeet.js's bare onnxruntime-web import is the build the Parakeet engine configures.
  resolve: { alias: ONE_ORT_ALIAS },
  test: {
    server: { deps: { inline: ['parakeet.js'] } },
    include: ['src/**/*.test.ts', 'relay/**/*.test.ts', 'tools/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
