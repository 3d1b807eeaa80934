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

// On WebGPU (SwiftShader here), where the plan puts Parakeet: parakeet.js runs on the onnxruntime
// build transformers.js uses (its WebGPU execution provider); its wasm path is in the unit tests.
test('Parakeet TDT (parakeet.js) on WebGPU: a spoken question is transcribed, answered and spoken; the engine shows in the panel', async ({ openApp }) => {
  const wav = microphoneWav([{ silence: 6 }, { speak: QUESTION }, { silence: 8 }]);
  const { page } = await openApp({ microphoneWav: wav, webgpu: true, path: '/?asr=fixtures/parakeet-ask&backend=webgpu' });

  await expect(page.getByTestId('message-user').locator('.text')).toHaveText(QUESTION, { timeout: 150_000 });
  await expect(page.getByTestId('message-assistant').last().locator('.text')).toContainText('The capital of France is Paris.', { timeout: 60_000 });
  expect(await renderedSeconds(page)).toBeGreaterThan(2);
  const [turn] = await turnTimings(page);
  expect(turn!.models.asr).toBe('fixtures/parakeet-ask');
  await expect(page.getByTestId('message-user')).toHaveCount(1);
  await page.getByRole('button', { name: 'Details' }).click();
  await expect(page.getByTestId('latency-model-asr')).toHaveText('fixtures/parakeet-ask (webgpu)');
  await page.keyboard.press('Escape');

  // Its files (no transformers.js configs: two graphs and the vocabulary) are the model store's
  // like any other model's: listed with their size, and deleted in one go.
  await page.getByRole('button', { name: 'Models' }).click();
  const manager = page.getByRole('dialog', { name: 'Models' });
  await expect(manager.getByTestId('cached-model').filter({ hasText: 'fixtures/parakeet-ask' })).toContainText('in 3 files');
  await manager.getByRole('button', { name: 'Delete fixtures/parakeet-ask' }).click();
  await expect(manager.getByRole('status')).toContainText('Deleted fixtures/parakeet-ask (3 files)');
});

// Some 2026 q8 exports fail to load in onnxruntime ("Missing required scale"). This fixture's q8
// decoder is such a graph (onnxruntime refuses it); its fp32 files are sound.
test('a speech recognizer whose q8 build onnxruntime refuses runs its fp32 build instead, with a notice', async ({ openApp }) => {
  const wav = microphoneWav([{ silence: 6 }, { speak: QUESTION }, { silence: 8 }]);
  const { page } = await openApp({ microphoneWav: wav, path: '/?asr=fixtures/moonshine-ask-refused-q8' });

  await expect(page.getByRole('status').filter({ hasText: 'The compact build (fp32/q8) of speech recognition could not be loaded' })).toContainText(
    "Node input 'embed_tokens.weight_scale' is not a graph input",
    { timeout: 150_000 },
  );
  await expect(page.getByTestId('message-user').locator('.text')).toHaveText(QUESTION, { timeout: 150_000 });
  await expect(page.getByTestId('message-assistant').last().locator('.text')).toContainText('The capital of France is Paris.', { timeout: 60_000 });

  // The model manager shows the build the stage now runs, its files on the device.
  await page.getByRole('button', { name: 'Models' }).click();
  const asrInUse = page.getByRole('dialog', { name: 'Models' }).getByTestId('catalogue-asr');
  await expect(asrInUse).toContainText('fixtures/moonshine-ask-refused-q8 (fp32)');
  await expect(asrInUse).toContainText('on this device');
});
