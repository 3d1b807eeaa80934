import { describe, expect, it } from 'vitest';
import {
  TurnTimer,
  deriveDurations,
  outOfOrderMarks,
  sessionMedians,
  type TurnMarks,
  type TurnTimingRecord,
} from './turn-timing.ts';
import { FULL_MARKS } from './testing.ts';

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

describe('deriveDurations', () => {
  it('derives every stage from the marks', () => {
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
      voiceToVoice: 800,
      textToVoice: 600,
      orchestrationOverhead: 800 - (150 + 380 + 140),
      tokensPerSecond: 40 / 2,
      total: 6000,
    });
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
});

describe('outOfOrderMarks', () => {
  it('accepts marks in order, with llmDone after the first audio', () => {
    expect(outOfOrderMarks(FULL)).toEqual([]);
  });

  it('names a mark earlier than its predecessor', () => {
    expect(outOfOrderMarks({ speechEnd: 10, transcriptFinal: 5, llmFirstToken: 20 })).toEqual(['transcriptFinal']);
    expect(outOfOrderMarks({ llmFirstToken: 20, llmDone: 10 })).toEqual(['llmDone']);
  });
});

describe('sessionMedians', () => {
  it('takes the median of each duration over the turns that have it', () => {
    const turns = [
      record({ speechEnd: 0, transcriptFinal: 100, firstAudioAudible: 900 }),
      record({ speechEnd: 0, transcriptFinal: 300, firstAudioAudible: 700 }),
      record({ speechEnd: 0, transcriptFinal: 200, firstAudioAudible: 1000 }),
      record({ transcriptFinal: 0, llmFirstToken: 50 }, { source: 'text' }),
    ];
    const { turns: count, medians, counts } = sessionMedians(turns);
    expect(count).toBe(4);
    expect(medians.asr).toBe(200);
    expect(medians.voiceToVoice).toBe(900);
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

  it('hands out snapshots that later marks do not change', () => {
    const timer = new TurnTimer({ turnId: 't1', source: 'voice', now: () => 5 });
    const before = timer.snapshot();
    timer.mark('turnEnd');
    expect(before.marks.turnEnd).toBeUndefined();
  });
});
