import type { PluginOption } from 'vite';
import { VitePWA, type ManifestOptions } from 'vite-plugin-pwa';
import type { RuntimeCaching } from 'workbox-build';
import { manifestScreenshots } from './screenshot-specs.ts';

// The installable-app half of the build: the web app manifest and a Workbox service worker
// (generateSW) that precaches everything the app needs to start and run a voice conversation
// with the network off. Model weights are the exception: transformers.js ('transformers-cache')
// and kokoro-js ('kokoro-voices') keep them in Cache Storage themselves, so /models/ requests
// pass through the service worker untouched instead of being stored twice.

export const THEME_COLOR = '#1f2a44';
export const BACKGROUND_COLOR = '#f7f5f0';

export const manifest: Partial<ManifestOptions> = {
  id: '/',
  name: 'Hearth — on-device voice assistant',
  short_name: 'Hearth',
  description:
    'A private voice assistant that runs entirely on your device: speech recognition, the language model and the voice all run in the browser, and keep working offline.',
  lang: 'en',
  dir: 'ltr',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  theme_color: THEME_COLOR,
  background_color: BACKGROUND_COLOR,
  categories: ['productivity', 'utilities'],
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
  // Shown by Chrome's richer install dialog; captured from the real app by tools/pwa/screenshots.ts.
  screenshots: manifestScreenshots(),
};

/**
 * Largest file the service worker may precache. onnxruntime's wasm binaries under /runtime/ are
 * 14-27 MB each and the app cannot start offline without them; Workbox's default (2 MiB) would
 * silently leave them out (vite-plugin-pwa turns that into a build error).
 */
export const MAX_PRECACHE_FILE_BYTES = 48 * 1024 * 1024;

/** Navigations that must reach the server (or their own page), never the voice app's index.html. */
export const NAVIGATE_FALLBACK_DENYLIST = [
  /^\/api\//,
  /^\/models\//,
  /^\/runtime\//,
  // The agent dashboard is its own page (agent/index.html, from the network: see NOT_PRECACHED).
  /^\/agent(?:\/|$)/,
];

/**
 * Precached files that most devices never use, left to the network: the WebLLM worker (6.6 MB;
 * only WebGPU devices run it, and they are online when they download its model anyway) and the
 * agent dashboard's page, script and styles (agents work online, at the relay).
 */
export const NOT_PRECACHED = ['assets/webllm.worker-*.js', 'agent/**', 'assets/agent-*'];

const runtimeCaching: RuntimeCaching[] = [
  {
    // Kept on first use, so WebLLM still starts offline on the devices that run it. Its name is
    // content-hashed: an update fetches the new one, and only the newest two are kept.
    urlPattern: /\/assets\/webllm\.worker-[\w-]+\.js$/,
    method: 'GET',
    handler: 'CacheFirst',
    options: { cacheName: 'hearth-webllm-worker', expiration: { maxEntries: 2 }, cacheableResponse: { statuses: [200] } },
  },
  {
    // The app reads its model source from here at start; the last answer lets it start offline.
    urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname === '/api/v1/client-config',
    method: 'GET',
    handler: 'NetworkFirst',
    options: {
      cacheName: 'hearth-client-config',
      // A dead or captive network should not hold the app's start for long.
      networkTimeoutSeconds: 4,
      cacheableResponse: { statuses: [200] },
    },
  },
];

export function hearthPwa(): PluginOption {
  return VitePWA({
    strategies: 'generateSW',
    // A new version waits until the user accepts the offer (src/app/pwa/): never mid-conversation.
    registerType: 'prompt',
    // src/app/pwa/ registers the worker with workbox-window; the relay's CSP forbids inline scripts.
    injectRegister: false,
    manifest,
    // The icons are matched by globPatterns below; listing them twice would duplicate entries.
    includeManifestIcons: false,
    workbox: {
      // The manifest itself is added by vite-plugin-pwa.
      globPatterns: ['**/*.{html,js,mjs,css,wasm,onnx,json,svg,png,ico,woff2}'],
      // Screenshots are only for the install dialog, which fetches them from the network.
      globIgnores: ['screenshots/**', ...NOT_PRECACHED],
      maximumFileSizeToCacheInBytes: MAX_PRECACHE_FILE_BYTES,
      navigateFallback: 'index.html',
      navigateFallbackDenylist: NAVIGATE_FALLBACK_DENYLIST,
      runtimeCaching,
      cleanupOutdatedCaches: true,
      // The first install takes the open page at once so it works offline without a reload; an
      // update still waits (skipWaiting stays off) until the user accepts it.
      clientsClaim: true,
      skipWaiting: false,
    },
  });
}
