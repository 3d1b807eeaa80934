import { describe, expect, it } from 'vitest';
import { blendLanguage, blendStyles, blendVoiceId, isBlendVoiceId, normaliseParts, parseBlendVoiceId, sourceVoices } from './voice-blend.ts';

const rows = (...values: number[]): Float32Array => Float32Array.from({ length: 256 * values.length }, (_, i) => values[Math.floor(i / 256)]!);

describe('blendVoiceId', () => {
  it('spells out the recipe with the weights as thousandths of their sum', () => {
    expect(blendVoiceId([{ voice: 'af_heart', weight: 3 }, { voice: 'am_michael', weight: 2 }])).toBe('blend-af_heart-600-am_michael-400');
  });

  it('is the same for the same blend whatever the order, the scale or repeated voices', () => {
    const id = blendVoiceId([{ voice: 'af_heart', weight: 60 }, { voice: 'am_michael', weight: 40 }]);
    expect(blendVoiceId([{ voice: 'am_michael', weight: 0.4 }, { voice: 'af_heart', weight: 0.6 }])).toBe(id);
    expect(blendVoiceId([{ voice: 'af_heart', weight: 30 }, { voice: 'am_michael', weight: 40 }, { voice: 'af_heart', weight: 30 }])).toBe(id);
  });

  it('changes whenever the blend does', () => {
    const ids = new Set([
      blendVoiceId([{ voice: 'af_heart', weight: 50 }, { voice: 'am_michael', weight: 50 }]),
      blendVoiceId([{ voice: 'af_heart', weight: 51 }, { voice: 'am_michael', weight: 49 }]),
      blendVoiceId([{ voice: 'af_heart', weight: 50 }, { voice: 'bf_emma', weight: 50 }]),
      blendVoiceId([{ voice: 'af_heart', weight: 1 }, { voice: 'am_michael', weight: 1 }, { voice: 'bf_emma', weight: 1 }]),
    ]);
    expect(ids.size).toBe(4);
  });

  it('needs two voices with a weight', () => {
    expect(() => blendVoiceId([{ voice: 'af_heart', weight: 1 }])).toThrow(/two voices/);
    expect(() => blendVoiceId([{ voice: 'af_heart', weight: 1 }, { voice: 'am_michael', weight: 0 }])).toThrow(/two voices/);
    expect(() => blendVoiceId([{ voice: 'af_heart', weight: 1 }, { voice: 'am_michael', weight: -1 }])).toThrow(/invalid weight/);
    expect(() => blendVoiceId([{ voice: '../x', weight: 1 }, { voice: 'am_michael', weight: 1 }])).toThrow(/invalid voice id/);
  });
});

describe('normaliseParts', () => {
  it('gives shares that add up to exactly 1000, and is its own fixed point', () => {
    const thirds = normaliseParts([{ voice: 'af_heart', weight: 1 }, { voice: 'af_bella', weight: 1 }, { voice: 'am_michael', weight: 1 }]);
    expect(thirds.reduce((sum, part) => sum + part.weight, 0)).toBe(1000);
    expect(normaliseParts(thirds)).toEqual(thirds);
    // 500.5 and 499.5: plain rounding would give 1001.
    const near = normaliseParts([{ voice: 'af_heart', weight: 0.5005 }, { voice: 'am_michael', weight: 0.4995 }]);
    expect(near.reduce((sum, part) => sum + part.weight, 0)).toBe(1000);
    expect(parseBlendVoiceId(blendVoiceId(near))).toEqual(near);
  });
});

describe('parseBlendVoiceId', () => {
  it('reads back the recipe of an id', () => {
    expect(parseBlendVoiceId('blend-af_heart-600-am_michael-400')).toEqual([
      { voice: 'af_heart', weight: 600 },
      { voice: 'am_michael', weight: 400 },
    ]);
    expect(sourceVoices('blend-af_heart-600-am_michael-400')).toEqual(['af_heart', 'am_michael']);
    expect(sourceVoices('bf_emma')).toEqual(['bf_emma']);
    expect(isBlendVoiceId('af_heart')).toBe(false);
  });

  it('refuses what is not a canonical id', () => {
    for (const id of ['blend-', 'blend-af_heart-1000', 'blend-af_heart-600-am_michael', 'blend-am_michael-400-af_heart-600', 'blend-af_heart-60-am_michael-40', 'blend-af_heart-600-am_michael-0400', 'blend-AF-600-am_michael-400']) {
      expect(() => parseBlendVoiceId(id), id).toThrow(/invalid blended voice id/);
    }
  });
});

describe('blendStyles', () => {
  it('is the weighted sum of the style vectors, row by row, with the weights normalised', () => {
    const blended = blendStyles([
      { styles: rows(1, 10), weight: 3 },
      { styles: rows(5, 20), weight: 1 },
    ]);
    expect(blended.length).toBe(512);
    expect(blended[0]).toBeCloseTo(0.75 * 1 + 0.25 * 5);
    expect(blended[255]).toBeCloseTo(2);
    expect(blended[256]).toBeCloseTo(0.75 * 10 + 0.25 * 20);
    // Only the ratios count.
    expect(blendStyles([{ styles: rows(1, 10), weight: 300 }, { styles: rows(5, 20), weight: 100 }])).toEqual(blended);
  });

  it('refuses voices of different shapes, or that are not rows of 256', () => {
    expect(() => blendStyles([{ styles: rows(1, 2), weight: 1 }, { styles: rows(1), weight: 1 }])).toThrow(/differ in shape/);
    expect(() => blendStyles([{ styles: new Float32Array(300), weight: 1 }, { styles: new Float32Array(300), weight: 1 }])).toThrow(/rows of 256/);
    expect(() => blendStyles([{ styles: rows(1), weight: 0 }, { styles: rows(2), weight: 0 }])).toThrow(/add up to nothing/);
  });
});

describe('blendLanguage', () => {
  it('is the heaviest voice’s', () => {
    expect(blendLanguage([{ voice: 'af_heart', weight: 400 }, { voice: 'bf_emma', weight: 600 }])).toBe('b');
    expect(blendLanguage([{ voice: 'af_heart', weight: 500 }, { voice: 'bf_emma', weight: 500 }])).toBe('a');
  });
});
