import { test as base } from '@playwright/test';
import { launchBrowser, type LaunchOptions, type LaunchedBrowser } from './browser.ts';
import { startServer, type RunningServer } from './server.ts';
import type { Settings } from '../../src/stores/settings-store.ts';

interface AppOptions {
  /** Path (and query) to open; `/` by default. */
  path?: string;
  /** Saved settings the app finds on first load, as if the user had set them before. */
  settings?: Partial<Settings>;
  /**
   * The user agreed to the model download on an earlier visit (true by default, so tests start
   * with the models loading); false shows the first-visit download offer.
   */
  modelDownloadsApproved?: boolean;
  /** Runs after Chromium starts and before the app opens (routes, init scripts, listeners). */
  beforeOpen?: (launched: LaunchedBrowser) => Promise<void>;
}

interface WorkerFixtures {
  /** The relay serving the built app and the fixture models, shared by a file's tests. */
  server: RunningServer;
}

interface TestFixtures {
  /** Launches Chromium (fake microphone from a WAV, if given) at the server; closed after the test. */
  openApp: (options?: LaunchOptions & AppOptions) => Promise<LaunchedBrowser>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  server: [
    async ({}, use) => {
      const server = await startServer();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  openApp: async ({ server }, use, testInfo) => {
    const opened: LaunchedBrowser[] = [];
    await use(async (options = {}) => {
      const launched = await launchBrowser(server.url, options);
      opened.push(launched);
      launched.page.on('console', (message) => {
        if (message.type() === 'error' || process.env.E2E_CONSOLE) {
          console.log(`[browser ${message.type()}] ${message.text()}`);
        }
      });
      launched.page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
      await options.beforeOpen?.(launched);
      const saved = { modelDownloadsApproved: options.modelDownloadsApproved ?? true, ...options.settings };
      // The shape zustand's persist middleware stores under the settings key; written only when
      // absent, so what the test changes in the app survives a reload.
      await launched.page.addInitScript((state) => {
        if (localStorage.getItem('hearth-settings') === null) localStorage.setItem('hearth-settings', JSON.stringify({ state, version: 1 }));
      }, saved);
      await launched.page.goto(options.path ?? '/');
      return launched;
    });
    for (const launched of opened) {
      if (testInfo.status !== testInfo.expectedStatus) {
        await launched.page
          .screenshot({ path: testInfo.outputPath('failure.png'), fullPage: true })
          .catch(() => undefined);
      }
      await launched.close();
    }
  },
});

export { expect } from '@playwright/test';
