import { describe, expect, it } from 'vitest';
import { HighPassFilter, InputCleanup, NoiseGate } from './input-cleanup.ts';
import { concatAudio } from '../../../tools/fixtures/test-speech.ts';

const RATE = 16000;

function sine(frequency: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(RATE * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / RATE));
}

/** Deterministic white noise, uniform in [-peak, peak]. */
function noise(seconds: number, peak: number, seed = 12345): Float32Array {
  const out = new Float32Array(Math.round(RATE * seconds));
  let state = seed;
  for (let i = 0; i < out.length; i += 1) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out[i] = ((state / 0x100000000) * 2 - 1) * peak;
  }
  return out;
}


function rms(samples: Float32Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i += 1) sum += (samples[i] as number) ** 2;
  return Math.sqrt(sum / (to - from));
}

const db = (ratio: number): number => 20 * Math.log10(ratio);
const at = (seconds: number): number => Math.round(seconds * RATE);

/** Runs `process` over a copy of `input` in render-sized pieces, as the worklet does. */
function streamed(input: Float32Array, process: (block: Float32Array, count: number) => void, piece = 170): Float32Array {
  const out = input.slice();
  const block = new Float32Array(piece);
  for (let i = 0; i < out.length; i += piece) {
    const count = Math.min(piece, out.length - i);
    block.set(out.subarray(i, i + count));
    process(block, count);
    out.set(block.subarray(0, count), i);
  }
  return out;
}

/** Output level over input level in dB, once the filter has settled (the last half second). */
function highPassGainDb(input: Float32Array): number {
  const filter = new HighPassFilter(RATE);
  const out = streamed(input, (block, count) => filter.process(block, count));
  return db(rms(out, out.length - at(0.5)) / rms(input, input.length - at(0.5)));
}

describe('HighPassFilter (4th-order Butterworth at 90 Hz)', () => {
  it('takes mains hum down by over 20 dB at 50 Hz and 14 dB at 60 Hz', () => {
    expect(highPassGainDb(sine(50, 1.5))).toBeLessThan(-20);
    expect(highPassGainDb(sine(60, 1.5))).toBeLessThan(-14);
  });

  it('takes 20-40 Hz rumble down by over 28 dB', () => {
    for (const frequency of [20, 30, 40]) expect(highPassGainDb(sine(frequency, 2)), `${frequency} Hz`).toBeLessThan(-28);
    const rumble = sine(20, 2, 0.3).map((x, i) => x + 0.3 * Math.sin((2 * Math.PI * 33 * i) / RATE));
    expect(highPassGainDb(rumble)).toBeLessThan(-30);
  });

  it('passes the speech band (200 Hz to 3 kHz) within 0.2 dB', () => {
    for (const frequency of [200, 300, 500, 1000, 3000]) expect(Math.abs(highPassGainDb(sine(frequency, 1))), `${frequency} Hz`).toBeLessThan(0.2);
  });

  it('gives the same output streamed in pieces as in one block, and forgets on reset', () => {
    const input = concatAudio(sine(50, 0.3), sine(700, 0.3, 0.2));
    const filter = new HighPassFilter(RATE);
    const whole = input.slice();
    filter.process(whole);
    filter.reset();
    const pieces = streamed(input, (block, count) => filter.process(block, count), 128);
    for (let i = 0; i < whole.length; i += 1) expect(pieces[i]).toBeCloseTo(whole[i] as number, 6);
  });
});

describe('NoiseGate', () => {
  // A quiet room (about -50 dBFS), then a louder burst (a vowel-like 500 Hz tone, 30 dB up), then the room.
  const room = noise(3, 0.005);
  const burst = sine(500, 0.5, 0.1).map((x, i) => x + (noise(0.5, 0.005, 99)[i] as number));
  const after = noise(1.5, 0.005, 7);
  const input = concatAudio(room, burst, after);
  const burstStart = room.length;
  const burstEnd = burstStart + burst.length;

  function gated(signal = input): Float32Array {
    const gate = new NoiseGate(RATE);
    return streamed(signal, (block, count) => gate.process(block, count), 128);
  }

  it('turns a steady quiet noise down by about its floor (-20 dB), not off', () => {
    const out = gated();
    const gain = db(rms(out, at(1.5), at(3)) / rms(input, at(1.5), at(3)));
    expect(gain).toBeLessThan(-18);
    expect(gain).toBeGreaterThan(-21);
  });

  it('passes a louder burst with its onset intact and holds through the word ending', () => {
    const out = gated();
    // The first 10 ms of the burst within 3 dB, the whole burst within 0.5 dB.
    expect(db(rms(out, burstStart, burstStart + at(0.01)) / rms(input, burstStart, burstStart + at(0.01)))).toBeGreaterThan(-3);
    expect(Math.abs(db(rms(out, burstStart, burstEnd) / rms(input, burstStart, burstEnd)))).toBeLessThan(0.5);
    // The 100 ms after the burst are not cut (hold, then a slow release): a word's quiet ending.
    expect(db(rms(out, burstEnd, burstEnd + at(0.1)) / rms(input, burstEnd, burstEnd + at(0.1)))).toBeGreaterThan(-6);
    // And then the room is turned down again.
    expect(db(rms(out, burstEnd + at(0.8), input.length) / rms(input, burstEnd + at(0.8), input.length))).toBeLessThan(-18);
  });

  it('never outputs exact zeros for non-zero input', () => {
    const out = gated();
    let zeros = 0;
    for (let i = 0; i < input.length; i += 1) if (input[i] !== 0 && out[i] === 0) zeros += 1;
    expect(zeros).toBe(0);
  });

  it('closes on rumbling noise and on a buzz as well, not only on white noise', () => {
    // Brown noise (integrated white noise, leaky): its short-term power swings far more than white
    // noise's. High-passed first, as the gate gets it in the worklet.
    let state = 0;
    const brown = noise(4, 1, 3).map((x) => (state = 0.995 * state + 0.02 * x));
    new HighPassFilter(RATE).process(brown);
    // A 60 Hz sawtooth: spiky, every harmonic.
    const buzz = Float32Array.from({ length: at(4) }, (_, i) => 0.05 * (((i * 60) / RATE) % 1) - 0.025);
    for (const [name, signal] of [['brown', brown], ['buzz', buzz]] as const) {
      const out = gated(signal);
      expect(db(rms(out, at(3), at(4)) / rms(signal, at(3), at(4))), name).toBeLessThan(-18);
    }
  });

  it('learns a new, louder steady noise within its window (a fan switched on)', () => {
    const fan = noise(4, 0.03, 5);
    const signal = concatAudio(noise(1, 0.002), fan);
    const out = gated(signal);
    const end = signal.length;
    expect(db(rms(out, end - at(1), end) / rms(signal, end - at(1), end))).toBeLessThan(-18);
  });

  it('starts open, and after reset behaves exactly as a new gate', () => {
    const gate = new NoiseGate(RATE);
    expect(gate.currentGain).toBe(1);
    const first = input.slice();
    gate.process(first);
    expect(gate.currentGain).toBeLessThan(0.2);
    gate.reset();
    expect(gate.currentGain).toBe(1);
    const again = input.slice();
    gate.process(again);
    expect([...again]).toEqual([...first]);
  });

  it('does not turn down words spoken the moment it starts (push-to-talk): it learns the room first', () => {
    // Syllables (200 ms of a 300 Hz tone, 50 ms gaps) from the very first sample.
    const words = sine(300, 0.5, 0.1).map((x, i) => (i % at(0.25) < at(0.2) ? x : 0.001 * x));
    const out = gated(words);
    expect(Math.abs(db(rms(out) / rms(words)))).toBeLessThan(0.1);
  });

  it('rejects a floor that would cut the signal', () => {
    expect(() => new NoiseGate(RATE, { floorDb: 0 })).toThrow(RangeError);
  });
});

describe('InputCleanup', () => {
  it('does nothing with both stages off, and a stage switched on starts clean', () => {
    const input = concatAudio(sine(50, 0.5, 0.2), noise(1, 0.01));
    const cleanup = new InputCleanup(RATE, { highPass: false, noiseGate: false });
    const off = input.slice();
    cleanup.process(off);
    expect([...off]).toEqual([...input]);

    cleanup.configure({ highPass: true, noiseGate: true });
    const on = input.slice();
    cleanup.process(on);
    const fresh = new InputCleanup(RATE);
    const expected = input.slice();
    fresh.process(expected);
    expect([...on]).toEqual([...expected]);
    expect(cleanup.enabled).toEqual({ highPass: true, noiseGate: true });
  });

  it('filters before it gates: hum alone is taken down by both (about 40 dB at 50 Hz)', () => {
    const hum = sine(50, 3, 0.1);
    const cleanup = new InputCleanup(RATE);
    const out = streamed(hum, (block, count) => cleanup.process(block, count), 128);
    expect(db(rms(out, at(2), at(3)) / rms(hum, at(2), at(3)))).toBeLessThan(-38);
  });
});
