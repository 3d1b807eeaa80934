import { describe, expect, it } from 'vitest';
import { threadBudget } from './thread-budget.ts';

describe('thread budget', () => {
  it('gives every stage one thread without cross-origin isolation or on one or two cores', () => {
    const single = { asr: 1, llm: 1, tts: 1, vad: 1 };
    expect(threadBudget(16, false)).toEqual(single);
    expect(threadBudget(2, true)).toEqual(single);
    expect(threadBudget(1, true)).toEqual(single);
    expect(threadBudget(Number.NaN, true)).toEqual(single);
  });

  it('never asks for more threads at once than the cores left after the page', () => {
    for (let cores = 2; cores <= 64; cores++) {
      const budget = threadBudget(cores, true);
      const usable = Math.max(cores - 1, 1);
      // What runs together: the LLM decoding while the TTS speaks; the ASR with the VAD's
      // end-of-turn model at the end of a turn.
      if (cores >= 4) {
        expect(budget.llm + budget.tts, `${cores} cores`).toBeLessThanOrEqual(usable);
        expect(budget.asr + budget.vad, `${cores} cores`).toBeLessThanOrEqual(usable);
      }
      for (const threads of Object.values(budget)) expect(threads).toBeGreaterThanOrEqual(1);
      for (const threads of Object.values(budget)) expect(threads).toBeLessThanOrEqual(4);
    }
  });

  it('splits an 8-core laptop instead of letting each worker take 4 threads', () => {
    // onnxruntime's own default would be min(4, 8 / 2) = 4 for each of ASR, LLM and TTS.
    expect(threadBudget(8, true)).toEqual({ asr: 4, llm: 4, tts: 3, vad: 1 });
    expect(threadBudget(4, true)).toEqual({ asr: 2, llm: 2, tts: 1, vad: 1 });
  });
});
