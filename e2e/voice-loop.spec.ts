import { test, expect } from './support/test.ts';
import { microphoneWav } from './support/speech.ts';
import { bargeIns, renderedSeconds, turnTimings } from './support/diagnostics.ts';
import { deriveDurations } from '../src/metrics/turn-timing.ts';

// The whole cascade in Chromium on the wasm backend with the fixture models: the real mic path
// (fake device fed by a WAV), Silero VAD, Whisper, the chat LM and Kokoro in their workers.

const QUESTION = 'What is the capital of France?';
const LONG_QUESTION = 'I would like to ask you a rather long question about the capital of France and its history, its people, and its food.';
const REPLY =
  'The capital of France is Paris. It has been the capital for more than a thousand years, and about 2.1 million people live in the city itself. ' +
  'Would you like to hear about its museums, its food, or its history?';

test('a spoken question is transcribed, answered in a stream and played aloud', async ({ openApp }) => {
  const wav = microphoneWav([{ silence: 3 }, { speak: QUESTION }, { silence: 8 }]);
  // The paced LM spends real compute on every token, as a real model does, so the reply takes
  // long enough to write that streaming (speaking sentence 1 while writing the rest) shows.
  const { page } = await openApp({ microphoneWav: wav, path: '/?llm=fixtures/chat-lm-paced' });

  // The first test of the file loads the models from a cold cache: on a busy 2-core machine that
  // alone can take over a minute.
  await expect(page.getByTestId('message-user').locator('.text')).toHaveText(QUESTION, { timeout: 150_000 });
  await expect(page.getByTestId('message-assistant').last().locator('.text')).toHaveText(REPLY, { timeout: 60_000 });
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', 'listening', { timeout: 60_000 });

  // The fixture voice speaks 70 ms per phoneme: the whole reply is many seconds of real output.
  expect(await renderedSeconds(page)).toBeGreaterThan(5);

  const [turn] = await turnTimings(page);
  const marks = turn!.marks;
  // The end-of-turn model (the fixture judges every turn complete) ended the turn at the first
  // short pause, in at most 300 ms of audio after the last word, not after a fixed 600 ms timer.
  expect(turn!.endOfTurn).toMatchObject({ reason: 'turn-model', turnModelCalls: 1 });
  expect(turn!.endOfTurn!.silenceMs).toBeLessThanOrEqual(300);
  expect(marks.lastSpeech!).toBeLessThan(marks.speechEnd!);
  // Transcription and the reply started eagerly at that pause, and were kept.
  expect(turn!.eager).toEqual({ started: 1, kept: 1, discarded: 0 });
  expect(marks.transcriptFinal!).toBeLessThan(marks.llmFirstToken!);
  // Nothing played before the commit; streaming: audible before the whole reply was written.
  expect(marks.firstAudioAudible!).toBeGreaterThan(marks.speechEnd!);
  expect(marks.firstAudioAudible!).toBeLessThan(marks.llmDone!);
  await page.getByRole('button', { name: 'Details' }).click();
  await expect(page.getByTestId('latency-voiceToVoice')).toHaveText(/^\d+ ms$/);
  await expect(page.getByTestId('latency-endpointing')).toHaveText(/^\d+ ms$/);

  // Recorded in the report (not asserted: timings on a shared machine are not a test).
  const timing = { durations: deriveDurations(turn!), compute: turn!.compute };
  test.info().annotations.push({ type: 'fixture turn timing (ms)', description: JSON.stringify(timing) });
});

test('while the user speaks, the words so far show as an in-progress line that the final transcript replaces', async ({ openApp }) => {
  // Long enough (about 6 s) for a partial transcription to finish while the user still speaks.
  // The fixture Whisper always hears the same question, so the partial shows that text too.
  const wav = microphoneWav([{ silence: 3 }, { speak: LONG_QUESTION }, { silence: 8 }]);
  // The "incomplete" end-of-turn fixture keeps the turn open through the commas' pauses, as the
  // real model does for a sentence that is plainly not over (the "complete" fixture would end
  // the turn at the first comma).
  const { page } = await openApp({ microphoneWav: wav, path: '/?turn=fixtures/smart-turn-incomplete' });

  const partial = page.getByTestId('partial-transcript');
  await expect(partial).toContainText(QUESTION, { timeout: 90_000 });
  await expect(partial.getByText('You, speaking…')).toBeVisible();
  await expect(page.getByTestId('message-user').locator('.text')).toHaveText(QUESTION, { timeout: 60_000 });
  await expect(partial).toHaveCount(0);
  await expect(page.getByTestId('message-user')).toHaveCount(1);

  // Shown while the VAD still heard speech: before it declared the end of the utterance.
  const [turn] = await turnTimings(page);
  const partials = await page.evaluate(() => window.hearthDiagnostics!.partialTranscripts());
  expect(partials.length).toBeGreaterThan(0);
  expect(partials[0]!.at).toBeLessThan(turn!.marks.speechEnd!);
  test.info().annotations.push({
    type: 'partial transcripts (ms after speech start)',
    description: JSON.stringify(partials.map((p) => Math.round(p.at - turn!.marks.speechStart!))),
  });
  test.info().annotations.push({
    type: 'speech end, final transcript (ms after speech start)',
    description: JSON.stringify([turn!.marks.speechEnd! - turn!.marks.speechStart!, turn!.marks.transcriptFinal! - turn!.marks.speechStart!].map(Math.round)),
  });
});

test('talking over the reply silences it at once and history keeps only what was heard', async ({ openApp }) => {
  // The fake microphone plays its file from the start each time the app opens the microphone.
  // The lead-in gives the test time to mute once the app listens (on a busy machine a shorter
  // one let the first opening hear the whole sentence as a turn of its own). With the microphone
  // muted (released), the question is typed; once the reply is audibly playing the test
  // unmutes, and the interruption comes after the lead-in, mid-reply.
  const wav = microphoneWav([{ silence: 3 }, { speak: 'Wait, stop for a moment please.' }, { silence: 10 }]);
  // "Wait," is not the end of the user's turn: the "incomplete" fixture keeps it open at the comma.
  const { page } = await openApp({ microphoneWav: wav, path: '/?asr=fixtures/whisper-interrupt&turn=fixtures/smart-turn-incomplete' });
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', 'listening', { timeout: 90_000 });
  await page.getByRole('button', { name: 'Pause listening' }).click();
  await page.getByLabel(/type a message/i).fill(QUESTION);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', 'speaking', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Resume listening' }).click();

  const assistant = page.getByTestId('message-assistant');
  await expect(assistant.first()).toContainText('interrupted', { timeout: 60_000 });
  const heard = (await assistant.first().locator('.text').textContent())!;
  expect(heard.length).toBeGreaterThan(0);
  expect(heard.length).toBeLessThan(REPLY.length);
  expect(REPLY.startsWith(heard)).toBe(true);

  const [bargeIn] = await bargeIns(page);
  expect(bargeIn?.silencedAt).toBeDefined();
  // From the VAD hearing the user start to the reply going silent at the speaker.
  const silencedAfterMs = bargeIn!.silencedAt! - bargeIn!.speechStartAt;
  test.info().annotations.push({ type: 'barge-in silence after speech start (ms)', description: silencedAfterMs.toFixed(1) });
  expect(silencedAfterMs).toBeLessThan(150);

  // The interruption itself became the next turn, with its own complete answer.
  await expect(page.getByTestId('message-user').nth(1).locator('.text')).toHaveText('Wait, stop for a moment.', { timeout: 60_000 });
  await expect(assistant.nth(1).locator('.text')).toHaveText(REPLY, { timeout: 90_000 });

  // What was stored on the device is the truncated reply too.
  await page.reload();
  await expect(page.getByTestId('message-assistant').first().locator('.text')).toHaveText(heard);
});

test('silence and noise alone start no turn', async ({ openApp }) => {
  const wav = microphoneWav([{ silence: 3 }, { noise: 0.05, seconds: 4 }, { silence: 3 }]);
  const { page } = await openApp({ microphoneWav: wav });
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', 'listening', { timeout: 90_000 });
  // Let the whole file play through the microphone and the VAD.
  await page.waitForTimeout(11_000);
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await expect(page.getByTestId('message-assistant')).toHaveCount(0);
  expect(await turnTimings(page)).toHaveLength(0);
});

test('with the microphone denied, the app says so and typed messages still get spoken answers', async ({ openApp }) => {
  const { page } = await openApp({ denyMicrophone: true });
  await expect(page.getByText(/Microphone access was denied/)).toBeVisible({ timeout: 90_000 });
  await page.getByLabel('Type a message').fill('Hello there');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('message-user').locator('.text')).toHaveText('Hello there');
  await expect(page.getByTestId('message-assistant').locator('.text')).toHaveText(REPLY, { timeout: 60_000 });
  await expect.poll(() => renderedSeconds(page), { timeout: 30_000 }).toBeGreaterThan(1);
});

test('a reply that never ends is cut at the response length cap', async ({ openApp }) => {
  const { page } = await openApp({ denyMicrophone: true, path: '/?llm=fixtures/chat-lm-endless', settings: { responseMode: 'fast' } });
  await page.getByLabel('Type a message').fill('Tell me everything');
  await page.getByRole('button', { name: 'Send' }).click();
  // Said as soon as the cap is hit, while the capped reply is still being spoken.
  await expect(page.getByText(/reached the length limit/)).toBeVisible({ timeout: 60_000 });
  const reply = page.getByTestId('message-assistant');
  await expect(reply).toContainText('cut at the length limit', { timeout: 120_000 });
  const words = (await reply.locator('.text').textContent())!.split(/\s+/).length;
  // The fast mode's cap is 96 tokens; the fixture's tokens are about one word each.
  expect(words).toBeGreaterThan(40);
  expect(words).toBeLessThanOrEqual(96);
});

test('a model that fails to load is named, and the rest of the app stays usable', async ({ openApp }) => {
  const { page } = await openApp({ denyMicrophone: true, path: '/?asr=fixtures/no-such-model' });
  const alert = page.getByRole('alert').filter({ hasText: 'Could not load speech recognition' });
  await expect(alert).toBeVisible({ timeout: 90_000 });
  await expect(alert.getByRole('button', { name: 'Retry' })).toBeVisible();
});

// The cap applies whichever turn answers: the eager one started at a pause or the committed one
// (src/voice/eager-turn.test.ts has the unit case).
test('a very long utterance is cut to the configured maximum and the user is told', async ({ openApp }) => {
  const wav = microphoneWav([
    { silence: 3 },
    { speak: LONG_QUESTION },
    { silence: 8 },
  ]);
  const { page } = await openApp({ microphoneWav: wav, path: '/?turn=fixtures/smart-turn-incomplete', settings: { maxUtteranceSeconds: 3 } });
  await expect(page.getByText(/That was a long one: only the first 3 seconds/)).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('message-user')).toContainText('only the start was heard');
  await expect(page.getByTestId('message-user').locator('.text')).toHaveText(QUESTION);
});

test('the WebGPU path gives the same transcript as wasm', async ({ openApp }) => {
  const wav = microphoneWav([{ silence: 3 }, { speak: QUESTION }, { silence: 8 }]);
  const { page } = await openApp({ microphoneWav: wav, webgpu: true, path: '/?backend=webgpu' });
  await expect(page.getByTestId('message-user').locator('.text')).toHaveText(QUESTION, { timeout: 150_000 });
  const [turn] = await turnTimings(page);
  expect(turn?.backends.asr).toBe('webgpu');
});
