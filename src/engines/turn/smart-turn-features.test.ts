// Our Smart Turn features against transformers.js's own WhisperFeatureExtractor, configured as
// Smart Turn's (chunk_length 8). transformers.js has no `do_normalize`, so it is given the window
// already cut, front-padded and normalised: what Pipecat hands the Python extractor.
import { WhisperFeatureExtractor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { faintNoise, speak16k, concatAudio } from '../../../tools/fixtures/test-speech.ts';
import { melFilterBank, N_FRAMES, N_MELS, N_SAMPLES, smartTurnFeatures, smartTurnWindow } from './smart-turn-features.ts';

function extractor(): WhisperFeatureExtractor {
  return new WhisperFeatureExtractor({
    feature_size: N_MELS,
    sampling_rate: 16_000,
    hop_length: 160,
    n_fft: 400,
    chunk_length: 8,
    n_samples: N_SAMPLES,
    nb_max_frames: N_FRAMES,
    padding_value: 0,
  });
}

/** What the extractor returns (its declared type is `any`). */
interface ExtractedFeatures {
  input_features: { dims: number[]; data: Float32Array };
}

async function reference(audio: Float32Array): Promise<Float32Array> {
  const { input_features } = (await extractor()(Float32Array.from(smartTurnWindow(audio)))) as ExtractedFeatures;
  expect(input_features.dims).toEqual([1, N_MELS, N_FRAMES]);
  return input_features.data;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}


const speech = speak16k('I would like to book a table for two, tomorrow evening at seven.');

describe('smartTurnFeatures', () => {
  it('uses the same Slaney mel filters as transformers.js', () => {
    const ours = melFilterBank();
    const theirs = (extractor().config as { mel_filters: number[][] }).mel_filters;
    expect(ours.length).toBe(theirs.length);
    let max = 0;
    ours.forEach((row, m) => row.forEach((w, k) => (max = Math.max(max, Math.abs(w - theirs[m]![k]!)))));
    expect(max).toBeLessThan(1e-6);
  });

  it('cuts to the last 8 s, pads at the front and normalises the whole window', () => {
    const short = Float32Array.from({ length: 16_000 }, (_, i) => Math.sin(i / 7) * 0.1);
    const window = smartTurnWindow(short);
    expect(window.length).toBe(N_SAMPLES);
    const mean = window.reduce((s, x) => s + x, 0) / N_SAMPLES;
    const variance = window.reduce((s, x) => s + (x - mean) ** 2, 0) / N_SAMPLES;
    expect(Math.abs(mean)).toBeLessThan(1e-9);
    // Slightly under 1: the 1e-7 in the denominator counts for a quiet clip.
    expect(variance).toBeCloseTo(1, 3);
    // The padding is the front, all one value (zero before normalising); the audio is at the end.
    expect(window[0]).toBe(window[N_SAMPLES - 16_001]);
    expect(window[N_SAMPLES - 1]).not.toBe(window[0]);

    const long = concatAudio(new Float32Array(5 * 16_000).fill(0.5), speech, new Float32Array(4 * 16_000));
    expect(long.length).toBeGreaterThan(N_SAMPLES);
    expect(smartTurnWindow(long)).toEqual(smartTurnWindow(long.subarray(long.length - N_SAMPLES)));
  });

  it('equals transformers.js WhisperFeatureExtractor on real speech, quickly', async () => {
    // ~4 s of speech: padded at the front to 8 s.
    const ours = smartTurnFeatures(speech);
    expect(ours.length).toBe(N_MELS * N_FRAMES);
    const theirs = await reference(speech);
    const diff = maxAbsDiff(ours, theirs);
    console.log(`speech ${(speech.length / 16_000).toFixed(2)} s: max |ours - transformers.js| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(2e-3);
    // Not a degenerate match: speech features span the range Whisper's normalisation gives.
    expect(Math.max(...ours)).toBeGreaterThan(0.5);
    expect(Math.min(...ours)).toBeCloseTo(Math.max(...ours) - 2, 5);

    // A full 8 s (longer audio: the last 8 s), with the faint noise of a room around the speech.
    const long = concatAudio(faintNoise(3), speech, faintNoise(2), speech);
    expect(maxAbsDiff(smartTurnFeatures(long), await reference(long))).toBeLessThan(2e-3);

    // Timed side by side with transformers.js's extractor (interleaved, best of 5 each), so a
    // busy machine slows both alike: ours must be the faster one, and a few tens of ms when idle.
    const window = Float32Array.from(smartTurnWindow(long));
    const oursMs: number[] = [];
    const theirsMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      let started = performance.now();
      smartTurnFeatures(long);
      oursMs.push(performance.now() - started);
      started = performance.now();
      await extractor()(window);
      theirsMs.push(performance.now() - started);
    }
    const best = Math.min(...oursMs);
    console.log(
      `smartTurnFeatures, 8 s of audio: best ${best.toFixed(1)} ms (runs ${oursMs.map((ms) => ms.toFixed(1)).join(', ')}); ` +
        `transformers.js WhisperFeatureExtractor: best ${Math.min(...theirsMs).toFixed(1)} ms`,
    );
    expect(best).toBeLessThan(Math.min(...theirsMs));
    expect(best).toBeLessThan(500);
  });

  it('gives digital silence the floor everywhere, without NaN', () => {
    const features = smartTurnFeatures(new Float32Array(16_000));
    expect(new Set(features)).toEqual(new Set([-1.5]));
    expect(smartTurnFeatures(new Float32Array(0)).every((x) => x === -1.5)).toBe(true);
  });
});
