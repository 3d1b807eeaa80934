import { describe, expect, it } from 'vitest';
import { loudness } from './level-meter.ts';

const sine = (amplitude: number) => Float32Array.from({ length: 512 }, (_, i) => amplitude * Math.sin((2 * Math.PI * 440 * i) / 16000));

describe('loudness', () => {
  it('reads silence as 0 and a full-scale tone near 1', () => {
    expect(loudness(new Float32Array(512))).toBe(0);
    // A full-scale sine's RMS is -3 dBFS.
    expect(loudness(sine(1))).toBeCloseTo(0.95, 2);
  });

  it('is a decibel scale: each factor of 10 in amplitude is a third of the way down', () => {
    expect(loudness(sine(0.1)) - loudness(sine(0.01))).toBeCloseTo(1 / 3, 5);
    expect(loudness(sine(0.0001))).toBe(0);
  });
});
