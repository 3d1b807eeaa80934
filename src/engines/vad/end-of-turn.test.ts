import { describe, expect, it } from 'vitest';
import type { VadParams } from '../types.ts';
import { EndOfTurnEndpointer, type TurnDetector } from './end-of-turn.ts';
import { DEFAULT_VAD_PARAMS } from './vad-params.ts';

/** A detector that answers from a script, recording the audio lengths it was asked about. */
function scripted(probabilities: number[]): TurnDetector & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    async predict(audio) {
      asked.push(audio.length);
      const probability = probabilities.shift() ?? 0;
      return { probability, complete: probability > 0.5, computeMs: 10 };
    },
  };
}

function endpointer(params: Partial<VadParams> = {}, detector: TurnDetector | null = scripted([])) {
  const all = { ...DEFAULT_VAD_PARAMS, ...params };
  const e = new EndOfTurnEndpointer(() => all);
  e.setDetector(detector);
  return e;
}

describe('EndOfTurnEndpointer', () => {
  it('lets the model end the turn at the first pause it judges complete', async () => {
    const e = endpointer({}, scripted([0.9]));
    expect(e.redemptionMs()).toBe(DEFAULT_VAD_PARAMS.maxSilenceMs);
    e.paused();
    expect(e.due(192)).toBe(false);
    expect(e.due(224)).toBe(true);
    expect(await e.decide(new Float32Array(16000), 224)).toBe(true);
    expect(e.finish()).toEqual({ reason: 'turn-model', turnModel: { calls: 1, callMs: [10], probability: 0.9 } });
  });

  it('asks again as the silence grows while the model says incomplete, up to the maximum silence', async () => {
    const e = endpointer({}, scripted([0.1, 0.2, 0.3, 0.4, 0.45]));
    e.paused();
    const askedAt: number[] = [];
    for (let silence = 0; silence <= DEFAULT_VAD_PARAMS.maxSilenceMs; silence += 32) {
      if (e.due(silence)) {
        askedAt.push(silence);
        expect(await e.decide(new Float32Array(100), silence)).toBe(false);
      }
    }
    // At the pause, then at twice the silence of each question, never at or past the maximum.
    expect(askedAt).toEqual([224, 448, 896, 1792]);
    expect(e.finish()).toEqual({ reason: 'silence', turnModel: { calls: 4, callMs: [10, 10, 10, 10], probability: 0.4 } });
  });

  it('stops asking when speech resumes, and starts again at the next pause', async () => {
    const e = endpointer({}, scripted([0.2, 0.8]));
    e.paused();
    expect(await e.decide(new Float32Array(100), 200)).toBe(false);
    e.resumed();
    expect(e.due(5000)).toBe(false);
    e.paused();
    expect(e.due(200)).toBe(true);
    expect(await e.decide(new Float32Array(200), 200)).toBe(true);
    expect(e.finish().reason).toBe('turn-model');
  });

  it('leaves the silence to decide in silence-only mode and without a model', () => {
    const silenceOnly = endpointer({ endOfTurn: 'silence' });
    silenceOnly.paused();
    expect(silenceOnly.due(1000)).toBe(false);
    expect(silenceOnly.redemptionMs()).toBe(DEFAULT_VAD_PARAMS.redemptionMs);
    const noModel = endpointer({}, null);
    noModel.paused();
    expect(noModel.smart).toBe(false);
    expect(noModel.redemptionMs()).toBe(DEFAULT_VAD_PARAMS.redemptionMs);
    expect(noModel.finish()).toEqual({ reason: 'silence' });
  });

  it('drops a model that fails, so the silence-only wait applies from then on', async () => {
    const e = endpointer({}, { predict: () => Promise.reject(new Error('session lost')) });
    e.paused();
    const warn = console.warn;
    console.warn = () => {};
    try {
      expect(await e.decide(new Float32Array(100), 224)).toBe(false);
    } finally {
      console.warn = warn;
    }
    expect(e.smart).toBe(false);
    expect(e.redemptionMs()).toBe(DEFAULT_VAD_PARAMS.redemptionMs);
  });
});
