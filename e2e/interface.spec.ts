// The conversation screen as a user meets it (issue 14): panels over the conversation, never
// beside it; notices that cover no control; a visual that follows the voice and the reply; both
// themes accessible. Fixture models on wasm, at a laptop's and a phone's size.
import type { Page } from '@playwright/test';
import { blockingViolations } from './support/axe.ts';
import { coveredControls } from './support/layout.ts';
import { microphoneWav } from './support/speech.ts';
import { expect, test } from './support/test.ts';

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];
const PANELS = ['Conversations', 'Models', 'Settings', 'Details'] as const;

const conversationBox = (page: Page) => page.getByRole('region', { name: 'Conversation' }).boundingBox();

async function openPanel(page: Page, name: (typeof PANELS)[number]) {
  await page.getByRole('button', { name, exact: true }).click();
  const panel = page.getByRole('dialog', { name });
  await expect(panel).toBeVisible();
  // Let the sheet or drawer settle and the model manager finish its first listing.
  await page.waitForTimeout(300);
  return panel;
}

test('panels and notices cover no control and leave the conversation its size; every panel passes axe in both themes', async ({ openApp }) => {
  // A denied microphone gives a notice that stays (it asks the user to type instead).
  const { page } = await openApp({ denyMicrophone: true });
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', /idle|listening/, { timeout: 90_000 });
  await expect(page.getByText(/Microphone access was denied/)).toBeVisible();

  for (const theme of ['Light', 'Dark'] as const) {
    // The theme setting itself, as a user would change it.
    await openPanel(page, 'Settings');
    await page.getByLabel('Appearance').selectOption({ label: theme });
    await page.keyboard.press('Escape');
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme.toLowerCase());

    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(300);
      const where = `${theme} ${viewport.width}x${viewport.height}`;
      const before = await conversationBox(page);
      expect(await coveredControls(page), `${where}, no panel`).toEqual([]);

      for (const name of PANELS) {
        const opener = page.getByRole('button', { name, exact: true });
        await openPanel(page, name);
        await expect(page.getByTestId('notice-warning')).toBeVisible();
        expect(await coveredControls(page), `${where}, ${name} open`).toEqual([]);
        expect(await conversationBox(page), `${where}: the conversation keeps its size with ${name} open`).toEqual(before);
        expect(await blockingViolations(page), `${where}, ${name} open`).toEqual([]);
        await page.keyboard.press('Escape');
        await expect(page.getByRole('dialog')).toHaveCount(0);
        // Focus goes back to the button that opened the panel.
        await expect(opener).toBeFocused();
      }
    }
  }
  // Dark really is dark: the page background's lightness, not only the attribute.
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = background.match(/\d+/g)!.map(Number);
  expect(r! + g! + b!, background).toBeLessThan(150);
});

/** The visual's levels and the pipeline state, sampled in the page every 50 ms from now on. */
async function sampleVisual(page: Page) {
  await page.evaluate(() => {
    const samples: { state: string; input: number; output: number }[] = [];
    (window as unknown as { visualSamples: typeof samples }).visualSamples = samples;
    setInterval(() => {
      const visual = document.querySelector<HTMLElement>('[data-testid="voice-visual"]');
      const state = document.querySelector<HTMLElement>('[data-testid="pipeline-state"]')?.dataset.state ?? '';
      if (visual) samples.push({ state, input: Number(visual.dataset.inputLevel), output: Number(visual.dataset.outputLevel)});
    }, 50);
  });
  return async () => {
    const samples = await page.evaluate(() => (window as unknown as { visualSamples: { state: string; input: number; output: number }[] }).visualSamples);
    const peak = (state: string, key: 'input' | 'output') => Math.max(0, ...samples.filter((s) => s.state === state).map((s) => s[key]));
    return { samples, peak };
  };
}

test('the voice visual rises with the microphone while the user speaks and with the reply while it plays', async ({ openApp }) => {
  const wav = microphoneWav([{ silence: 6 }, { speak: 'What is the capital of France?' }, { silence: 8 }]);
  const { page } = await openApp({ microphoneWav: wav });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', 'listening', { timeout: 90_000 });
  const read = await sampleVisual(page);

  await expect(page.getByTestId('message-assistant').last().locator('.text')).toContainText('Paris', { timeout: 120_000 });
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', 'listening', { timeout: 60_000 });
  const { samples, peak } = await read();
  const quiet = samples.filter((s) => s.state === 'listening').slice(0, 10);
  expect(quiet.length, 'sampled while listening before the question').toBeGreaterThan(0);
  // Silence reads near zero; the voice reads well above it (a -60..0 dBFS scale).
  expect(Math.max(...quiet.map((s) => s.input))).toBeLessThan(0.2);
  expect(peak('hearing', 'input')).toBeGreaterThan(0.4);
  expect(peak('speaking', 'output')).toBeGreaterThan(0.4);
  // Reduced motion: the orb does not grow or shrink with the level.
  expect(await page.locator('.orb-core').evaluate((element) => getComputedStyle(element).transform)).toBe('none');
});
