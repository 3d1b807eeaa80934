// Issue 16 item 3: the browser speech fallback. On a device with little memory (an init script
// gives navigator.deviceMemory = 0.5; WebGPU is off in these tests) the first-visit offer explains
// why and offers the browser's own speech, on this device; once chosen, only the language model is
// downloaded, and a spoken and a typed turn work: the browser recognises the microphone and speaks
// the reply. Headless Chromium has no speech engines, so a stand-in Web Speech API is installed
// (e2e/support/web-speech-stand-in.ts says how it behaves like the real one and why it can fail).
import type { Page } from '@playwright/test';
import { microphoneWav } from './support/speech.ts';
import { test, expect } from './support/test.ts';
import { installWebSpeechStandIn, type WebSpeechRecord } from './support/web-speech-stand-in.ts';

const QUESTION = 'What is the capital of France?';
/** The fixture language model's answer to anything. */
const REPLY =
  'The capital of France is Paris. It has been the capital for more than a thousand years, and about 2.1 million people live in the city itself. ' +
  'Would you like to hear about its museums, its food, or its history?';

function webSpeech(page: Page): Promise<WebSpeechRecord> {
  return page.evaluate(() => (window as unknown as { __webSpeech: WebSpeechRecord }).__webSpeech);
}

/** What the browser voice said, sentence by sentence, joined as the reply reads. */
async function spokenText(page: Page): Promise<string> {
  return (await webSpeech(page)).spoken.map((utterance) => utterance.text).join(' ');
}

test('on a low-memory device the browser speech is offered and, chosen, answers a spoken and a typed turn', async ({ openApp }) => {
  test.setTimeout(60_000);
  const wav = microphoneWav([{ silence: 2 }, { speak: QUESTION }, { silence: 40 }]);
  const { page } = await openApp({
    microphoneWav: wav,
    modelDownloadsApproved: false,
    beforeOpen: async ({ page: opened }) => {
      await opened.addInitScript(installWebSpeechStandIn, { transcripts: [QUESTION], deviceMemory: 0.5 });
    },
  });

  // The offer says why, and that it stays on the device.
  const offer = page.getByRole('group', { name: "Or use the browser's speech" });
  await expect(offer).toContainText('512 MB of memory');
  await expect(offer).toContainText('listen and speak by itself, on this device: your voice still never leaves it');
  await expect(offer).toContainText('Stand-in English (on device)');
  await offer.getByRole('button', { name: "Use the browser's speech (on this device)" }).click();

  // Only the language model's files come down: no speech recognition or synthesis download.
  await expect(page.getByTestId('download-asr')).toHaveCount(0);
  await expect(page.getByTestId('download-tts')).toHaveCount(0);

  // The spoken turn: the browser recognised the question on the microphone's track.
  await expect(page.getByTestId('message-user').first().locator('.text')).toHaveText(QUESTION, { timeout: 40_000 });
  await expect(page.getByTestId('message-assistant').first().locator('.text')).toHaveText(REPLY);
  await expect.poll(() => spokenText(page)).toBe(REPLY);
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', 'listening');

  // The typed turn, answered aloud by the browser voice too.
  await page.getByLabel('Type a message').fill('Hello there');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('message-user').nth(1).locator('.text')).toHaveText('Hello there');
  await expect(page.getByTestId('message-assistant').nth(1).locator('.text')).toHaveText(REPLY);
  await expect.poll(() => spokenText(page)).toBe(`${REPLY} ${REPLY}`);

  const record = await webSpeech(page);
  // Only the on-device voice spoke; every recognition ran on the device, on the microphone's track.
  expect(new Set(record.spoken.map((utterance) => utterance.voiceURI))).toEqual(new Set(['stand-in-local-en']));
  expect(record.sessions.length).toBeGreaterThan(0);
  expect(record.sessions.every((session) => session.processLocally && session.track === 'audio')).toBe(true);
  expect(record.installs).toEqual([{ langs: ['en-US'], processLocally: true }]);
  // One utterance, one result: the silence around it gave none.
  expect(record.results).toEqual([QUESTION]);

  // The model manager and the latency panel say what ran.
  await page.getByRole('button', { name: 'Models', exact: true }).click();
  await expect(page.getByTestId('catalogue-asr')).toContainText("The browser's own speech recognition, on this device");
  await expect(page.getByTestId('catalogue-tts')).toContainText("The browser's own speech synthesis, on this device");
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Details', exact: true }).click();
  await expect(page.getByTestId('latency-model-tts')).toHaveText('browser speech (on this device)');
  await page.keyboard.press('Escape');

  // Back to the models in Settings: the engines are chosen as the app starts, and it offers the restart.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings.getByRole('button', { name: /^Restart to use/ })).toHaveCount(0);
  await settings.getByRole('combobox', { name: 'Who listens and speaks' }).selectOption('models');
  await expect(settings.getByRole('button', { name: "Restart to use Hearth's models" })).toBeVisible();
});
