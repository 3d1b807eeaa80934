// Installability and offline start (issue 4): Lighthouse 12 has no PWA category, so these browser
// tests check what it used to: the manifest and its icons, a service worker that controls the
// page, the app shell with the network off, the update offer, and WCAG 2.1 AA with axe-core.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ORT_RUNTIME, VAD_RUNTIME } from '../src/engines/runtime-paths.ts';
import { blockingViolations } from './support/axe.ts';
import { startByteCountingProxy } from './support/byte-counting-proxy.ts';
import { launchBrowser } from './support/browser.ts';
import { distDir } from './support/paths.ts';
import { startServer } from './support/server.ts';
import { microphoneWav } from './support/speech.ts';
import { expect, test } from './support/test.ts';
import { pngSize } from './pwa/png-size.ts';
import { cachedPathsByCache, fetchStatus, precachedPaths, waitForActiveServiceWorker } from './pwa/service-worker.ts';

interface ManifestImage {
  src: string;
  sizes: string;
  type?: string;
  purpose?: string;
  form_factor?: string;
}

interface WebAppManifest {
  id?: string;
  name?: string;
  short_name?: string;
  description?: string;
  start_url?: string;
  scope?: string;
  display?: string;
  theme_color?: string;
  background_color?: string;
  icons?: ManifestImage[];
  screenshots?: ManifestImage[];
}

/** Caches the libraries keep model weights in themselves (the service worker must not copy them). */
const LIBRARY_MODEL_CACHES = ['transformers-cache', 'kokoro-voices'];

const appHeading = (page: Page) => page.getByRole('heading', { level: 1, name: 'Hearth' });

async function manifestOf(page: Page): Promise<{ url: string; manifest: WebAppManifest }> {
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href, 'the page links a web app manifest').toBeTruthy();
  const url = new URL(href!, page.url()).href;
  const response = await page.request.get(url);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/manifest+json');
  return { url, manifest: (await response.json()) as WebAppManifest };
}

/** Fetches each image and checks it is a PNG of the size the manifest claims. */
async function expectPngsLoad(page: Page, manifestUrl: string, images: ManifestImage[]): Promise<void> {
  for (const image of images) {
    const response = await page.request.get(new URL(image.src, manifestUrl).href);
    expect(response.status(), image.src).toBe(200);
    expect(response.headers()['content-type'], image.src).toBe('image/png');
    const size = pngSize(await response.body());
    expect(size, `${image.src} is a PNG`).not.toBeNull();
    expect(`${size!.width}x${size!.height}`, image.src).toBe(image.sizes);
  }
}

test('the manifest is linked, complete, and its icons and screenshots load', async ({ openApp }) => {
  const { page } = await openApp();
  const { url, manifest } = await manifestOf(page);

  expect(manifest).toMatchObject({
    id: '/',
    name: 'Hearth — on-device voice assistant',
    short_name: 'Hearth',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    theme_color: '#1f2a44',
    background_color: '#f7f5f0',
  });
  expect(manifest.description?.length ?? 0).toBeGreaterThan(20);

  const icons = manifest.icons ?? [];
  const anyPurpose = icons.filter((icon) => (icon.purpose ?? 'any').split(' ').includes('any'));
  expect(anyPurpose.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  expect(icons.some((icon) => icon.purpose?.split(' ').includes('maskable') && icon.sizes === '512x512')).toBe(true);
  await expectPngsLoad(page, url, icons);

  const screenshots = manifest.screenshots ?? [];
  expect(screenshots.map((shot) => shot.form_factor).sort()).toEqual(['narrow', 'wide']);
  await expectPngsLoad(page, url, screenshots);

  // The agent dashboard is a separate page of the same app: it links the same manifest.
  await page.goto('/agent/');
  expect((await manifestOf(page)).url).toBe(url);
});

test('the service worker precaches the app and runtime files, not the models, and controls the page', async ({
  openApp,
}) => {
  const { page } = await openApp();
  await waitForActiveServiceWorker(page);
  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(appHeading(page)).toBeVisible();

  const precached = await precachedPaths(page);
  expect(precached).toEqual(
    expect.arrayContaining([
      '/index.html',
      '/manifest.webmanifest',
      '/icons/icon-192.png',
      `/${ORT_RUNTIME.dir}${ORT_RUNTIME.mjs}`,
      `/${ORT_RUNTIME.dir}${ORT_RUNTIME.wasm}`,
      `/${VAD_RUNTIME.dir}${VAD_RUNTIME.mjs}`,
      `/${VAD_RUNTIME.dir}${VAD_RUNTIME.wasm}`,
      `/${VAD_RUNTIME.dir}${VAD_RUNTIME.model}`,
    ]),
  );
  // Worker bundles are hashed files under /assets/ like the rest of the app's code.
  expect(precached.filter((path) => path.startsWith('/assets/') && path.endsWith('.js')).length).toBeGreaterThan(1);
  // What most devices never run stays on the network: the WebLLM worker (WebGPU devices keep it
  // on first use) and the agent dashboard.
  expect(precached.filter((path) => path.includes('webllm.worker') || path.startsWith('/agent/') || path.startsWith('/assets/agent-'))).toEqual([]);

  // Model files pass through the service worker: only the loading library may cache them.
  expect(await fetchStatus(page, '/models/manifest.json')).toBe(200);
  for (const [cacheName, paths] of Object.entries(await cachedPathsByCache(page))) {
    if (LIBRARY_MODEL_CACHES.includes(cacheName)) continue;
    expect(paths.filter((path) => path.startsWith('/models/')), cacheName).toEqual([]);
  }
});

test('a first visit moves at most 15 MB before any model, the runtimes in brotli', async ({ server }) => {
  // Bytes as the user's connection carries them, the service worker's precache included.
  const proxy = await startByteCountingProxy(server.url);
  const { page, close } = await launchBrowser(proxy.url, { denyMicrophone: true });
  try {
    await page.goto('/');
    await expect(page.getByRole('region', { name: 'Download the models' })).toBeVisible();
    await waitForActiveServiceWorker(page);
    await proxy.settled(2_000, 60_000);

    const transfers = proxy.transfers();
    const total = transfers.reduce((sum, transfer) => sum + transfer.bytes, 0);
    const largest = [...transfers].sort((a, b) => b.bytes - a.bytes).slice(0, 6);
    console.log(`first visit: ${(total / 1e6).toFixed(2)} MB in ${transfers.length} responses; largest: ${largest.map((t) => `${t.path} ${(t.bytes / 1e6).toFixed(2)} MB ${t.contentEncoding ?? 'identity'}`).join(', ')}`);

    const runtimes = transfers.filter((transfer) => transfer.path.endsWith('.wasm'));
    expect(runtimes.length, 'the onnxruntime wasm is part of the first visit').toBeGreaterThan(0);
    for (const runtime of runtimes) expect(runtime.contentEncoding, runtime.path).toBe('br');
    // No model weights before the user agrees, and no WebLLM worker on a device without WebGPU.
    expect(transfers.filter((transfer) => transfer.path.startsWith('/models/') && /\.(onnx|bin)$/.test(transfer.path))).toEqual([]);
    expect(transfers.filter((transfer) => transfer.path.includes('webllm.worker'))).toEqual([]);
    expect(total).toBeLessThanOrEqual(15_000_000);
  } finally {
    await close();
    await proxy.close();
  }
});

test('with the network off and the server stopped, a reload still shows the app', async () => {
  // Its own relay, so stopping it does not take the shared one from the other tests.
  const server = await startServer();
  const { page, context, close } = await launchBrowser(server.url);
  try {
    await page.goto('/');
    await waitForActiveServiceWorker(page);
    await page.reload();
    // Fetched once online through the service worker (NetworkFirst keeps the last answer).
    expect(await fetchStatus(page, '/api/v1/client-config')).toBe(200);

    await server.stop();
    await context.setOffline(true);

    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await expect(appHeading(page)).toBeVisible();
    // Precached pages keep the relay's COOP/COEP headers: multi-threaded wasm still works offline.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await fetchStatus(page, '/api/v1/client-config')).toBe(200);

    // A deep link gets the app shell (navigateFallback) ...
    const deepLink = await page.goto('/some/client/route');
    expect(deepLink?.fromServiceWorker()).toBe(true);
    await expect(appHeading(page)).toBeVisible();
    // ... while the agent dashboard (agents work at the relay; it is not precached) and API
    // paths are never answered with the app shell.
    await expect(page.goto('/agent/')).rejects.toThrow();
    await expect(page.goto('/api/v1/health')).rejects.toThrow();
  } finally {
    await close();
    await server.stop();
  }
});

test('a new version is offered, not forced: the page reloads only when the user accepts', async () => {
  // A copy of the build, so this test can "deploy" a new service worker without touching dist/.
  const deployDir = mkdtempSync(join(tmpdir(), 'hearth-deploy-'));
  cpSync(distDir, deployDir, { recursive: true });
  const server = await startServer({ RELAY_DIST_DIR: deployDir });
  // A silent microphone: the fake device's default beeps could start turns, which defer the offer.
  const { page, close } = await launchBrowser(server.url, { microphoneWav: microphoneWav([{ silence: 2 }]) });
  try {
    await page.goto('/');
    await waitForActiveServiceWorker(page);
    await page.reload();
    await expect(appHeading(page)).toBeVisible();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    // Deploy: any byte change in sw.js makes it a new version.
    const swPath = join(deployDir, 'sw.js');
    writeFileSync(swPath, `${readFileSync(swPath, 'utf8')}\n// redeployed ${Date.now()}\n`);
    // Stands for the conversation in progress: it survives until the user accepts.
    await page.evaluate(() => Object.assign(window, { __conversationInProgress: true }));
    await page.evaluate(async () => (await navigator.serviceWorker.ready).update());

    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toBeVisible();
    await expect(prompt).toContainText('new version');
    // The new worker waits; nothing has reloaded the page behind the user's back.
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).waiting !== null)).toBe(true);
    await page.waitForTimeout(1_000);
    expect(await page.evaluate(() => '__conversationInProgress' in window)).toBe(true);

    await Promise.all([page.waitForEvent('load'), prompt.getByRole('button', { name: 'Reload' }).click()]);
    await expect(appHeading(page)).toBeVisible();
    expect(await page.evaluate(() => '__conversationInProgress' in window)).toBe(false);
    const after = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return { controlled: navigator.serviceWorker.controller !== null, waiting: registration.waiting !== null };
    });
    expect(after).toEqual({ controlled: true, waiting: false });
    await expect(page.getByTestId('update-prompt')).toHaveCount(0);
  } finally {
    await close();
    await server.stop();
    rmSync(deployDir, { recursive: true, force: true });
  }
});

test('axe-core finds no serious or critical WCAG 2.1 AA violations on the voice app', async ({ openApp }) => {
  // The first visit's download offer, then the app with the model manager open.
  const { page } = await openApp({ modelDownloadsApproved: false });
  await expect(page.getByRole('region', { name: 'Download the models' })).toBeVisible();
  expect(await blockingViolations(page)).toEqual([]);
  await page.getByRole('button', { name: /^Download / }).click();
  await page.getByRole('button', { name: 'Models' }).click();
  await expect(page.getByRole('dialog', { name: 'Models' }).getByTestId('cached-model').first()).toBeVisible({ timeout: 90_000 });
  expect(await blockingViolations(page)).toEqual([]);
});
