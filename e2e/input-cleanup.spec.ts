import type { Page } from '@playwright/test';
import { launchBrowser, type LaunchedBrowser } from './support/browser.ts';
import { turnEvents, turnTimings } from './support/diagnostics.ts';
import { microphoneWav, type Background } from './support/speech.ts';
import { expect, test } from './support/test.ts';
import type { Settings } from '../src/stores/settings-store.ts';
import type { InputCleanupSettings } from '../src/voice/audio/input-cleanup.ts';

// The microphone's input clean-up (issue 16 item 2: a 90 Hz high-pass and a soft noise gate in the
// capture worklet, before the VAD) with steady background sounds on the fake microphone.
//
// What these tests do not show, because it does not happen: hum and rumble making the VAD start
// a turn without the clean-up. Silero v5 scores them as non-speech at every level tried, up to
// -20 dBFS (as loud as the question); a 60 Hz buzz fooled it only in the first frames after the VAD
// starts, and only at some frame alignments (bench/voice/input-cleanup.ts; bench/README.md, "input
// clean-up"). A test of that would pass or fail by luck. So: with the clean-up on (the default)
// none of them starts a turn (the clean-up does not create false turns of its own), the
// Settings switches reach the running microphone, and questions over the hum and the buzz still
// become one turn each.
//
// The browser's own processing (echo cancellation, noise suppression, auto gain: WebRTC's, with a
// high-pass and a noise suppressor of its own) is turned off here, as it is where the platform
// does not offer it or a headset's driver replaces it: otherwise these tests would check
// Chromium's suppressor, not the clean-up.

const QUESTION = 'What is the capital of France?';

/** Background levels (RMS dBFS) a real microphone can give; the question is about -21 dBFS. */
const HUM: Background = { background: 'hum', dbfs: -30 };
const RUMBLE: Background = { background: 'rumble', dbfs: -30 };
const BUZZ: Background = { background: 'buzz', dbfs: -26 };

/** What the test's page script records: the status indicator's states and the microphone worklet's clean-up settings. */
interface PageLog {
  hearthStates?: string[];
  hearthMicCleanup?: (InputCleanupSettings & { via: 'created' | 'command' })[];
}

/**
 * Opens the app as `openApp` does, but with the browser's audio processing off, every state the
 * status indicator takes recorded from the first script on (a "Hearing you" can be short), and
 * the clean-up settings the microphone worklet is created with or sent.
 */
async function openRaw(url: string, wav: string, settings: Partial<Settings> = {}): Promise<LaunchedBrowser> {
  const launched = await launchBrowser(url, { microphoneWav: wav });
  const { page } = launched;
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  await page.addInitScript((state) => {
    if (localStorage.getItem('hearth-settings') === null) localStorage.setItem('hearth-settings', JSON.stringify({ state, version: 3 }));
    const log = window as PageLog;
    const devices = navigator.mediaDevices;
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = (constraints) => {
      const audio = typeof constraints?.audio === 'object' ? constraints.audio : {};
      return getUserMedia({ ...constraints, audio: { ...audio, echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
    };

    const cleanups: NonNullable<PageLog['hearthMicCleanup']> = [];
    log.hearthMicCleanup = cleanups;
    const Node = window.AudioWorkletNode;
    window.AudioWorkletNode = class extends Node {
      constructor(context: BaseAudioContext, name: string, options?: AudioWorkletNodeOptions) {
        super(context, name, options);
        if (name !== 'hearth-mic-capture') return;
        const created = (options?.processorOptions as { cleanup?: InputCleanupSettings } | undefined)?.cleanup;
        if (created) cleanups.push({ ...created, via: 'created' });
        const port = this.port;
        const post = port.postMessage.bind(port) as (message: unknown, transfer?: Transferable[]) => void;
        port.postMessage = (message: unknown, transfer?: Transferable[] | StructuredSerializeOptions) => {
          const command = message as { type?: string } & InputCleanupSettings;
          if (command.type === 'cleanup') cleanups.push({ highPass: command.highPass, noiseGate: command.noiseGate, via: 'command' });
          post(message, Array.isArray(transfer) ? transfer : transfer?.transfer);
        };
      }
    };

    const states: string[] = [];
    log.hearthStates = states;
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        const target = mutation.target as Element;
        if (mutation.type === 'attributes' && target.getAttribute('data-testid') === 'pipeline-state') states.push(target.getAttribute('data-state') ?? '');
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  }, { modelDownloadsApproved: true, ...settings });
  await page.goto('/');
  return launched;
}

/** How many times the VAD heard speech ("Hearing you"), and how many turns started. */
async function falseStarts(page: Page): Promise<{ hearings: number; turns: number }> {
  const states = await page.evaluate(() => (window as PageLog).hearthStates ?? []);
  const turns = (await turnEvents(page)).filter((event) => event.type === 'turn-start').length;
  return { hearings: states.filter((state) => state === 'hearing').length, turns };
}

function micCleanup(page: Page) {
  return page.evaluate(() => (window as PageLog).hearthMicCleanup ?? []);
}

async function setCleanup(page: Page, on: boolean): Promise<void> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Settings' });
  await panel.getByLabel('Filter out rumble and hum').setChecked(on);
  await panel.getByLabel('Soften background noise between words').setChecked(on);
  await page.keyboard.press('Escape');
}

test('hum, rumble and a buzz start no turn with the clean-up on (the default); the Settings switch it on the running microphone', async ({ server }) => {
  const wav = microphoneWav([{ ...HUM, seconds: 10 }, { ...RUMBLE, seconds: 10 }, { ...BUZZ, seconds: 10 }]);
  const launched = await openRaw(server.url, wav);
  try {
    const { page } = launched;
    await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', 'listening', { timeout: 120_000 });
    // Created with both on (the link also sends them once it has the microphone, in case they changed while it opened).
    const atStart = await micCleanup(page);
    expect(atStart[0]).toEqual({ highPass: true, noiseGate: true, via: 'created' });
    expect(atStart.every((cleanup) => cleanup.highPass && cleanup.noiseGate)).toBe(true);
    // The whole file plays through the microphone and the VAD. No turn: nothing was taken for
    // speech long enough to count (250 ms). A single frame scored as speech as a sound switches on
    // ("Hearing you" for a moment) can still happen at some frame alignments, with or without the
    // clean-up (bench: the hum's abrupt start), so it is recorded, not asserted.
    await page.waitForTimeout(31_000);
    const seen = await falseStarts(page);
    test.info().annotations.push({ type: 'hum, rumble, buzz with the clean-up on: VAD starts, turns', description: JSON.stringify(seen) });
    expect(seen.turns).toBe(0);
    await expect(page.getByTestId('message-user')).toHaveCount(0);

    await setCleanup(page, false);
    await expect.poll(() => micCleanup(page)).toContainEqual({ highPass: false, noiseGate: false, via: 'command' });
    await setCleanup(page, true);
    await expect.poll(async () => (await micCleanup(page)).at(-1)).toEqual({ highPass: true, noiseGate: true, via: 'command' });
  } finally {
    await launched.close();
  }
});

for (const background of [HUM, BUZZ]) {
  test(`a question over the ${background.background} (${background.dbfs} dBFS), with the clean-up on, is heard once and answered`, async ({ server }) => {
    // The background stops with the file, 5 s after the question: enough to end the turn over it,
    // and a short window for it to start another while the reply plays. One clean-clone run had a
    // second user message with 8 s there (the bench gives the buzz about one start in 40 tries
    // with the clean-up on, and the fixture ASR makes any turn the question).
    const wav = microphoneWav([{ silence: 4 }, { speak: QUESTION }, { silence: 5 }], background);
    const launched = await openRaw(server.url, wav);
    try {
      const { page } = launched;
      await expect(page.getByTestId('message-user').locator('.text')).toHaveText(QUESTION, { timeout: 150_000 });
      await expect(page.getByTestId('message-assistant').locator('.text')).not.toBeEmpty({ timeout: 60_000 });
      await page.waitForTimeout(3_000);
      // What happened, kept with the result: when and how each turn started and ended.
      test.info().annotations.push({ type: 'turn events', description: JSON.stringify(await turnEvents(page)) });
      await expect(page.getByTestId('message-user')).toHaveCount(1);
      const heard = await falseStarts(page);
      expect(heard.turns).toBe(1);
      expect(heard.hearings).toBeGreaterThanOrEqual(1);
      // The fixture Whisper answers the question's text whatever it hears, so the words are not
      // the check; what the VAD heard is: the question (about 2 s of speech), not the noise around it.
      const [turn] = await turnTimings(page);
      const heardMs = turn!.marks.lastSpeech! - turn!.marks.speechStart!;
      test.info().annotations.push({ type: `speech heard over the ${background.background} (ms)`, description: heardMs.toFixed(0) });
      expect(heardMs).toBeGreaterThan(1000);
      expect(heardMs).toBeLessThan(3500);
    } finally {
      await launched.close();
    }
  });
}
