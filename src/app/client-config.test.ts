import { describe, expect, it } from 'vitest';
import { PIPELINES, readUrlOverrides } from './client-config.ts';

describe('readUrlOverrides', () => {
  it('maps the benchmark baselines to fixed-timer turn-taking without eager replies', () => {
    expect(readUrlOverrides('?pipeline=sequential').pipeline).toEqual({
      voice: { streaming: false, eagerReplies: false },
      vad: { endOfTurn: 'silence' },
    });
    expect(readUrlOverrides('?pipeline=timer').pipeline).toBe(PIPELINES.timer);
    expect(readUrlOverrides('').pipeline).toEqual({});
  });

  it('ignores pipeline names it does not know, including inherited property names', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'fast']) {
      expect(readUrlOverrides(`?pipeline=${name}`).pipeline).toEqual({});
    }
  });

  it('takes model ids only when they are plain paths', () => {
    expect(readUrlOverrides('?asr=fixtures/whisper-ask&llm=../etc/passwd').modelSet).toEqual({ asr: 'fixtures/whisper-ask' });
    expect(readUrlOverrides('?turn=fixtures/smart-turn-incomplete').modelSet).toEqual({ turn: 'fixtures/smart-turn-incomplete' });
    expect(readUrlOverrides('?turn=../x').modelSet).toEqual({});
  });
});
