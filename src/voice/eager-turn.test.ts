// Eager replies: at the user's pause the turn manager transcribes and starts the reply before
// the turn is committed. The invariant under test: nothing is played, stored, shown or reported
// for a turn before it is committed, and a turn the user continued leaves no trace.
import { describe, expect, it } from 'vitest';
import type { TurnManagerEvent } from './events.ts';
import type { VoiceSettings } from './settings.ts';
import { Deferred, FakeAsr, FakeLlm, FakePlayer, FakeTts, settle, until } from './testing/fakes.ts';
import { TurnManager } from './turn-manager.ts';

const HALF_SECOND = new Float32Array(8000);
const SECOND = new Float32Array(16000);

function setup(options: { asr?: FakeAsr; llm?: FakeLlm; settings?: Partial<VoiceSettings> } = {}) {
  const asr = options.asr ?? new FakeAsr(['Book a table.']);
  const llm = options.llm ?? new FakeLlm();
  const tts = new FakeTts();
  const player = new FakePlayer(true);
  let id = 0;
  const manager = new TurnManager({
    engines: { asr, llm, tts },
    player,
    settings: { splitter: { firstChunkMinWords: 0 }, ...options.settings },
    listening: true,
    createId: () => `id${(id += 1)}`,
  });
  const events: TurnManagerEvent[] = [];
  manager.subscribe((event) => events.push(event));
  const turnEnds = () => events.flatMap((e) => (e.type === 'turn-end' ? [e] : []));
  const start = (at: number): void => {
    manager.handleVadEvent({ type: 'speech-start', at });
    manager.handleVadEvent({ type: 'speech-confirmed', at: at + 250 });
  };
  const pause = (audio: Float32Array, lastSpeechAt: number): void =>
    manager.handleVadEvent({ type: 'speech-pause', at: lastSpeechAt + 200, audio, lastSpeechAt });
  const end = (audio: Float32Array, at: number, lastSpeechAt: number, reason: 'turn-model' | 'silence' = 'turn-model'): void =>
    manager.handleVadEvent({ type: 'speech-end', at, audio, lastSpeechAt, reason, turnModel: { calls: 1, callMs: [15], probability: 0.9 } });
  /** Events other than the user's own state and partials: what the rest of the app would see of a turn. */
  const turnEvents = () => events.filter((e) => e.type !== 'state' && e.type !== 'partial-transcript');
  return { asr, llm, tts, player, manager, events, turnEnds, start, pause, end, turnEvents };
}

describe('eager replies', () => {
  it('start transcription and the LLM at the pause, and keep that work when the turn is committed', async () => {
    const llmGate = new Deferred();
    const llm = new FakeLlm();
    llm.gates.set(3, llmGate.promise);
    const t = setup({ llm });
    const base = performance.now();
    t.start(base - 1500);
    t.pause(SECOND, base);
    // The LLM has begun on the utterance before the user is known to be done...
    await until(() => t.llm.calls.length === 1 && t.llm.calls[0]!.produced === 3, 'eager generation');
    expect(t.llm.calls[0]!.messages.at(-1)).toEqual({ role: 'user', content: 'Book a table.' });
    // ...and nothing of it has left the turn manager: no turn, no message, no audio.
    expect(t.turnEvents()).toEqual([]);
    expect(t.manager.messages).toEqual([]);
    expect(t.tts.calls).toEqual([]);
    expect(t.player.enqueued).toEqual([]);

    t.end(SECOND, base + 400, base);
    llmGate.resolve();
    await until(() => t.turnEnds().length === 1, 'turn end');
    // One transcription and one generation: the eager work was the turn's work.
    expect(t.asr.calls).toHaveLength(1);
    expect(t.llm.calls).toHaveLength(1);
    expect(t.manager.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Book a table.'],
      ['assistant', 'Hi there. How can I help?'],
    ]);
    const order = t.events.map((e) => e.type).filter((type) => ['turn-start', 'user-message', 'assistant-start', 'turn-end'].includes(type));
    expect(order).toEqual(['turn-start', 'user-message', 'assistant-start', 'turn-end']);
    const timing = t.turnEnds()[0]!.timing;
    expect(timing.eager).toEqual({ started: 1, kept: 1, discarded: 0 });
    expect(timing.endOfTurn).toMatchObject({ reason: 'turn-model', turnModelCalls: 1, turnModelMs: 15, probability: 0.9 });
    expect(timing.marks.lastSpeech).toBe(base);
    expect(timing.marks.speechEnd).toBe(base + 400);
    // Transcribed and the first token out before the commit: that is the point.
    expect(timing.marks.transcriptFinal).toBeLessThan(base + 400);
    expect(timing.marks.llmFirstToken).toBeLessThan(base + 400);
  });

  it('drop the eager work without a trace when the user goes on, and answer the whole utterance once', async () => {
    const asr = new FakeAsr(['Book a table', 'Book a table for four on Friday.']);
    const t = setup({ asr });
    t.start(0);
    t.pause(HALF_SECOND, 500);
    await until(() => t.llm.calls.length === 1, 'eager generation');
    t.manager.handleVadEvent({ type: 'speech-resumed', at: 900 });
    await settle();
    expect(t.llm.calls[0]!.options.signal?.aborted).toBe(true);
    expect(t.turnEvents()).toEqual([]);

    t.end(SECOND, 2000, 1800, 'silence');
    await until(() => t.turnEnds().length === 1, 'turn end');
    expect(t.manager.messages.map((m) => m.content)).toEqual(['Book a table for four on Friday.', 'Hi there. How can I help?']);
    // The discarded reply was never spoken, shown or stored.
    expect(t.events.filter((e) => e.type === 'turn-start')).toHaveLength(1);
    expect(t.events.filter((e) => e.type === 'assistant-start')).toHaveLength(1);
    expect(t.tts.calls.map((c) => c.text)).toEqual(['Hi there.', 'How can I help?']);
    expect(t.turnEnds()[0]!.timing.eager).toEqual({ started: 1, kept: 0, discarded: 1 });
    expect(t.turnEnds()[0]!.timing.endOfTurn?.reason).toBe('silence');
  });

  it('keep the newest of several pauses: each resumption drops the one before', async () => {
    const asr = new FakeAsr(['One', 'One two', 'One two three.']);
    const t = setup({ asr });
    t.start(0);
    t.pause(HALF_SECOND, 500);
    t.manager.handleVadEvent({ type: 'speech-resumed', at: 800 });
    t.pause(SECOND, 1200);
    t.manager.handleVadEvent({ type: 'speech-resumed', at: 1500 });
    t.pause(SECOND, 2000);
    t.end(SECOND, 2300, 2000);
    await until(() => t.turnEnds().length === 1, 'turn end');
    expect(t.manager.messages.map((m) => m.content)).toEqual(['One two three.', 'Hi there. How can I help?']);
    expect(t.turnEnds()[0]!.timing.eager).toEqual({ started: 3, kept: 1, discarded: 2 });
    expect(t.events.filter((e) => e.type === 'user-message')).toHaveLength(1);
  });

  it('tell the user an over-long utterance was cut, once, when the eager turn that cut it is committed', async () => {
    const t = setup({ settings: { maxUtteranceSeconds: 3 } });
    const fiveSeconds = new Float32Array(5 * 16000);
    t.start(0);
    t.pause(fiveSeconds, 5000);
    await until(() => t.llm.calls.length === 1, 'eager generation');
    // Cut while eager, but not told yet: the user may still be talking.
    expect(t.asr.calls[0]!.audio.length).toBe(3 * 16000);
    expect(t.events.filter((e) => e.type === 'notice')).toEqual([]);

    t.end(fiveSeconds, 5400, 5000);
    await until(() => t.turnEnds().length === 1, 'turn end');
    const notices = t.events.flatMap((e) => (e.type === 'notice' ? [e.notice] : []));
    expect(notices).toEqual([expect.objectContaining({ kind: 'utterance-capped', maxSeconds: 3, seconds: 5 })]);
    expect(t.manager.messages[0]).toMatchObject({ role: 'user', utteranceCapped: true });
  });

  it('never start with eager replies off: the turn begins at the speech end', async () => {
    const t = setup({ settings: { eagerReplies: false } });
    t.start(0);
    t.pause(SECOND, 1000);
    await settle();
    expect(t.asr.calls).toHaveLength(0);
    t.end(SECOND, 1600, 1000, 'silence');
    await until(() => t.turnEnds().length === 1, 'turn end');
    expect(t.asr.calls).toHaveLength(1);
    expect(t.turnEnds()[0]!.timing.eager).toBeUndefined();
  });

  it('drop the eager turn on a misfire, on typed text and when the microphone goes off', async () => {
    const t = setup();
    t.start(0);
    t.pause(SECOND, 1000);
    await until(() => t.llm.calls.length === 1, 'eager generation');
    t.manager.setListening(false);
    await settle();
    expect(t.llm.calls[0]!.options.signal?.aborted).toBe(true);
    expect(t.turnEvents()).toEqual([]);
    expect(t.manager.messages).toEqual([]);
  });

  it('answer afresh when the prompt changed between the pause and the commit', async () => {
    const t = setup();
    t.start(0);
    t.pause(SECOND, 1000);
    await until(() => t.llm.calls.length === 1, 'eager generation');
    // Another conversation was opened in between: the prompt the eager reply answered is gone.
    t.manager.loadHistory([{ id: 'm1', turnId: 't0', role: 'user', content: 'Earlier question', createdAt: 0 }]);
    t.end(SECOND, 1400, 1000);
    await until(() => t.turnEnds().length === 1, 'turn end');
    expect(t.llm.calls).toHaveLength(2);
    expect(t.llm.calls[1]!.messages.map((m) => m.content)).toContain('Earlier question Book a table.');
  });
});
