import { test, expect } from './support/test.ts';
import { microphoneWav } from './support/speech.ts';
import { renderedSeconds, turnTimings } from './support/diagnostics.ts';

// Each speech recognition engine the app runs, on its same-layout fixture, through the whole
// cascade in Chromium (wasm): the real mic path, Silero VAD, the engine in the ASR worker, the LM
// and Kokoro. Whisper runs in every other voice test; this file covers the others.

const QUESTION = 'What is the capital of France?';

// A 6 s lead-in, as a user waits for "Listening": the file plays from getUserMedia, and in one
// clean-clone run (the suite's first test, cold caches) a 3 s lead-in lost the whole question.
test('Moonshine: a spoken question is transcribed, answered and spoken, and the latency panel names the engine', async ({ openApp }) => {
  const wav = microphoneWav([{ silence: 6 }, { speak: QUESTION }, { silence: 8 }]);
  const { page } = await openApp({ microphoneWav: wav, path: '/?asr=fixtures/moonshine-ask' });

  await expect(page.getByTestId('message-user').locator('.text')).toHaveText(QUESTION, { timeout: 150_000 });
  await expect(page.getByTestId('message-assistant').last().locator('.text')).toContainText('The capital of France is Paris.', { timeout: 60_000 });
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', 'listening', { timeout: 60_000 });
  expect(await renderedSeconds(page)).toBeGreaterThan(2);

  const [turn] = await turnTimings(page);
  expect(turn!.models.asr).toBe('fixtures/moonshine-ask');
  expect(turn!.backends.asr).toBe('wasm');
  await page.getByRole('button', { name: 'Details' }).click();
  await expect(page.getByTestId('latency-model-asr')).toHaveText('fixtures/moonshine-ask (wasm)');
  // One turn: the silence before and after the question was never transcribed into a message.
  await expect(page.getByTestId('message-user')).toHaveCount(1);
});

test('Parakeet TDT (parakeet.js): a spoken question is transcribed, answered and spoken; the engine shows in the panel', async ({ openApp }) => {
  const wav = microphoneWav([{ silence: 6 }, { speak: QUESTION }, { silence: 8 }]);
  const { page } = await openApp({ microphoneWav: wav, path: '/?asr=fixtures/parakeet-ask' });

  await expect(page.getByTestId('message-user').locator('.text')).toHaveText(QUESTION, { timeout: 150_000 });
  await expect(page.getByTestId('message-assistant').last().locator('.text')).toContainText('The capital of France is Paris.', { timeout: 60_000 });
  expect(await renderedSeconds(page)).toBeGreaterThan(2);
  const [turn] = await turnTimings(page);
  expect(turn!.models.asr).toBe('fixtures/parakeet-ask');
  await expect(page.getByTestId('message-user')).toHaveCount(1);
  await page.getByRole('button', { name: 'Details' }).click();
  await expect(page.getByTestId('latency-model-asr')).toHaveText('fixtures/parakeet-ask (wasm)');
  await page.keyboard.press('Escape');

  // Its files (no transformers.js configs: two graphs and the vocabulary) are the model store's
  // like any other model's: listed with their size, and deleted in one go.
  await page.getByRole('button', { name: 'Models' }).click();
  const manager = page.getByRole('dialog', { name: 'Models' });
  await expect(manager.getByTestId('cached-model').filter({ hasText: 'fixtures/parakeet-ask' })).toContainText('in 3 files');
  await manager.getByRole('button', { name: 'Delete fixtures/parakeet-ask' }).click();
  await expect(manager.getByRole('status')).toContainText('Deleted fixtures/parakeet-ask (3 files)');
});
