import type { Page } from '@playwright/test';
import { test, expect } from './support/test.ts';
import { microphoneWav } from './support/speech.ts';
import { renderedSeconds, turnEvents, turnTimings } from './support/diagnostics.ts';
import { deriveDurations } from '../src/metrics/turn-timing.ts';

// Turn-taking through the real microphone path, Silero VAD and the Smart Turn model (same-layout
// fixtures: one that always judges the turn complete, one that judges it incomplete) in the VAD
// worker, with eager replies on (the default).

const QUESTION = 'What is the capital of France?';

/** Every metrics batch the page posted, as the turn ids in it. */
function recordMetricPosts(page: Page): string[][] {
  const posts: string[][] = [];
  page.on('requestfinished', (request) => {
    if (request.method() !== 'POST' || !request.url().endsWith('/api/v1/metrics')) return;
    const body = JSON.parse(request.postData() ?? '{"turns":[]}') as { turns: { turnId: string }[] };
    posts.push(body.turns.map((turn) => turn.turnId));
  });
  return posts;
}

test('a pause mid-sentence that the turn model calls incomplete gives one turn, and the reply started during it is dropped unheard', async ({ openApp }) => {
  // The user pauses for 700 ms mid-sentence: at 200 ms of it the app starts transcribing and
  // answering (eagerly), the "incomplete" turn model keeps the turn open, the user goes on, and
  // the eager reply must vanish: no audio, no message, no metrics. The turn then ends after the
  // maximum silence (the model never says complete) with one answer to the whole sentence. The
  // paced LM spends real compute per token, so the eager reply is really being written when the
  // user resumes.
  const wav = microphoneWav([
    { silence: 3 },
    { speak: 'I would like to book a table' },
    { silence: 0.7 },
    { speak: 'for four people on Friday evening' },
    { silence: 8 },
  ]);
  const { page } = await openApp({ microphoneWav: wav, path: '/?turn=fixtures/smart-turn-incomplete&llm=fixtures/chat-lm-paced' });
  const posts = recordMetricPosts(page);

  await expect(page.getByTestId('message-assistant').locator('.text')).not.toBeEmpty({ timeout: 120_000 });
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', 'listening', { timeout: 60_000 });
  await expect(page.getByTestId('message-user')).toHaveCount(1);
  await expect(page.getByTestId('message-assistant')).toHaveCount(1);

  const turns = await turnTimings(page);
  expect(turns).toHaveLength(1);
  const [turn] = turns;
  const marks = turn!.marks;
  // One utterance from the first word to the last: both halves, the pause inside it.
  expect(marks.lastSpeech! - marks.speechStart!).toBeGreaterThan(2500);
  // The model was asked at the pauses and never said complete: the maximum silence ended the turn.
  expect(turn!.endOfTurn).toMatchObject({ reason: 'silence' });
  expect(turn!.endOfTurn!.turnModelCalls).toBeGreaterThanOrEqual(2);
  expect(turn!.endOfTurn!.probability).toBeLessThan(0.5);
  expect(turn!.endOfTurn!.silenceMs).toBeGreaterThanOrEqual(1900);
  // The eager reply of the mid-sentence pause was dropped; the one of the final pause was kept.
  // (espeak's own gaps between words may make more pauses; each but the last is dropped.)
  expect(turn!.eager!.kept).toBe(1);
  expect(turn!.eager!.started).toBeGreaterThanOrEqual(2);
  expect(turn!.eager!.discarded).toBe(turn!.eager!.started - 1);

  // Nothing of the turn was shown or heard before the user's last word.
  const steps = await turnEvents(page);
  expect(steps.map((step) => step.type)).toEqual(['turn-start', 'user-message', 'assistant-start', 'turn-end']);
  for (const step of steps) expect(step.at, step.type).toBeGreaterThan(marks.lastSpeech!);
  expect(marks.firstAudioAudible!).toBeGreaterThan(marks.speechEnd!);
  expect(await renderedSeconds(page)).toBeGreaterThan(1);

  // The relay hears of one turn only (the metrics go out on the 15 s flush timer).
  await expect.poll(() => posts.flat().length, { timeout: 30_000 }).toBe(1);
  expect(posts.flat()).toEqual([turn!.turnId]);
});

test('an end-of-turn model that cannot load leaves the silence to end turns, and says so', async ({ openApp }) => {
  // A longer lead-in than the other tests: in one clean-clone run the question went unheard (the
  // page sat in "Listening" with the failed model's notice shown). The likely cause, not proven:
  // the failing fetch delays the VAD past the start of the speech. See the session 4 note.
  const wav = microphoneWav([{ silence: 6 }, { speak: QUESTION }, { silence: 8 }]);
  const { page } = await openApp({ microphoneWav: wav, path: '/?turn=fixtures/no-such-turn-model' });
  await expect(page.getByText(/could not load the end-of-turn model/i)).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('message-user').locator('.text')).toHaveText(QUESTION, { timeout: 90_000 });
  await expect(page.getByTestId('message-assistant').locator('.text')).not.toBeEmpty({ timeout: 60_000 });
  const [turn] = await turnTimings(page);
  // The fixed silence wait (600 ms) decided, with no model call.
  expect(turn!.endOfTurn).toMatchObject({ reason: 'silence' });
  expect(turn!.endOfTurn!.turnModelCalls).toBeUndefined();
  expect(turn!.endOfTurn!.silenceMs).toBeGreaterThanOrEqual(550);
  test.info().annotations.push({ type: 'silence-only turn timing (ms)', description: JSON.stringify(deriveDurations(turn!)) });
});
