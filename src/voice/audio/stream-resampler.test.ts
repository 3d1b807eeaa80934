import { describe, expect, it } from 'vitest';
import { StreamResampler, resampleClip } from './stream-resampler.ts';

function sine(frequency: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / rate));
}

function rms(samples: Float32Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i += 1) sum += (samples[i] as number) ** 2;
  return Math.sqrt(sum / (to - from));
}

/** Feeds `input` in render-quantum pieces, as the audio thread does. */
function streamed(input: Float32Array, from: number, to: number, piece = 128): Float32Array {
  const resampler = new StreamResampler(from, to);
  const out: number[] = [];
  const scratch = new Float32Array(resampler.maxOutput(piece));
  for (let i = 0; i < input.length; i += piece) {
    const n = resampler.process(input.subarray(i, i + piece), scratch);
    out.push(...scratch.subarray(0, n));
  }
  return Float32Array.from(out);
}

describe('StreamResampler', () => {
  it.each([
    [48000, 16000],
    [44100, 16000],
    [24000, 48000],
    [24000, 44100],
    [16000, 16000],
  ])('%i Hz -> %i Hz keeps a 440 Hz tone at its level and length', (from, to) => {
    const out = resampleClip(sine(440, from, 0.5), from, to);
    expect(out.length).toBe(Math.round(0.5 * to));
    // Away from the edges the tone passes at unit gain.
    const level = rms(out, Math.round(0.1 * to), Math.round(0.4 * to));
    expect(level).toBeCloseTo(0.5 / Math.SQRT2, 2);
    // And it is the same tone: compare against the ideal one.
    const ideal = sine(440, to, 0.5);
    let error = 0;
    for (let i = Math.round(0.1 * to); i < Math.round(0.4 * to); i += 1) error = Math.max(error, Math.abs((out[i] as number) - (ideal[i] as number)));
    expect(error).toBeLessThan(0.01);
  });

  it('filters out what the lower rate cannot hold instead of aliasing it', () => {
    // 12 kHz at 48 kHz would fold onto 4 kHz at 16 kHz without a filter.
    const out = resampleClip(sine(12000, 48000, 0.5), 48000, 16000);
    expect(rms(out, 1600, 6400)).toBeLessThan(0.005);
  });

  it('gives the same result streamed in render quanta as in one piece', () => {
    const input = sine(300, 48000, 0.3);
    const whole = streamed(input, 48000, 16000, input.length);
    const pieces = streamed(input, 48000, 16000, 128);
    expect(pieces.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i += 1) expect(pieces[i]).toBeCloseTo(whole[i] as number, 5);
  });

  it('produces one output per three inputs at 48 -> 16 kHz, with a short delay', () => {
    const out = streamed(new Float32Array(48000), 48000, 16000);
    expect(out.length).toBeGreaterThan(16000 - 60);
    expect(out.length).toBeLessThanOrEqual(16000);
  });

  it('starts again from silence after reset', () => {
    const resampler = new StreamResampler(48000, 16000);
    const scratch = new Float32Array(resampler.maxOutput(4800));
    resampler.process(new Float32Array(4800).fill(1), scratch);
    resampler.reset();
    const n = resampler.process(new Float32Array(4800), scratch);
    expect(Math.max(...scratch.subarray(0, n).map(Math.abs))).toBe(0);
  });

  it('passes equal rates through', () => {
    const input = Float32Array.from([0.1, 0.2, 0.3]);
    const resampler = new StreamResampler(16000, 16000);
    const out = new Float32Array(3);
    expect(resampler.process(input, out)).toBe(3);
    expect([...out]).toEqual([...input]);
  });
});
