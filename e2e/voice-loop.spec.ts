import { test, expect } from './support/test.ts';
import { microphoneWav } from './support/speech.ts';

// The whole cascade in Chromium on the wasm backend with the fixture models: the real mic path
// (fake device fed by a WAV), Silero VAD, Whisper, the chat LM and Kokoro in their workers.

test('a spoken question is transcribed, answered in a stream and played aloud', async ({ openApp }) => {
  const wav = microphoneWav([{ silence: 1.5 }, { speak: 'What is the capital of France?' }, { silence: 8 }]);
  const { page } = await openApp({ microphoneWav: wav });

  await expect(page.getByTestId('message-user')).toHaveText(/What is the capital of France\?/, { timeout: 90_000 });
  await expect(page.getByTestId('message-assistant').last()).toContainText('The capital of France is Paris.', { timeout: 60_000 });
  await expect(page.getByTestId('message-assistant').last()).toContainText('its museums, its food, or its history?');
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', 'listening', { timeout: 30_000 });

  const rendered = await page.evaluate(() => window.hearthDiagnostics!.renderedFrames());
  const rate = await page.evaluate(() => window.hearthDiagnostics!.outputSampleRate()!);
  // The fixture voice speaks 70 ms per phoneme token: a three-sentence reply is several seconds.
  expect(rendered / rate).toBeGreaterThan(3);

  const [turn] = await page.evaluate(() => window.hearthDiagnostics!.turns());
  expect(turn).toBeDefined();
  const marks = turn!.marks;
  console.log(JSON.stringify(turn));
  // Streaming: the first sentence was audible before the model had written the whole reply.
  expect(marks.firstAudioAudible!).toBeLessThan(marks.llmDone!);
  expect(marks.speechEnd!).toBeLessThan(marks.transcriptFinal!);
  expect(marks.transcriptFinal!).toBeLessThan(marks.llmFirstToken!);
  await expect(page.getByTestId('latency-voiceToVoice')).toHaveText(/\d+ ms/);
});
