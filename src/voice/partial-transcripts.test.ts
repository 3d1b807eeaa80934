import { describe, expect, it } from 'vitest';
import type { Transcript } from '../engines/types.ts';
import { deriveDurations } from '../metrics/turn-timing.ts';
import type { TurnManagerEvent } from './events.ts';
import type { VoiceSettings } from './settings.ts';
import { Deferred, FakeLlm, FakePlayer, FakeTts, settle, until } from './testing/fakes.ts';
import { TurnManager } from './turn-manager.ts';

/** An ASR whose every call waits until the test answers it (or its signal aborts). */
class HeldAsr {
  readonly calls: { samples: number; signal?: AbortSignal; answer: Deferred<Transcript> }[] = [];

  transcribe(audio: Float32Array, options?: { signal?: AbortSignal }): Promise<Transcript> {
    const answer = new Deferred<Transcript>();
    options?.signal?.addEventListener('abort', () => answer.reject(new DOMException('aborted', 'AbortError')), { once: true });
    this.calls.push({ samples: audio.length, signal: options?.signal, answer });
    return answer.promise;
  }

  answer(index: number, text: string): void {
    this.calls[index]?.answer.resolve({ text, computeMs: 5 });
  }
}

const seconds = (s: number): Float32Array => new Float32Array(16000 * s);

function setup(settings: Partial<VoiceSettings> = {}) {
  const asr = new HeldAsr();
  const llm = new FakeLlm();
  let id = 0;
  const manager = new TurnManager({
    engines: { asr, llm, tts: new FakeTts() },
    player: new FakePlayer(true),
    settings: { splitter: { firstChunkMinWords: 0 }, ...settings },
    listening: true,
    createId: () => `id${(id += 1)}`,
  });
  const events: TurnManagerEvent[] = [];
  manager.subscribe((event) => events.push(event));
  const partials = () => events.flatMap((e) => (e.type === 'partial-transcript' ? [e.text] : []));
  const turnEnds = () => events.flatMap((e) => (e.type === 'turn-end' ? [e] : []));
  const vad = {
    start: (at = 0) => {
      manager.handleVadEvent({ type: 'speech-start', at });
      manager.handleVadEvent({ type: 'speech-confirmed', at: at + 250 });
    },
    progress: (s: number, at = 1000) => manager.handleVadEvent({ type: 'speech-progress', at, audio: seconds(s) }),
    end: (s = 3, at = 3000) => manager.handleVadEvent({ type: 'speech-end', reason: 'silence', at, audio: seconds(s), lastSpeechAt: at - 600 }),
  };
  return { asr, llm, manager, events, partials, turnEnds, vad };
}

describe('partial transcripts', () => {
  it('shows what was said so far while the user speaks, then the final transcript replaces it', async () => {
    const t = setup();
    t.vad.start();
    t.vad.progress(1);
    expect(t.asr.calls).toHaveLength(1);
    t.asr.answer(0, 'What is');
    await until(() => t.partials().length === 1, 'partial');
    expect(t.partials()).toEqual(['What is']);
    expect(t.manager.state).toBe('hearing');

    t.vad.end();
    expect(t.asr.calls).toHaveLength(2);
    // The line stays until the final transcript is known.
    await settle();
    expect(t.partials()).toEqual(['What is']);
    t.asr.answer(1, 'What is the capital of France?');
    await until(() => t.turnEnds().length === 1, 'turn end');
    expect(t.partials()).toEqual(['What is', null]);
    const cleared = t.events.findIndex((e) => e.type === 'partial-transcript' && e.text === null);
    const userMessage = t.events.findIndex((e) => e.type === 'user-message');
    expect(cleared).toBeGreaterThan(userMessage);
    // Never in the history, never sent to the LLM.
    expect(t.manager.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['What is the capital of France?']);
    expect(t.llm.calls[0]?.messages.filter((m) => m.role === 'user')).toEqual([{ role: 'user', content: 'What is the capital of France?' }]);
  });

  it('runs only while the ASR is idle and keeps just the newest one waiting', async () => {
    const t = setup();
    t.vad.start();
    t.vad.progress(1);
    t.vad.progress(2, 2000);
    t.vad.progress(3, 3000);
    expect(t.asr.calls.map((c) => c.samples)).toEqual([16000]);
    t.asr.answer(0, 'What');
    await until(() => t.asr.calls.length === 2, 'the waiting partial');
    // The 2 s one was superseded by the 3 s one before the ASR was free.
    expect(t.asr.calls[1]?.samples).toBe(48000);
    t.asr.answer(1, 'What is the');
    await until(() => t.partials().length === 2);
    expect(t.partials()).toEqual(['What', 'What is the']);
  });

  it('waits for a final transcription of an earlier turn still running', async () => {
    const t = setup();
    t.vad.start();
    t.vad.end(1, 1500);
    expect(t.asr.calls).toHaveLength(1);
    t.vad.start(2000);
    t.vad.progress(1, 3000);
    expect(t.asr.calls).toHaveLength(1);
    t.asr.answer(0, 'First question.');
    await until(() => t.asr.calls.length === 2, 'the partial after the final');
    expect(t.asr.calls[1]?.samples).toBe(16000);
  });

  it('aborts the partial in flight when the utterance ends: the final transcription starts at once', async () => {
    const t = setup();
    t.vad.start();
    t.vad.progress(2);
    t.vad.progress(3, 2000); // waiting behind the first
    t.vad.end(4, 4000);
    expect(t.asr.calls).toHaveLength(2);
    expect(t.asr.calls[0]?.signal?.aborted).toBe(true);
    expect(t.asr.calls[1]?.samples).toBe(64000);
    expect(t.asr.calls[1]?.signal?.aborted).toBe(false);
    t.asr.answer(1, 'Hello there.');
    await until(() => t.turnEnds().length === 1);
    // The waiting partial was dropped, nothing was shown.
    expect(t.asr.calls).toHaveLength(2);
    expect(t.partials()).toEqual([]);
  });

  it('drops a partial whose answer comes after the utterance ended or turned out a misfire', async () => {
    const t = setup();
    t.vad.start();
    t.vad.progress(1);
    t.manager.handleVadEvent({ type: 'misfire', at: 1200 });
    t.asr.answer(0, 'Cough');
    await settle();
    expect(t.partials()).toEqual([]);

    // A line on show goes with a misfire.
    t.vad.start(2000);
    t.vad.progress(1, 3000);
    t.asr.answer(1, 'Hmm');
    await until(() => t.partials().length === 1);
    t.manager.handleVadEvent({ type: 'misfire', at: 3100 });
    expect(t.partials()).toEqual(['Hmm', null]);
  });

  it('shows nothing for a partial that holds no speech, and nothing at all when turned off', async () => {
    const t = setup();
    t.vad.start();
    t.vad.progress(1);
    t.asr.answer(0, '[BLANK_AUDIO]');
    await settle();
    expect(t.partials()).toEqual([]);

    const off = setup({ partialTranscripts: false });
    off.vad.start();
    off.vad.progress(1);
    expect(off.asr.calls).toHaveLength(0);
    off.manager.updateSettings({ partialTranscripts: true });
    off.vad.progress(2, 2000);
    expect(off.asr.calls).toHaveLength(1);
  });

  it('ignores progress of the echo in half-duplex mode, and progress with nobody speaking', async () => {
    const t = setup({ halfDuplex: true });
    t.vad.progress(1);
    expect(t.asr.calls).toHaveLength(0);
    t.manager.submitText('Talk to me');
    await until(() => t.manager.state === 'speaking', 'the reply audible');
    t.vad.start();
    t.vad.progress(1);
    expect(t.asr.calls).toHaveLength(0);
  });

  it('clears the line when the turn ends without a transcript (no speech)', async () => {
    const t = setup();
    t.vad.start();
    t.vad.progress(1);
    t.asr.answer(0, 'Hello');
    await until(() => t.partials().length === 1);
    t.vad.end();
    t.asr.answer(1, '(wind blowing)');
    await until(() => t.turnEnds().length === 1);
    expect(t.turnEnds()[0]?.outcome).toBe('discarded');
    expect(t.partials()).toEqual(['Hello', null]);
  });

  it('measures endpointing from the last speech frame on speech-end', async () => {
    const t = setup();
    t.vad.start();
    t.vad.end(3, 3000);
    t.asr.answer(0, 'Hello there.');
    await until(() => t.turnEnds().length === 1);
    const timing = t.turnEnds()[0]!.timing;
    expect(timing.marks.lastSpeech).toBe(2400);
    expect(deriveDurations(timing).endpointing).toBe(600);
  });
});

describe('partial transcripts on a slow model', () => {
  it('stop once ASR passes are measured slower than the budget, and resume when they are fast again', async () => {
    const t = setup();
    t.vad.start();
    t.vad.progress(1);
    expect(t.asr.calls).toHaveLength(1);
    // The first (probe) pass took far longer than the end-of-turn pause: no more partials.
    t.asr.calls[0]!.answer.resolve({ text: 'What is', computeMs: 2000 });
    await until(() => t.partials().length === 1, 'partial');
    t.vad.progress(2, 2000);
    t.vad.progress(3, 3000);
    expect(t.asr.calls).toHaveLength(1);

    // Fast final passes bring the smoothed estimate (2000 → 1005 → 507 → 258 ms) under the budget.
    const partialRan: boolean[] = [];
    for (let utterance = 0; utterance < 3; utterance += 1) {
      const at = 10_000 * (utterance + 1);
      if (utterance > 0) {
        t.vad.start(at);
        const before = t.asr.calls.length;
        t.vad.progress(1, at + 1000);
        partialRan.push(t.asr.calls.length > before);
        if (t.asr.calls.length > before) t.asr.answer(t.asr.calls.length - 1, 'Hi');
        await settle();
      }
      const before = t.asr.calls.length;
      t.vad.end(3, at + 3000);
      await until(() => t.asr.calls.length > before, 'final transcription');
      t.asr.calls.at(-1)!.answer.resolve({ text: 'Hello there.', computeMs: 10 });
      await settle();
    }
    t.vad.start(50_000);
    const before = t.asr.calls.length;
    t.vad.progress(1, 51_000);
    partialRan.push(t.asr.calls.length > before);
    expect(partialRan).toEqual([false, false, true]);
  });
});
