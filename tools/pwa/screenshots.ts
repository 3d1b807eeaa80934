// `npm run screenshots`: captures the manifest's screenshots (public/screenshots/) from the real,
// built app served by the relay with fixture models. Rerun after visible UI changes, then commit
// the PNGs. Needs a build (`npm run build`) and fixtures (`npm run fixtures`).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumPath } from '../../e2e/support/browser.ts';
import { repoRoot } from '../../e2e/support/paths.ts';
import { startServer } from '../../e2e/support/server.ts';
import { SCREENSHOTS } from './screenshot-specs.ts';

/** How long the fixture models may take to load before the shot is taken anyway. */
const LOAD_TIMEOUT_MS = 90_000;
/** After loading, a moment more for the UI to settle into its final look. */
const SETTLE_MS = 1_000;

const server = await startServer();
const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  // The app opens the microphone at start; a fake device keeps it from showing an error state.
  args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--disable-webgpu'],
});
try {
  for (const shot of SCREENSHOTS) {
    const context = await browser.newContext({
      viewport: shot.viewport,
      deviceScaleFactor: shot.deviceScaleFactor,
      permissions: ['microphone'],
      // Screenshots show the app as a visitor sees it, without the update offer.
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    // A returning visitor: the models were agreed to (the first-visit offer is not the app).
    await page.addInitScript(() => localStorage.setItem('hearth-settings', JSON.stringify({ state: { modelDownloadsApproved: true }, version: 2 })));
    await page.goto(server.url, { waitUntil: 'networkidle' });
    await page.getByRole('heading', { level: 1, name: 'Hearth' }).waitFor();
    // Show the app ready to talk, not its progress bars.
    await page
      .locator('[data-testid="pipeline-state"]:not([data-state="loading"])')
      .waitFor({ timeout: LOAD_TIMEOUT_MS })
      .catch(() => console.warn(`models still loading after ${LOAD_TIMEOUT_MS} ms; taking the shot anyway`));
    // A short exchange, so the shot shows a conversation rather than an empty page.
    await page.getByRole('textbox', { name: 'Type a message' }).fill('What is the capital of France?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .getByTestId('message-assistant')
      .waitFor({ timeout: LOAD_TIMEOUT_MS })
      .then(() => page.locator('[data-testid="pipeline-state"][data-state="listening"]').waitFor({ timeout: LOAD_TIMEOUT_MS }))
      .catch(() => console.warn('the reply did not finish in time; taking the shot anyway'));
    // Notices about this headless machine (no WebGPU) say nothing about the app to a visitor.
    for (const dismiss of await page.getByRole('button', { name: 'Dismiss message' }).all()) await dismiss.click();
    // The pointer would leave a hover highlight on whatever moved under it.
    await page.mouse.move(0, 0);
    await page.waitForTimeout(SETTLE_MS);
    const out = resolve(repoRoot, 'public', shot.path);
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    console.log(`wrote ${out}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
