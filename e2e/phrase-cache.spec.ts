import type { Page } from '@playwright/test';
import { fixedAnnouncements } from '../src/handoff/announcements.ts';
import { phraseSentences } from '../src/voice/phrase-cache/phrase-cache.ts';
import { parsePhraseKey, PHRASE_AUDIO_CACHE, type PhraseEntry } from '../src/voice/phrase-cache/phrase-key.ts';
import { renderedSeconds, ttsCalls } from './support/diagnostics.ts';
import { microphoneWav } from './support/speech.ts';
import { test, expect } from './support/test.ts';

// The phrase audio cache in the real app: the handoff announcements are synthesised by the real
// Kokoro worker at idle time after the models load, kept in Cache Storage, and played from
// there; a new voice evicts them and makes them again.

const CONNECTING = 'Connecting you to a person…';
const RETURNED = "You're back with the assistant.";
/** Every sentence of the fixed announcements, as the speech pipeline speaks them. */
const SENTENCES = phraseSentences(fixedAnnouncements).size;

/** What Cache Storage holds, read in the page as any site's script could. */
async function storedPhrases(page: Page): Promise<PhraseEntry[]> {
  const urls = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((request) => request.url), PHRASE_AUDIO_CACHE);
  return urls.map((url) => parsePhraseKey(url)!);
}

async function storedVoices(page: Page): Promise<string[]> {
  return [...new Set((await storedPhrases(page)).map((entry) => entry.voice))];
}

/** Waits for `text` to be served from the cache in `voice`, then for its audio to be played. */
async function heardFromCache(page: Page, text: string, voice: string, since: { calls: number; seconds: number }) {
  await expect.poll(async () => (await ttsCalls(page)).slice(since.calls).some((call) => call.text === text && call.from === 'phrase-cache')).toBe(true);
  const calls = (await ttsCalls(page)).slice(since.calls);
  const hit = calls.find((call) => call.text === text)!;
  expect(hit).toMatchObject({ voice, purpose: 'speech' });
  // Played: the player rendered (nearly) all of the stored audio after it was handed over.
  await expect.poll(async () => (await renderedSeconds(page)) - since.seconds, { timeout: 15_000 }).toBeGreaterThan(hit.seconds! * 0.9);
  return calls;
}

async function mark(page: Page) {
  return { calls: (await ttsCalls(page)).length, seconds: await renderedSeconds(page) };
}

test('the handoff announcement plays from the phrase cache with no synthesis call, and a new voice replaces the cached audio', async ({ openApp }) => {
  // Silence at the microphone: no turn of the caller's competes with the fill.
  const { page } = await openApp({ microphoneWav: microphoneWav([{ silence: 120 }]) });
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', 'listening', { timeout: 150_000 });

  // The fill after the models loaded: every sentence once, in the voice in use, by the TTS worker.
  await expect.poll(async () => (await storedPhrases(page)).length, { timeout: 60_000 }).toBe(SENTENCES);
  expect(await storedVoices(page)).toEqual(['af_heart']);
  const prefills = (await ttsCalls(page)).filter((call) => call.purpose === 'prefill');
  expect(prefills).toHaveLength(SENTENCES);

  const beforeHandoff = await mark(page);
  await page.getByRole('button', { name: 'Talk to a person' }).click();
  await expect(page.getByTestId('message-assistant').last().locator('.text')).toHaveText(CONNECTING);
  const handoffCalls = await heardFromCache(page, CONNECTING, 'af_heart', beforeHandoff);
  // Nothing reached the TTS engine: no synthesis for the announcement (nor anything else).
  expect(handoffCalls.filter((call) => call.from === 'engine')).toEqual([]);

  // Another voice: the old voice's audio is deleted and the announcements are made again in the new one.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('dialog', { name: 'Settings' }).getByRole('combobox', { name: 'Voice', exact: true }).selectOption('af_bella');
  await page.keyboard.press('Escape');
  await expect.poll(async () => storedVoices(page), { timeout: 60_000 }).toEqual(['af_bella']);
  await expect.poll(async () => (await storedPhrases(page)).length, { timeout: 60_000 }).toBe(SENTENCES);

  // Back with the assistant, said from the new voice's cached audio.
  const beforeReturn = await mark(page);
  await page.getByRole('button', { name: 'Back to the assistant' }).click();
  const returnCalls = await heardFromCache(page, RETURNED, 'af_bella', beforeReturn);
  expect(returnCalls.filter((call) => call.from === 'engine' && call.purpose === 'speech')).toEqual([]);
});
