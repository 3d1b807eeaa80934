// Issue 16 item 4: custom voices. A user blends two Kokoro voices in Settings (ticks, a slider
// moved with the keyboard, a name), hears a preview, saves it; after a reload it is still the
// chosen voice, and the reply is spoken in it: the same words as either voice would give, sounding
// like neither. The fixture Kokoro's pitch follows the voice's style vector (tools/fixtures/kokoro.ts),
// so what the speakers get shows which voice spoke. Typed messages, microphone denied.
import type { Page } from '@playwright/test';
import { blockingViolations } from './support/axe.ts';
import { expect, test } from './support/test.ts';

/** Heart at 100, Michael at 50 on the sliders: two thirds and one third. */
const BLEND_ID = 'blend-af_heart-667-am_michael-333';

/**
 * Keeps a copy of every piece of audio the page sends to its playback worklet (the player's
 * `enqueue` command, before its buffer is transferred away): what the speakers are given.
 */
function recordPlayback(): void {
  const played: { turnId: string; samples: Float32Array }[] = [];
  (window as unknown as { __played: typeof played }).__played = played;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .apply(this, ...) below
  const post = MessagePort.prototype.postMessage as (this: MessagePort, ...args: unknown[]) => void;
  MessagePort.prototype.postMessage = function (this: MessagePort, ...args: unknown[]) {
    const command = args[0] as { type?: string; turnId?: string; samples?: Float32Array } | undefined;
    if (command?.type === 'enqueue' && command.turnId && command.samples) played.push({ turnId: command.turnId, samples: command.samples.slice() });
    post.apply(this, args);
  } as MessagePort['postMessage'];
}

/** The first piece of audio of each turn so far, in order: a summary to compare in the test. */
function firstPieces(page: Page) {
  return page.evaluate(() => {
    const played = (window as unknown as { __played: { turnId: string; samples: Float32Array }[] }).__played;
    const firsts = played.filter((piece, i) => played.findIndex((other) => other.turnId === piece.turnId) === i);
    const crossings = (s: Float32Array) => s.reduce((n, v, i) => (i > 0 && v < 0 !== s[i - 1]! < 0 ? n + 1 : n), 0);
    // The largest difference between each piece and the first one (the blend's).
    const apart = (s: Float32Array) => s.reduce((most, v, i) => Math.max(most, Math.abs(v - (firsts[0]!.samples[i] ?? 0))), 0);
    return firsts.map(({ samples }) => ({ length: samples.length, crossings: crossings(samples), apartFromBlend: apart(samples) }));
  });
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel('Type a message').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

async function chooseVoice(page: Page, voice: string): Promise<void> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('combobox', { name: 'Voice', exact: true }).selectOption(voice);
  await page.keyboard.press('Escape');
}

test('a blended voice is made in Settings, kept across a reload and speaks the reply, unlike either of its voices', async ({ openApp }) => {
  test.setTimeout(150_000);
  const { page } = await openApp({ denyMicrophone: true });
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const editor = page.getByRole('group', { name: 'Custom voice' });
  const save = editor.getByRole('button', { name: 'Save' });

  await editor.getByRole('checkbox', { name: /Heart/ }).check();
  await expect(editor.getByRole('button', { name: 'Preview' })).toBeDisabled();
  await editor.getByRole('checkbox', { name: /Michael/ }).check();
  // Both start at 50 %; the keyboard takes Heart to the top of its slider.
  await editor.getByRole('slider', { name: 'How much of Heart' }).press('End');
  await expect(editor.getByRole('slider', { name: 'How much of Michael' })).toHaveAttribute('aria-valuetext', '33 % of the blend');
  await expect(save).toBeDisabled();
  await editor.getByLabel('Name').fill('Warm mix');
  expect(await blockingViolations(page)).toEqual([]);

  // The preview waits for the models (still loading) and speaks with the session's voice model.
  await editor.getByRole('button', { name: 'Preview' }).click();
  await expect(editor.getByRole('status')).toHaveText(/^Played a \d+\.\d s sample of Heart 67 % · Michael 33 %\.$/, { timeout: 90_000 });

  await save.click();
  const voice = page.getByRole('combobox', { name: 'Voice', exact: true });
  await expect(voice).toHaveValue(BLEND_ID);
  await expect(page.getByRole('list', { name: 'Your voices' })).toContainText('Warm mix');

  await page.addInitScript(recordPlayback);
  await page.reload();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(voice).toHaveValue(BLEND_ID);
  await expect(voice.locator('option:checked')).toHaveText('Warm mix');
  await page.keyboard.press('Escape');

  // The same reply (the fixture LM has one) in the blend, then in each of its voices; each message
  // cuts short the reply before it once its first words are on their way to the speakers.
  for (const [i, next] of [[1, 'af_heart'], [2, 'am_michael'], [3, '']] as const) {
    await send(page, 'Hello there.');
    await expect.poll(async () => (await firstPieces(page)).length, { timeout: 90_000 }).toBe(i);
    if (next) await chooseVoice(page, next);
  }
  const [blend, heart, michael] = await firstPieces(page);
  test.info().annotations.push({ type: 'first audio of each reply', description: JSON.stringify({ blend, heart, michael }) });
  // The same words: as long in every voice.
  expect(heart!.length).toBe(blend!.length);
  expect(michael!.length).toBe(blend!.length);
  // A different sound from each voice, and a pitch between theirs, as a blend of the two.
  expect(heart!.apartFromBlend).toBeGreaterThan(0.1);
  expect(michael!.apartFromBlend).toBeGreaterThan(0.1);
  expect(blend!.crossings).toBeGreaterThan(heart!.crossings);
  expect(blend!.crossings).toBeLessThan(michael!.crossings);

  // Deleted, it is gone from the list and the picker.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: 'Delete the voice “Warm mix”' }).click();
  await expect(page.getByRole('list', { name: 'Your voices' })).toHaveCount(0);
  await expect(voice.locator('option', { hasText: 'Warm mix' })).toHaveCount(0);
});
