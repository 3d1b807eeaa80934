import { describe, expect, it } from 'vitest';
import {
  TurnTimer,
  deriveDurations,
  eagerTotals,
  outOfOrderMarks,
  sessionMedians,
  type TurnMarks,
  type TurnTimingRecord,
} from './turn-timing.ts';
import { EAGER_MARKS, FULL_MARKS } from './testing.ts';

function record(marks: TurnMarks, extra: Partial<TurnTimingRecord> = {}): TurnTimingRecord {
  return {
    turnId: 't',
    source: 'voice',
    marks,
    compute: {},
    tokens: 0,
    models: {},
    backends: {},
    interrupted: false,
    capped: false,
    ...extra,
  };
}

const FULL = FULL_MARKS;

/** Stacked parts of voice to voice, in the panel's order. */
const STACK = ['endpointing', 'asr', 'llmTtft', 'firstSentence', 'ttsFirstAudio', 'playout'] as const;
const stacked = (d: ReturnType<typeof deriveDurations>) => STACK.reduce((sum, name) => sum + (d[name] ?? NaN), 0);

describe('deriveDurations', () => {
  it('derives every stage from the marks, voice to voice from the last word', () => {
    const durations = deriveDurations(
      record(FULL, { tokens: 41, compute: { asr: 150, llmFirstToken: 180, llmFirstSentence: 380, ttsFirstAudio: 140 } }),
    );
    expect(durations).toEqual({
      endpointing: 500,
      asr: 200,
      llmTtft: 200,
      firstSentence: 200,
      ttsFirstAudio: 150,
      playout: 50,
      // lastSpeech (1000) -> firstAudioAudible (2300), not speechEnd (1500) -> it.
      voiceToVoice: 1300,
      textToVoice: 600,
      // From the commit: the endpointing wait is not pipeline overhead.
      orchestrationOverhead: 800 - (150 + 380 + 140),
      tokensPerSecond: 40 / 2,
      total: 6000,
    });
    expect(stacked(durations)).toBe(durations.voiceToVoice);
  });

  it('gives a voice turn without a lastSpeech mark no voice to voice (and no endpointing)', () => {
    const { lastSpeech: _, ...marks } = FULL;
    const durations = deriveDurations(record(marks));
    expect(durations.voiceToVoice).toBeUndefined();
    expect(durations.endpointing).toBeUndefined();
    expect(durations).toMatchObject({ asr: 200, textToVoice: 600 });
  });

  it('counts only what an eager turn still waited for after the commit', () => {
    // Pause at 1200 (200 ms after the last word): ASR and the LLM start. The turn is committed
    // at 1500; the first sentence is ready at 1600, audio at 1700, heard at 1720.
    const eager = record(
      EAGER_MARKS,
      { compute: { asr: 90, llmFirstToken: 140, llmFirstSentence: 290, ttsFirstAudio: 95 }, eager: { started: 1, kept: 1, discarded: 0 } },
    );
    const durations = deriveDurations(eager);
    expect(durations).toMatchObject({
      endpointing: 500,
      // Transcript and first token were there before the commit: nothing left to wait for.
      asr: 0,
      llmTtft: 0,
      // The rest of the first sentence after the commit.
      firstSentence: 100,
      ttsFirstAudio: 100,
      playout: 20,
      voiceToVoice: 720,
      textToVoice: 220,
    });
    expect(stacked(durations)).toBe(durations.voiceToVoice);
    // Part of the model time was spent before the commit: no overhead figure.
    expect(durations.orchestrationOverhead).toBeUndefined();
    expect(outOfOrderMarks(eager.marks)).toEqual([]);
  });

  it('adds up for an eager turn whose first audio was ready before the commit', () => {
    const durations = deriveDurations(
      record({ lastSpeech: 1000, transcriptFinal: 1250, llmFirstToken: 1300, firstSentenceReady: 1400, firstAudioReady: 1450, speechEnd: 1800, firstAudioAudible: 1830 }),
    );
    expect(durations).toMatchObject({ endpointing: 800, asr: 0, llmTtft: 0, firstSentence: 0, ttsFirstAudio: 0, playout: 30, voiceToVoice: 830 });
    expect(stacked(durations)).toBe(durations.voiceToVoice);
  });

  it('counts the ASR remainder when the eager transcript came after the commit', () => {
    const durations = deriveDurations(
      record({ lastSpeech: 1000, speechEnd: 1300, transcriptFinal: 1380, llmFirstToken: 1500, firstSentenceReady: 1600, firstAudioReady: 1700, firstAudioAudible: 1750 }),
    );
    expect(durations).toMatchObject({ endpointing: 300, asr: 80, llmTtft: 120, voiceToVoice: 750 });
    expect(stacked(durations)).toBe(durations.voiceToVoice);
  });

  it('keeps the text turn figures from the submission', () => {
    const durations = deriveDurations(
      record({ transcriptFinal: 100, llmFirstToken: 300, firstSentenceReady: 400, firstAudioReady: 500, firstAudioAudible: 530, turnEnd: 900 }, { source: 'text', endOfTurn: { reason: 'text' } }),
    );
    expect(durations).toEqual({ llmTtft: 200, firstSentence: 100, ttsFirstAudio: 100, playout: 30, textToVoice: 430, total: 800 });
  });

  it('leaves out what it cannot know', () => {
    const durations = deriveDurations(record({ transcriptFinal: 10, llmFirstToken: 30, turnEnd: 50 }, { source: 'text', tokens: 1 }));
    expect(durations).toEqual({ llmTtft: 20, total: 40 });
  });

  it('uses the LLM time to first token when the first-sentence figure is missing', () => {
    const durations = deriveDurations(record(FULL, { compute: { asr: 100, llmFirstToken: 150, ttsFirstAudio: 100 } }));
    expect(durations.orchestrationOverhead).toBe(800 - 350);
  });

  it('gives no overhead without the compute of every stage', () => {
    expect(deriveDurations(record(FULL, { compute: { asr: 100 } })).orchestrationOverhead).toBeUndefined();
  });

  it('reports the end-of-turn model time', () => {
    const durations = deriveDurations(record(FULL, { endOfTurn: { reason: 'turn-model', turnModelMs: 24, turnModelCalls: 3, probability: 0.91 } }));
    expect(durations.turnModel).toBe(24);
  });
});

describe('outOfOrderMarks', () => {
  it('accepts marks in order, with llmDone after the first audio', () => {
    expect(outOfOrderMarks(FULL)).toEqual([]);
  });

  it('names a mark earlier than its predecessor', () => {
    expect(outOfOrderMarks({ speechEnd: 10, transcriptFinal: 25, llmFirstToken: 20 })).toEqual(['llmFirstToken']);
    expect(outOfOrderMarks({ llmFirstToken: 20, llmDone: 10 })).toEqual(['llmDone']);
    expect(outOfOrderMarks({ lastSpeech: 20, speechEnd: 10 })).toEqual(['speechEnd']);
  });

  it("allows an eager turn's work before the commit, but not before the user's speech", () => {
    expect(outOfOrderMarks({ lastSpeech: 10, transcriptFinal: 20, llmFirstToken: 30, firstSentenceReady: 40, firstAudioReady: 50, speechEnd: 60, firstAudioAudible: 70 })).toEqual([]);
    expect(outOfOrderMarks({ lastSpeech: 10, transcriptFinal: 5, speechEnd: 60 })).toEqual(['transcriptFinal']);
    expect(outOfOrderMarks({ lastSpeech: 10, transcriptFinal: 30, llmFirstToken: 20, speechEnd: 60 })).toEqual(['llmFirstToken']);
  });

  it('flags a reply heard before the turn was committed', () => {
    expect(outOfOrderMarks({ lastSpeech: 10, transcriptFinal: 20, firstAudioReady: 30, firstAudioAudible: 40, speechEnd: 60 })).toEqual(['firstAudioAudible']);
  });
});

describe('sessionMedians', () => {
  it('takes the median of each duration over the turns that have it', () => {
    const turns = [
      record({ lastSpeech: -500, speechEnd: 0, transcriptFinal: 100, firstAudioAudible: 900 }),
      record({ lastSpeech: -300, speechEnd: 0, transcriptFinal: 300, firstAudioAudible: 700 }),
      record({ lastSpeech: -400, speechEnd: 0, transcriptFinal: 200, firstAudioAudible: 1000 }),
      // No lastSpeech: no voice to voice.
      record({ speechEnd: 0, transcriptFinal: 200, firstAudioAudible: 5000 }),
      record({ transcriptFinal: 0, llmFirstToken: 50 }, { source: 'text' }),
    ];
    const { turns: count, medians, counts } = sessionMedians(turns);
    expect(count).toBe(5);
    expect(medians.asr).toBe(200);
    expect(medians.endpointing).toBe(400);
    expect(medians.voiceToVoice).toBe(1400);
    expect(counts.voiceToVoice).toBe(3);
    expect(medians.llmTtft).toBe(50);
    expect(counts.llmTtft).toBe(1);
  });

  it('averages the two middle values for an even count', () => {
    const turns = [100, 400, 200, 300].map((asr) => record({ speechEnd: 0, transcriptFinal: asr }));
    expect(sessionMedians(turns).medians.asr).toBe(250);
  });

  it('is empty for no turns', () => {
    expect(sessionMedians([])).toEqual({ turns: 0, medians: {}, counts: {} });
  });
});

describe('TurnTimer', () => {
  it('keeps the first value of a mark', () => {
    let clock = 100;
    const timer = new TurnTimer({ turnId: 't1', source: 'voice', now: () => clock });
    expect(timer.mark('speechEnd')).toBe(100);
    clock = 200;
    expect(timer.mark('speechEnd')).toBe(100);
    expect(timer.mark('transcriptFinal', 150)).toBe(150);
    expect(timer.snapshot().marks).toEqual({ speechEnd: 100, transcriptFinal: 150 });
  });

  it('counts tokens and marks the first and last', () => {
    let clock = 0;
    const timer = new TurnTimer({ turnId: 't1', source: 'text', now: () => clock, recordTokenTimes: true });
    for (const at of [10, 20, 30]) {
      clock = at;
      timer.token();
    }
    const snapshot = timer.snapshot();
    expect(snapshot.tokens).toBe(3);
    expect(snapshot.marks.llmFirstToken).toBe(10);
    expect(snapshot.marks.llmDone).toBe(30);
    expect(snapshot.tokenTimes).toEqual([10, 20, 30]);
    expect(deriveDurations(snapshot).tokensPerSecond).toBe(100);
  });

  it('records no token times unless asked', () => {
    const timer = new TurnTimer({ turnId: 't1', source: 'text' });
    timer.token();
    expect(timer.snapshot().tokenTimes).toBeUndefined();
  });

  it('keeps the first compute figure, flags, models and backends', () => {
    const timer = new TurnTimer({ turnId: 't1', source: 'voice', models: { llm: 'qwen' }, backends: { llm: 'webgpu' } });
    timer.compute('asr', 120);
    timer.compute('asr', 999);
    timer.flag('interrupted');
    const snapshot = timer.snapshot();
    expect(snapshot.compute).toEqual({ asr: 120 });
    expect(snapshot.interrupted).toBe(true);
    expect(snapshot.capped).toBe(false);
    expect(snapshot.models).toEqual({ llm: 'qwen' });
    expect(snapshot.backends).toEqual({ llm: 'webgpu' });
  });

  it('records how the turn ended and the end-of-turn model calls', () => {
    const timer = new TurnTimer({ turnId: 't1', source: 'voice' });
    timer.turnModelCall(8, 0.2);
    timer.turnModelCall(9, 0.93);
    timer.setEndOfTurn('turn-model');
    expect(timer.snapshot().endOfTurn).toEqual({ reason: 'turn-model', turnModelMs: 17, turnModelCalls: 2, probability: 0.93 });
    timer.turnModelCall(7);
    expect(timer.snapshot().endOfTurn).toEqual({ reason: 'turn-model', turnModelMs: 24, turnModelCalls: 3, probability: 0.93 });
    timer.setEndOfTurn('silence', { turnModelMs: 30 });
    expect(timer.snapshot().endOfTurn).toEqual({ reason: 'silence', turnModelMs: 30, turnModelCalls: 3, probability: 0.93 });
    expect(new TurnTimer({ turnId: 't2', source: 'text' }).snapshot().endOfTurn).toBeUndefined();
  });

  it('counts eager replies', () => {
    const timer = new TurnTimer({ turnId: 't1', source: 'voice' });
    expect(timer.snapshot().eager).toBeUndefined();
    timer.countEager('started');
    timer.countEager('discarded');
    timer.countEager('started');
    timer.countEager('kept');
    const snapshot = timer.snapshot();
    expect(snapshot.eager).toEqual({ started: 2, kept: 1, discarded: 1 });
    timer.countEager('started');
    expect(snapshot.eager).toEqual({ started: 2, kept: 1, discarded: 1 });
    expect(eagerTotals([snapshot, timer.snapshot(), record({})])).toEqual({ started: 5, kept: 2, discarded: 2 });
    expect(eagerTotals([record({})])).toBeUndefined();
  });

  it('hands out snapshots that later marks do not change', () => {
    const timer = new TurnTimer({ turnId: 't1', source: 'voice', now: () => 5 });
    const before = timer.snapshot();
    timer.mark('turnEnd');
    expect(before.marks.turnEnd).toBeUndefined();
  });
});
