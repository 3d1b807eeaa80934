import type { Page } from '@playwright/test';

/** Resolves once the page's service worker has installed (precached everything) and activated. */
export async function waitForActiveServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (!worker || worker.state === 'activated') return;
    await new Promise<void>((resolve) => {
      worker.addEventListener('statechange', () => {
        if (worker.state === 'activated') resolve();
      });
    });
  });
}

/** Paths (no query) of everything in Workbox's precache. */
export async function precachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const names = (await caches.keys()).filter((name) => name.startsWith('workbox-precache'));
    const paths: string[] = [];
    for (const name of names) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
}

/** Every cache name with the paths it holds. */
export async function cachedPathsByCache(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const result: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      result[name] = (await cache.keys()).map((request) => new URL(request.url).pathname);
    }
    return result;
  });
}

/** Status of a same-origin GET made by the page (so it goes through the service worker). */
export async function fetchStatus(page: Page, path: string): Promise<number> {
  return page.evaluate(async (url) => {
    try {
      return (await fetch(url)).status;
    } catch {
      return 0;
    }
  }, path);
}
