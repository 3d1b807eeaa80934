import { describe, expect, it } from 'vitest';
import { TurnMetricSchema } from '../protocol/metrics.ts';
import { deriveDurations } from './turn-timing.ts';
import { TIMING_VERSION, isReportable, toTurnMetric } from './turn-metric.ts';
import { EAGER_MARKS, timingRecord } from './testing.ts';

const context = { wallClock: (mark: number) => new Date(Date.UTC(2030, 0, 1) + mark), deviceClass: 'desktop-webgpu-high', appVersion: '0.1.0' };

describe('toTurnMetric', () => {
  it('sends the derived durations, models, backends, tokens and device facts, valid for the relay', () => {
    const record = timingRecord({ tokens: 41, capped: true });
    const metric = toTurnMetric(record, context);
    expect(TurnMetricSchema.strict().parse(metric)).toBeTruthy();
    const durations = deriveDurations(record);
    expect(metric).toEqual({
      turnId: record.turnId,
      endedAt: '2030-01-01T00:00:06.000Z',
      source: 'voice',
      durations,
      tokens: 41,
      models: { asr: 'fixtures/whisper-ask', llm: 'fixtures/chat-lm', tts: 'fixtures/kokoro' },
      backends: { asr: 'wasm', llm: 'webgpu', tts: 'wasm' },
      deviceClass: 'desktop-webgpu-high',
      appVersion: '0.1.0',
      interrupted: false,
      capped: true,
      timingVersion: TIMING_VERSION,
    });
    expect(metric.durations.tokensPerSecond).toBe(20);
    // Voice to voice from the last word: endpointing and the stages after it add up to it.
    const d = metric.durations;
    expect(d.voiceToVoice).toBe(1300);
    expect(d.endpointing! + d.asr! + d.llmTtft! + d.firstSentence! + d.ttsFirstAudio! + d.playout!).toBeCloseTo(d.voiceToVoice!, 6);
  });

  it('carries how the turn ended and its eager replies', () => {
    const record = timingRecord({
      marks: { ...EAGER_MARKS },
      endOfTurn: { reason: 'turn-model', turnModelMs: 21.04, turnModelCalls: 3, probability: 0.9 },
      eager: { started: 2, kept: 1, discarded: 1 },
    });
    const metric = toTurnMetric(record, context);
    expect(TurnMetricSchema.strict().parse(metric)).toBeTruthy();
    expect(metric).toMatchObject({ endOfTurn: 'turn-model', eager: { started: 2, kept: 1, discarded: 1 }, timingVersion: 2 });
    expect(metric.durations).toMatchObject({ endpointing: 500, asr: 0, llmTtft: 0, firstSentence: 100, voiceToVoice: 720, turnModel: 21 });
    expect(metric.durations.orchestrationOverhead).toBeUndefined();
    // Nothing the relay would refuse, even from a damaged record.
    const odd = toTurnMetric(timingRecord({ eager: { started: 5000, kept: -1, discarded: Number.NaN }, endOfTurn: { reason: 'guess' as 'text' } }), context);
    expect(odd.eager).toEqual({ started: 1000, kept: 0, discarded: 0 });
    expect(odd).not.toHaveProperty('endOfTurn');
    expect(TurnMetricSchema.strict().safeParse(odd).success).toBe(true);
  });

  it('sends no voice to voice for a voice turn without its last speech frame', () => {
    const { lastSpeech: _, ...marks } = timingRecord().marks;
    const metric = toTurnMetric(timingRecord({ marks }), context);
    expect(metric.durations.voiceToVoice).toBeUndefined();
    expect(metric.durations.endpointing).toBeUndefined();
    expect(metric.durations.asr).toBe(200);
  });

  it('never carries text, audio or per-token times', () => {
    const record = {
      ...timingRecord({ tokenTimes: [1900, 1950, 2000] }),
      // Whatever a future record might carry, only the listed fields are copied.
      transcript: 'my secret words',
      reply: 'your secret answer',
    };
    const metric = toTurnMetric(record, context);
    const json = JSON.stringify(metric);
    expect(json).not.toMatch(/secret|transcript|reply|tokenTimes|1950/);
    expect(Object.keys(metric).sort()).toEqual(
      ['appVersion', 'backends', 'capped', 'deviceClass', 'durations', 'endedAt', 'interrupted', 'models', 'source', 'timingVersion', 'tokens', 'turnId'],
    );
  });

  it('drops values the relay would refuse rather than losing the whole turn', () => {
    const record = timingRecord({
      // The last speech frame after the end of speech (clock trouble): a negative endpointing.
      marks: { lastSpeech: 300, speechEnd: 100, transcriptFinal: 500, llmFirstToken: 600, firstAudioAudible: 900, turnEnd: 1000 },
      models: { asr: '../etc/passwd', llm: 'org/model' },
    });
    const metric = toTurnMetric(record, { ...context, deviceClass: 'Bad Class!', appVersion: 'x'.repeat(40) });
    expect(metric.durations.endpointing).toBeUndefined();
    expect(metric.durations.voiceToVoice).toBe(600);
    expect(metric.models).toEqual({ llm: 'org/model' });
    expect(metric).not.toHaveProperty('deviceClass');
    expect(metric).not.toHaveProperty('appVersion');
    expect(TurnMetricSchema.strict().safeParse(metric).success).toBe(true);
  });

  it('reports turns that reached the model or were interrupted, not discarded noise', () => {
    expect(isReportable(timingRecord())).toBe(true);
    expect(isReportable(timingRecord({ marks: { speechEnd: 1, transcriptFinal: 2, turnEnd: 3 } }))).toBe(false);
    expect(isReportable(timingRecord({ marks: { speechEnd: 1, turnEnd: 3 }, interrupted: true }))).toBe(true);
    expect(isReportable(timingRecord({ marks: { speechEnd: 1, llmFirstToken: 2 } }))).toBe(false);
  });
});
