// Band-limited sample-rate conversion for streams (windowed-sinc interpolation). Used on the audio
// thread (mic 48 kHz -> 16 kHz for the VAD and ASR) and on the main thread (TTS 24 kHz -> the
// output rate), so it is plain TypeScript with no DOM, and it allocates nothing per call.
//
// Downsampling filters out what the lower rate cannot hold, instead of letting it alias into the
// speech band (naive decimation folds 8-24 kHz noise onto the voice the VAD and ASR listen to).

/** Zero crossings of the sinc kernel on each side: quality against cost. */
const DEFAULT_HALF_ZERO_CROSSINGS = 16;

function blackman(u: number): number {
  // u in [-1, 1]
  return 0.42 + 0.5 * Math.cos(Math.PI * u) + 0.08 * Math.cos(2 * Math.PI * u);
}

function greatestCommonDivisor(a: number, b: number): number {
  let x = Math.round(a);
  let y = Math.round(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** Most kernel phases precomputed; rarer ratios are rounded to the nearest of this many. */
const MAX_PHASES = 4096;

export class StreamResampler {
  /** Input samples advanced per output sample. */
  private readonly step: number;
  /** Kernel half-width in input samples. */
  private readonly halfWidth: number;
  /** Taps per output sample. */
  private readonly taps: number;
  /** Fractional positions the kernel is precomputed for (exact for rational rate pairs). */
  private readonly phases: number;
  /** `phases` rows of `taps` weights, each row normalised to a gain of exactly 1. */
  private readonly kernel: Float32Array;
  private buffer: Float32Array;
  private length = 0;
  /** Position of the next output sample, in input samples from the buffer start. */
  private time = 0;
  private readonly passthrough: boolean;

  constructor(
    readonly inputRate: number,
    readonly outputRate: number,
    halfZeroCrossings = DEFAULT_HALF_ZERO_CROSSINGS,
  ) {
    this.passthrough = inputRate === outputRate;
    this.step = inputRate / outputRate;
    // A little below Nyquist so the window's transition band stays out of the passband edge.
    const cutoff = Math.min(1, outputRate / inputRate) * 0.92;
    this.halfWidth = Math.ceil(halfZeroCrossings / cutoff);
    this.taps = 2 * this.halfWidth;
    const exactPhases = Math.round(outputRate) / greatestCommonDivisor(inputRate, outputRate);
    this.phases = exactPhases <= MAX_PHASES ? exactPhases : MAX_PHASES;
    // Computing sin/cos per tap per sample would cost the audio thread ~15% of a core; a table
    // built once costs nothing per sample.
    this.kernel = new Float32Array(this.phases * this.taps);
    for (let phase = 0; phase < this.phases; phase += 1) {
      const fraction = phase / this.phases;
      let total = 0;
      for (let k = 0; k < this.taps; k += 1) {
        const x = k - this.halfWidth + 1 - fraction;
        const arg = Math.PI * cutoff * x;
        const sinc = arg === 0 ? 1 : Math.sin(arg) / arg;
        const weight = Math.abs(x) >= this.halfWidth ? 0 : sinc * blackman(x / this.halfWidth);
        this.kernel[phase * this.taps + k] = weight;
        total += weight;
      }
      for (let k = 0; k < this.taps; k += 1) {
        const index = phase * this.taps + k;
        this.kernel[index] = (this.kernel[index] as number) / total;
      }
    }
    this.buffer = new Float32Array(4096 + 2 * this.taps);
    this.reset();
  }

  /** Forgets the signal so far (after a pause, so no stale samples smear into the new start). */
  reset(): void {
    // Start with a half-width of silence so the first output has its left context.
    this.buffer.fill(0, 0, this.halfWidth);
    this.length = this.halfWidth;
    this.time = this.halfWidth;
  }

  /** How many output samples at most `inputLength` input samples can produce (for sizing buffers). */
  maxOutput(inputLength: number): number {
    return Math.ceil((inputLength + this.taps) / this.step) + 2;
  }

  /**
   * Consumes `input` and writes the output samples it completes into `output` (sized with
   * `maxOutput`). Returns how many were written.
   */
  process(input: Float32Array, output: Float32Array): number {
    if (this.passthrough) {
      output.set(input);
      return input.length;
    }
    this.append(input);
    let written = 0;
    const { buffer, kernel, taps, halfWidth, phases, step } = this;
    for (;;) {
      let base = Math.floor(this.time);
      let phase = Math.round((this.time - base) * phases);
      if (phase === phases) {
        base += 1;
        phase = 0;
      }
      if (base + halfWidth >= this.length || written >= output.length) break;
      const start = base - halfWidth + 1;
      const row = phase * taps;
      let sum = 0;
      for (let k = 0; k < taps; k += 1) sum += (buffer[start + k] as number) * (kernel[row + k] as number);
      output[written] = sum;
      written += 1;
      this.time += step;
    }
    this.compact();
    return written;
  }

  /** Pushes out what is still held back for right context, as if the signal ended in silence. */
  flush(output: Float32Array): number {
    if (this.passthrough) return 0;
    return this.process(new Float32Array(this.halfWidth + 1), output);
  }

  private append(input: Float32Array): void {
    const needed = this.length + input.length;
    if (needed > this.buffer.length) {
      const grown = new Float32Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(input, this.length);
    this.length = needed;
  }

  /** Drops input no future output needs, keeping the left context. */
  private compact(): void {
    const keepFrom = Math.max(0, Math.floor(this.time) - this.halfWidth - 1);
    if (keepFrom === 0) return;
    this.buffer.copyWithin(0, keepFrom, this.length);
    this.length -= keepFrom;
    this.time -= keepFrom;
  }
}

/** Converts a whole clip at once. */
export function resampleClip(samples: Float32Array, inputRate: number, outputRate: number): Float32Array {
  if (inputRate === outputRate) return samples.slice();
  const resampler = new StreamResampler(inputRate, outputRate);
  const out = new Float32Array(resampler.maxOutput(samples.length) + resampler.maxOutput(0) + 64);
  let written = resampler.process(samples, out);
  written += resampler.flush(out.subarray(written));
  // Exactly the clip's duration at the new rate: the flushed tail is only the filter's ringing.
  const expected = Math.round((samples.length * outputRate) / inputRate);
  return out.slice(0, Math.min(written, expected));
}
