import { describe, expect, it } from 'vitest';
import { TurnMetricSchema } from '../protocol/metrics.ts';
import { deriveDurations } from './turn-timing.ts';
import { isReportable, toTurnMetric } from './turn-metric.ts';
import { timingRecord } from './testing.ts';

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
    });
    expect(metric.durations.tokensPerSecond).toBe(20);
    // Consistent: the stages from end of speech to first audio add up to voice-to-voice.
    const d = metric.durations;
    expect(d.asr! + d.llmTtft! + d.firstSentence! + d.ttsFirstAudio! + d.playout!).toBeCloseTo(d.voiceToVoice!, 6);
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
      ['appVersion', 'backends', 'capped', 'deviceClass', 'durations', 'endedAt', 'interrupted', 'models', 'source', 'tokens', 'turnId'],
    );
  });

  it('drops values the relay would refuse rather than losing the whole turn', () => {
    const record = timingRecord({
      // transcriptFinal after the first token: a negative llmTtft.
      marks: { speechEnd: 100, transcriptFinal: 500, llmFirstToken: 400, firstAudioAudible: 900, turnEnd: 1000 },
      models: { asr: '../etc/passwd', llm: 'org/model' },
    });
    const metric = toTurnMetric(record, { ...context, deviceClass: 'Bad Class!', appVersion: 'x'.repeat(40) });
    expect(metric.durations.llmTtft).toBeUndefined();
    expect(metric.durations.voiceToVoice).toBe(800);
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
