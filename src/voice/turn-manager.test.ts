import { describe, expect, it } from 'vitest';
import { TURN_MARKS, deriveDurations, outOfOrderMarks, type TurnTimingRecord } from '../metrics/turn-timing.ts';
import type { TurnManagerEvent, VoiceState } from './events.ts';
import type { VoiceSettings } from './settings.ts';
import { Deferred, FakeAsr, FakeLlm, FakePlayer, FakeTts, settle, until } from './testing/fakes.ts';
import { TurnManager } from './turn-manager.ts';

const SECOND = new Float32Array(16000);

function tokensOf(text: string): string[] {
  return text.split(/(?=\s)/u);
}

function setup(
  options: {
    asr?: FakeAsr;
    llm?: FakeLlm;
    tts?: FakeTts;
    player?: FakePlayer;
    settings?: Partial<VoiceSettings>;
    listening?: boolean;
    transcriptGraceMs?: number;
  } = {},
) {
  const asr = options.asr ?? new FakeAsr();
  const llm = options.llm ?? new FakeLlm();
  const tts = options.tts ?? new FakeTts();
  const player = options.player ?? new FakePlayer(true);
  let id = 0;
  const manager = new TurnManager({
    engines: { asr, llm, tts, models: { asr: 'asr-x', llm: 'llm-x', tts: 'tts-x' }, backends: { llm: 'wasm' } },
    player,
    settings: { splitter: { firstChunkMinWords: 0 }, ...options.settings },
    listening: options.listening ?? true,
    transcriptGraceMs: options.transcriptGraceMs,
    createId: () => `id${(id += 1)}`,
  });
  const events: TurnManagerEvent[] = [];
  manager.subscribe((event) => events.push(event));
  const states = (): VoiceState[] => events.flatMap((e) => (e.type === 'state' ? [e.state] : []));
  const turnEnds = () => events.flatMap((e) => (e.type === 'turn-end' ? [e] : []));
  const speak = (audio = SECOND, at = performance.now()): void => {
    manager.handleVadEvent({ type: 'speech-start', at: at - 1000 });
    manager.handleVadEvent({ type: 'speech-confirmed', at: at - 800 });
    manager.handleVadEvent({ type: 'speech-end', reason: 'silence', at, audio, lastSpeechAt: at - 600 });
  };
  return { asr, llm, tts, player, manager, events, states, turnEnds, speak };
}

describe('a voice turn', () => {
  it('runs speech end -> transcript -> reply -> audio, in order, and stores both messages', async () => {
    const t = setup();
    t.speak();
    await until(() => t.turnEnds().length === 1, 'turn end');

    const order = t.events
      .map((e) => e.type)
      .filter((type) => ['turn-start', 'user-message', 'assistant-start', 'assistant-final', 'turn-end'].includes(type));
    expect(order).toEqual(['turn-start', 'user-message', 'assistant-start', 'assistant-final', 'turn-end']);
    expect(t.states()).toEqual(['hearing', 'thinking', 'speaking', 'listening']);
    expect(t.tts.calls.map((c) => c.text)).toEqual(['Hi there.', 'How can I help?']);
    expect(t.player.enqueued.map((s) => s.segmentId)).toEqual([0, 1]);
    expect(t.manager.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Hello there.'],
      ['assistant', 'Hi there. How can I help?'],
    ]);
    expect(t.turnEnds()[0]?.outcome).toBe('completed');
  });

  it('with streaming off (the benchmark baseline), synthesises the whole reply as one chunk after generation', async () => {
    const t = setup({ settings: { streaming: false } });
    t.speak();
    await until(() => t.turnEnds().length === 1, 'turn end');
    expect(t.tts.calls.map((c) => c.text)).toEqual(['Hi there. How can I help?']);
    expect(t.player.enqueued.map((s) => s.segmentId)).toEqual([0]);
    const marks = t.turnEnds()[0]?.timing.marks ?? {};
    expect(marks.firstSentenceReady).toBeGreaterThanOrEqual(marks.llmFirstToken ?? Infinity);
    expect(t.manager.messages.map((m) => m.content)).toEqual(['Hello there.', 'Hi there. How can I help?']);
    expect(t.turnEnds()[0]?.outcome).toBe('completed');
  });

  it('sends the system prompt and the history to the LLM, with the mode token limit and voice', async () => {
    const t = setup({ settings: { systemPrompt: 'Be brief.', responseMode: 'fast', maxTokens: { fast: 50, balanced: 100, detailed: 200 }, voice: 'bf_emma' } });
    t.speak();
    await until(() => t.turnEnds().length === 1);
    const call = t.llm.calls[0];
    expect(call?.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello there.' },
    ]);
    expect(call?.options.maxTokens).toBe(50);
    expect(t.tts.calls[0]?.options.voice).toBe('bf_emma');
  });

  it('streams the reply text to the UI token by token', async () => {
    const t = setup();
    t.speak();
    await until(() => t.turnEnds().length === 1);
    const deltas = t.events.flatMap((e) => (e.type === 'assistant-delta' ? [e] : []));
    expect(deltas.map((d) => d.delta)).toEqual(t.llm.tokens);
    expect(deltas.at(-1)?.text).toBe('Hi there. How can I help?');
  });

  it('tells the UI how much of the reply has been spoken, one sentence as each starts to play', async () => {
    const reply = 'First sentence here. Second sentence follows.';
    const t = setup({ llm: new FakeLlm(tokensOf(reply)) });
    t.speak();
    await until(() => t.turnEnds().length === 1);
    const spoken = t.events.flatMap((e) => (e.type === 'assistant-spoken' ? [e.spokenChars] : []));
    expect(spoken.map((chars) => reply.slice(0, chars))).toEqual(['First sentence here.', reply]);
    // Reported once the audio is playing, not when the sentence was written.
    const firstSpoken = t.events.findIndex((e) => e.type === 'assistant-spoken');
    const firstAudible = t.events.findIndex((e) => e.type === 'state' && e.state === 'speaking');
    expect(firstSpoken).toBeGreaterThan(firstAudible);
  });

  it('starts the first audio before the reply is complete', async () => {
    const llm = new FakeLlm(tokensOf('First sentence here. Second sentence follows. Third one ends.'));
    const hold = new Deferred();
    llm.gates.set(4, hold.promise); // the LLM stalls after "First sentence here. Second"
    const t = setup({ llm });
    t.speak();
    await until(() => t.player.events.some((e) => e.type === 'segment-start'), 'first audio');
    expect(t.llm.calls[0]?.produced).toBe(4);
    expect(t.player.enqueued).toHaveLength(1);
    expect(t.manager.state).toBe('speaking');
    hold.resolve();
    await until(() => t.turnEnds().length === 1);
    expect(t.player.enqueued).toHaveLength(3);
  });

  it('synthesises at most maxSegmentsAhead segments ahead of playback', async () => {
    const llm = new FakeLlm(tokensOf('One. Two. Three. Four. Five.'));
    const player = new FakePlayer(false);
    const t = setup({ llm, player, settings: { maxSegmentsAhead: 2 } });
    t.speak();
    await until(() => t.tts.calls.length === 2);
    await settle();
    expect(t.tts.calls).toHaveLength(2);
    player.startNext();
    player.finishCurrent();
    await until(() => t.tts.calls.length === 3);
    await settle();
    expect(t.tts.calls).toHaveLength(3);
    for (let i = 0; i < 4; i += 1) {
      player.startNext();
      player.finishCurrent();
      await settle();
    }
    await until(() => t.turnEnds().length === 1);
    expect(t.tts.calls.map((c) => c.text)).toEqual(['One.', 'Two.', 'Three.', 'Four.', 'Five.']);
  });

  it('records the timing marks in order, with the derived durations', async () => {
    const t = setup();
    t.speak();
    await until(() => t.turnEnds().length === 1);
    const timing = t.turnEnds()[0]?.timing as TurnTimingRecord;
    expect(Object.keys(timing.marks).sort()).toEqual([...TURN_MARKS].sort());
    expect(timing.endOfTurn).toEqual({ reason: 'silence' });
    expect(outOfOrderMarks(timing.marks)).toEqual([]);
    expect(timing.tokens).toBe(8);
    expect(timing.models).toEqual({ asr: 'asr-x', llm: 'llm-x', tts: 'tts-x' });
    expect(timing.backends).toEqual({ llm: 'wasm' });
    expect(timing.compute.asr).toBe(12);
    expect(timing.compute.llmFirstToken).toBeGreaterThanOrEqual(0);
    expect(timing.compute.ttsFirstAudio).toBeGreaterThanOrEqual(0);
    expect(timing.interrupted).toBe(false);
    const durations = deriveDurations(timing);
    for (const key of ['endpointing', 'asr', 'llmTtft', 'ttsFirstAudio', 'voiceToVoice', 'orchestrationOverhead'] as const) {
      expect(durations[key]).toBeDefined();
    }
    // From the last word: the silence the VAD waited out is part of what the user felt.
    expect(durations.voiceToVoice).toBeGreaterThanOrEqual(600);
    const timingEvents = t.events.filter((e) => e.type === 'timing');
    expect(timingEvents.length).toBeGreaterThanOrEqual(6);
  });
});

describe('details', () => {
  it('measures endpointing when the VAD reports the last speech frame', async () => {
    const t = setup();
    const at = performance.now();
    t.manager.handleVadEvent({ type: 'speech-start', at: at - 900 });
    t.manager.handleVadEvent({ type: 'speech-end', reason: 'silence', at, audio: SECOND, lastSpeechAt: at - 300 });
    await until(() => t.turnEnds().length === 1);
    const timing = t.turnEnds()[0]?.timing as TurnTimingRecord;
    expect(deriveDurations(timing).endpointing).toBeCloseTo(300);
  });

  it('speaks the reply without markdown, and skips what cannot be spoken', async () => {
    const llm = new FakeLlm(['**Bold**', ' claim.', '\n', '---', '\n', '- item', ' one']);
    const t = setup({ llm });
    t.manager.submitText('Format it');
    await until(() => t.turnEnds().length === 1);
    expect(t.tts.calls.map((c) => c.text)).toEqual(['Bold claim.', 'item one']);
    expect(t.player.enqueued.map((s) => s.segmentId)).toEqual([0, 2]);
    expect(t.manager.messages.at(-1)?.content).toBe('**Bold** claim.\n---\n- item one');
  });
});

describe('no turn for silence or noise', () => {
  it.each(['', '   ', '[BLANK_AUDIO]', '(wind blowing)', '♪ ♪', ' you', 'Thanks for watching!'])('%j', async (transcript) => {
    const t = setup({ asr: new FakeAsr([transcript]) });
    t.speak();
    await until(() => t.turnEnds().length === 1);
    expect(t.turnEnds()[0]?.outcome).toBe('discarded');
    expect(t.llm.calls).toHaveLength(0);
    expect(t.manager.messages).toEqual([]);
    expect(t.events.some((e) => e.type === 'notice' && e.notice.kind === 'no-speech')).toBe(true);
    expect(t.manager.state).toBe('listening');
  });

  it('ignores a VAD misfire', async () => {
    const t = setup();
    t.manager.handleVadEvent({ type: 'speech-start', at: 1 });
    t.manager.handleVadEvent({ type: 'misfire', at: 2 });
    await settle();
    expect(t.asr.calls).toHaveLength(0);
    expect(t.states()).toEqual(['hearing', 'listening']);
  });
});

describe('barge-in', () => {
  async function speakingTurn() {
    const llm = new FakeLlm(tokensOf('The first sentence. The second sentence is longer than the first. The third. The fourth.'));
    const tts = new FakeTts();
    const player = new FakePlayer(false);
    const t = setup({ llm, tts, player, settings: { maxSegmentsAhead: 3 } });
    const ttsHold = new Deferred();
    tts.gates.set(2, ttsHold.promise);
    t.speak();
    await until(() => player.enqueued.length === 2 && tts.calls.length === 3, 'two queued, third synthesising');
    player.startNext();
    player.finishCurrent(); // "The first sentence." heard in full
    player.startNext();
    return { ...t, ttsHold };
  }

  it('stops playback and keeps only the words heard in the history', async () => {
    const t = await speakingTurn();
    const second = t.player.enqueued[1]?.chunk.samples.length ?? 0;
    t.player.playFrames(Math.floor(second * 0.5));
    expect(t.manager.state).toBe('speaking');

    t.manager.handleVadEvent({ type: 'speech-start', at: performance.now() });
    expect(t.player.held).toBe(true); // silent at the first speech frame...
    expect(t.player.stops).toBe(0); // ...but not stopped: an unconfirmed start may be a cough
    t.manager.handleVadEvent({ type: 'speech-confirmed', at: performance.now() });
    expect(t.player.stops).toBe(1); // synchronously: playback stops at once
    expect(t.manager.state).toBe('hearing');

    await until(() => t.turnEnds().length === 1);
    const final = t.events.find((e) => e.type === 'assistant-final');
    // "The second sentence is longer than the first." is 46 characters; half is cut at a word.
    expect(final?.type === 'assistant-final' && final.message?.content).toBe('The first sentence. The second sentence is');
    expect(final?.type === 'assistant-final' && final.message?.interrupted).toBe(true);
    expect(t.manager.messages.at(-1)?.content).toBe('The first sentence. The second sentence is');
    expect(t.turnEnds()[0]?.outcome).toBe('interrupted');
    expect(t.turnEnds()[0]?.timing.interrupted).toBe(true);
    expect(t.events.some((e) => e.type === 'notice' && e.notice.kind === 'barge-in')).toBe(true);
  });

  it('holds the reply silent at speech start and resumes it when the VAD calls a misfire', async () => {
    const t = await speakingTurn();
    const at = performance.now();
    t.manager.handleVadEvent({ type: 'speech-start', at });
    expect(t.player.held).toBe(true);
    expect(t.events.some((e) => e.type === 'notice' && e.notice.kind === 'barge-in-hold' && e.notice.at === at)).toBe(true);

    t.manager.handleVadEvent({ type: 'misfire', at: at + 100 });
    expect(t.player.held).toBe(false);
    expect(t.player.stops).toBe(0);
    expect(t.manager.state).toBe('speaking');
    t.ttsHold.resolve();
    while (t.player.queued.length > 0) {
      t.player.startNext();
      t.player.finishCurrent();
      await settle();
    }
    await until(() => t.turnEnds().length === 1);
    expect(t.turnEnds()[0]?.outcome).toBe('completed');
    expect(t.manager.messages.at(-1)?.content).toBe('The first sentence. The second sentence is longer than the first. The third. The fourth.');
  });

  it('does not hold the player for speech that starts while the assistant is silent', async () => {
    const t = setup({ player: new FakePlayer(false) });
    t.manager.handleVadEvent({ type: 'speech-start', at: performance.now() });
    expect(t.player.held).toBe(false);
  });

  it('aborts generation and drops pending synthesis', async () => {
    const t = await speakingTurn();
    const llmCall = t.llm.calls[0];
    t.manager.handleVadEvent({ type: 'speech-confirmed', at: performance.now() });
    await until(() => t.turnEnds().length === 1);
    expect(llmCall?.options.signal?.aborted).toBe(true);
    expect(t.tts.calls[2]?.options.signal?.aborted).toBe(true);
    t.ttsHold.resolve(); // the synthesis finishes late...
    await settle();
    expect(t.player.enqueued).toHaveLength(2); // ...and is never played
    expect(t.tts.calls).toHaveLength(3);
  });

  it('keeps no assistant message when nothing was heard yet', async () => {
    const llm = new FakeLlm(tokensOf('A reply that is still being written.'));
    const hold = new Deferred();
    llm.gates.set(3, hold.promise);
    const t = setup({ llm });
    t.speak();
    await until(() => llm.calls[0]?.produced === 3);
    expect(t.manager.state).toBe('thinking');
    t.manager.handleVadEvent({ type: 'speech-confirmed', at: performance.now() });
    await until(() => t.turnEnds().length === 1);
    expect(llm.calls[0]?.options.signal?.aborted).toBe(true);
    expect(t.manager.messages.map((m) => m.role)).toEqual(['user']);
    const final = t.events.find((e) => e.type === 'assistant-final');
    expect(final?.type === 'assistant-final' && final.message).toBeNull();
    expect(final?.type === 'assistant-final' && final.generatedText).toBe('A reply that');
  });

  it('ends the engine stream even when the engine ignores its signal', async () => {
    const llm = new FakeLlm(tokensOf('Never mind the signal. Keep going.'));
    const stuck = new Deferred();
    llm.gates.set(2, stuck.promise); // never resolved
    const t = setup({ llm });
    t.speak();
    await until(() => llm.calls[0]?.produced === 2);
    t.manager.handleVadEvent({ type: 'speech-confirmed', at: performance.now() });
    await until(() => t.turnEnds().length === 1, 'turn end despite a stuck engine');
  });

  it('answers the next utterance with the truncated reply in its context', async () => {
    const t = await speakingTurn();
    t.player.playFrames(1000);
    t.manager.handleVadEvent({ type: 'speech-confirmed', at: performance.now() });
    t.manager.handleVadEvent({ type: 'speech-end', reason: 'silence', at: performance.now(), audio: SECOND });
    t.player.startNext();
    await until(() => t.llm.calls.length === 2);
    expect(t.llm.calls[1]?.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(t.llm.calls[1]?.messages[2]?.content).toBe('The first sentence. The second');
  });

  it('keeps an utterance the user continued before its transcript was ready, and answers both', async () => {
    const gate = new Deferred();
    const asr = new FakeAsr(['Book a table', 'for two at eight.'], gate.promise);
    const t = setup({ asr });
    t.speak();
    t.manager.handleVadEvent({ type: 'speech-start', at: performance.now() });
    t.manager.handleVadEvent({ type: 'speech-confirmed', at: performance.now() });
    t.manager.handleVadEvent({ type: 'speech-end', reason: 'silence', at: performance.now(), audio: SECOND });
    gate.resolve();
    await until(() => t.turnEnds().length === 2);
    expect(t.turnEnds().map((e) => e.outcome)).toEqual(['interrupted', 'completed']);
    expect(t.llm.calls).toHaveLength(1);
    expect(t.llm.calls[0]?.messages.at(-1)).toEqual({ role: 'user', content: 'Book a table for two at eight.' });
    expect(t.manager.messages.map((m) => m.role)).toEqual(['user', 'user', 'assistant']);
  });

  it('gives up on a superseded transcript that never comes, so the next turn is not held up', async () => {
    const stuck = new Deferred();
    const asr = new FakeAsr(['never'], stuck.promise);
    const t = setup({ asr, transcriptGraceMs: 5 });
    t.speak();
    t.manager.handleVadEvent({ type: 'speech-confirmed', at: performance.now() });
    t.manager.submitText('Typed instead');
    await until(() => t.turnEnds().length === 2);
    expect(t.turnEnds().map((e) => e.outcome)).toEqual(['interrupted', 'completed']);
    expect(asr.calls[0]?.signal?.aborted).toBe(true);
    expect(t.manager.messages.map((m) => m.content)).toEqual(['Typed instead', 'Hi there. How can I help?']);
  });

  it('half-duplex also ignores an utterance that began before the assistant spoke', async () => {
    const player = new FakePlayer(false);
    const t = setup({ player, settings: { halfDuplex: true } });
    t.manager.submitText('Hi');
    t.manager.handleVadEvent({ type: 'speech-start', at: performance.now() });
    await until(() => player.enqueued.length >= 1);
    player.startNext();
    await until(() => player.events.length > 0);
    t.manager.handleVadEvent({ type: 'speech-confirmed', at: performance.now() });
    t.manager.handleVadEvent({ type: 'speech-end', reason: 'silence', at: performance.now(), audio: SECOND });
    await settle();
    expect(player.stops).toBe(0);
    expect(t.asr.calls).toHaveLength(0);
    expect(t.manager.state).toBe('speaking');
  });

  it('is off in half-duplex mode while the assistant speaks', async () => {
    const llm = new FakeLlm(tokensOf('One sentence. Another sentence.'));
    const player = new FakePlayer(false);
    const t = setup({ llm, player, settings: { halfDuplex: true } });
    t.speak();
    await until(() => player.enqueued.length >= 1);
    player.startNext();
    await until(() => t.manager.state === 'speaking');
    t.speak(); // the assistant's own voice through the speakers
    await settle();
    expect(player.stops).toBe(0);
    expect(t.asr.calls).toHaveLength(1);
    expect(t.manager.state).toBe('speaking');
    player.finishCurrent();
    await until(() => player.enqueued.length === 2);
    player.startNext();
    player.finishCurrent();
    await until(() => t.turnEnds().length === 1);
    expect(t.turnEnds()[0]?.outcome).toBe('completed');
    // Once the assistant is quiet the user is heard again.
    t.speak();
    await until(() => t.asr.calls.length === 2);
  });
});

describe('limits', () => {
  it('caps a reply that never ends at the mode token limit and flags it', async () => {
    const llm = new FakeLlm();
    llm.endless = true;
    const t = setup({ llm, settings: { responseMode: 'fast', maxTokens: { fast: 20, balanced: 50, detailed: 80 } } });
    t.manager.submitText('Talk forever');
    await until(() => t.turnEnds().length === 1);
    expect(llm.calls[0]?.produced).toBe(20);
    expect(llm.calls[0]?.closed).toBe(true);
    const last = t.manager.messages.at(-1);
    expect(last?.capped).toBe(true);
    expect(last?.content.split(' ')).toHaveLength(20);
    expect(t.turnEnds()[0]?.timing.capped).toBe(true);
    expect(t.events.some((e) => e.type === 'notice' && e.notice.kind === 'reply-capped' && e.notice.maxTokens === 20)).toBe(true);
  });

  it('caps a very long utterance and says so', async () => {
    const t = setup({ settings: { maxUtteranceSeconds: 2 } });
    t.speak(new Float32Array(16000 * 5));
    await until(() => t.turnEnds().length === 1);
    expect(t.asr.calls[0]?.audio.length).toBe(32000);
    const notice = t.events.find((e) => e.type === 'notice' && e.notice.kind === 'utterance-capped');
    expect(notice?.type === 'notice' && notice.notice).toMatchObject({ maxSeconds: 2, seconds: 5 });
    expect(t.manager.messages[0]?.utteranceCapped).toBe(true);
  });
});

describe('settings and text', () => {
  it('applies a system prompt change from the next turn on', async () => {
    const llm = new FakeLlm();
    const hold = new Deferred();
    llm.gates.set(0, hold.promise);
    const t = setup({ llm, settings: { systemPrompt: 'Old prompt.' } });
    t.manager.submitText('First');
    await until(() => llm.calls.length === 1);
    t.manager.updateSettings({ systemPrompt: 'New prompt.', voice: 'am_adam' });
    hold.resolve();
    await until(() => t.turnEnds().length === 1);
    expect(t.tts.calls[0]?.options.voice).toBe('af_heart');
    llm.gates.clear();
    t.manager.submitText('Second');
    await until(() => t.turnEnds().length === 2);
    expect(llm.calls[0]?.messages[0]?.content).toBe('Old prompt.');
    expect(llm.calls[1]?.messages[0]?.content).toBe('New prompt.');
    expect(t.tts.calls.at(-1)?.options.voice).toBe('am_adam');
  });

  it('runs text turns without a microphone', async () => {
    const t = setup({ listening: false });
    expect(t.manager.state).toBe('idle');
    const turnId = t.manager.submitText('  What time is it?  ');
    expect(turnId).toBe('id1');
    await until(() => t.turnEnds().length === 1);
    expect(t.asr.calls).toHaveLength(0);
    expect(t.manager.messages[0]).toMatchObject({ role: 'user', content: 'What time is it?', source: 'text' });
    expect(t.states()).toEqual(['thinking', 'speaking', 'idle']);
    expect(t.manager.submitText('   ')).toBeNull();
  });

  it('a new text message interrupts the reply in progress', async () => {
    const player = new FakePlayer(false);
    const t = setup({ player });
    t.manager.submitText('First');
    await until(() => player.enqueued.length >= 1);
    player.startNext();
    t.manager.submitText('Second');
    await until(() => t.turnEnds().length === 1);
    expect(player.stops).toBe(1);
    expect(t.turnEnds()[0]?.outcome).toBe('interrupted');
  });

  it('swaps engines from the next turn on', async () => {
    const t = setup();
    const other = new FakeLlm(['Other', ' engine', '.']);
    t.manager.setEngines({ llm: other });
    t.manager.submitText('Hi');
    await until(() => t.turnEnds().length === 1);
    expect(other.calls).toHaveLength(1);
    expect(t.manager.messages.at(-1)?.content).toBe('Other engine.');
  });

  it('keeps a turn of the previous conversation out of a newly loaded one', async () => {
    const player = new FakePlayer(false);
    const t = setup({ player });
    t.manager.submitText('Old conversation');
    await until(() => player.enqueued.length >= 1);
    player.startNext();
    player.playFrames(500);
    t.manager.loadHistory([]);
    await until(() => t.turnEnds().length === 1);
    expect(t.manager.messages).toEqual([]);
    expect(t.events.at(-1)?.type).toBe('turn-end');
    t.manager.submitText('New conversation');
    await until(() => t.llm.calls.length === 2);
    expect(t.llm.calls[1]?.messages.slice(1)).toEqual([{ role: 'user', content: 'New conversation' }]);
  });

  it('loads and clears a conversation', async () => {
    const t = setup();
    t.manager.loadHistory([{ id: 'm1', turnId: 't0', role: 'user', content: 'Earlier question', createdAt: 0 }]);
    t.manager.submitText('Follow-up');
    await until(() => t.turnEnds().length === 1);
    expect(t.llm.calls[0]?.messages.map((m) => m.content).slice(1)).toEqual(['Earlier question Follow-up']);
    t.manager.clearHistory();
    expect(t.manager.messages).toEqual([]);
    expect(t.events.at(-1)).toEqual({ type: 'history', messages: [] });
  });
});

describe('errors', () => {
  it('reports an ASR failure and goes back to listening', async () => {
    const asr = new FakeAsr();
    asr.error = new Error('ASR exploded');
    const t = setup({ asr });
    t.speak();
    await until(() => t.turnEnds().length === 1);
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'error', stage: 'asr', message: 'ASR exploded' }));
    expect(t.turnEnds()[0]?.outcome).toBe('failed');
    expect(t.manager.state).toBe('listening');
  });

  it('reports a TTS failure once and still completes the reply as text', async () => {
    const tts = new FakeTts();
    tts.failing = true;
    const t = setup({ tts });
    t.manager.submitText('Hi');
    await until(() => t.turnEnds().length === 1);
    expect(t.events.filter((e) => e.type === 'error' && e.stage === 'tts')).toHaveLength(1);
    expect(t.turnEnds()[0]?.outcome).toBe('completed');
    expect(t.manager.messages.at(-1)?.content).toBe('Hi there. How can I help?');
  });

  it('keeps what the LLM wrote before it failed, flagged', async () => {
    const llm = new FakeLlm();
    llm.failAfter = 3;
    const t = setup({ llm });
    t.manager.submitText('Hi');
    await until(() => t.turnEnds().length === 1);
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'error', stage: 'llm', message: 'LLM exploded' }));
    expect(t.turnEnds()[0]?.outcome).toBe('failed');
    expect(t.manager.messages.at(-1)).toMatchObject({ content: 'Hi there.', failed: true });
    expect(t.player.enqueued).toHaveLength(1);
  });

  it('reports a player that refuses audio as a player error', async () => {
    const player = new FakePlayer(true);
    player.enqueue = () => {
      throw new Error('The audio player is closed');
    };
    const t = setup({ player });
    t.manager.submitText('Hi');
    await until(() => t.turnEnds().length === 1);
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'error', stage: 'player' }));
    expect(t.manager.messages.at(-1)?.content).toBe('Hi there. How can I help?');
  });

  it('passes VAD errors on', () => {
    const t = setup();
    t.manager.handleVadEvent({ type: 'error', message: 'VAD model missing' });
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'error', stage: 'vad', message: 'VAD model missing' }));
  });

  it('survives a listener that throws', async () => {
    const t = setup();
    t.manager.subscribe(() => {
      throw new Error('bad listener');
    });
    const original = console.error;
    console.error = () => {};
    try {
      t.manager.submitText('Hi');
      await until(() => t.turnEnds().length === 1);
    } finally {
      console.error = original;
    }
  });
});

describe('VAD stream and lifetime', () => {
  it('consumes an async stream of VAD events', async () => {
    const t = setup();
    async function* vad() {
      yield { type: 'speech-start' as const, at: 1 };
      yield { type: 'speech-confirmed' as const, at: 2 };
      yield { type: 'speech-end' as const, reason: 'silence' as const, at: 3, audio: SECOND };
    }
    await t.manager.consumeVad(vad());
    await until(() => t.turnEnds().length === 1);
    expect(t.turnEnds()[0]?.timing.marks.speechStart).toBe(1);
    expect(t.turnEnds()[0]?.timing.marks.speechEnd).toBe(3);
  });

  it('goes idle when the microphone stops and stops turns when disposed', async () => {
    const llm = new FakeLlm();
    const hold = new Deferred();
    llm.gates.set(1, hold.promise);
    const t = setup({ llm });
    t.manager.setListening(false);
    expect(t.manager.state).toBe('idle');
    t.manager.submitText('Hi');
    await until(() => llm.calls[0]?.produced === 1);
    t.manager.dispose();
    expect(llm.calls[0]?.options.signal?.aborted).toBe(true);
    expect(t.manager.submitText('Again')).toBeNull();
  });
});
