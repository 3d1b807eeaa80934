// Smart Turn v3's input: Whisper log-mel features of the last 8 s of a turn, computed the way
// Pipecat's reference code does it (smart-turn `inference.py`):
//
//   1. keep the last 8 s (128,000 samples at 16 kHz); zero-pad at the FRONT when shorter;
//   2. `do_normalize=True`: the whole 8 s window, padding included, is made zero-mean and
//      unit-variance, `(x - mean) / sqrt(var + 1e-7)` (transformers' zero_mean_unit_var_norm);
//   3. Whisper's log-mel: centred STFT (reflect padding, periodic Hann window, n_fft 400,
//      hop 160), power spectrum, 80 Slaney mel filters over 0-8 kHz, log10 with a 1e-10 floor,
//      floored at (max - 8), then (x + 4) / 4; the 801st frame is dropped, leaving 800.
//
// Output: Float32Array of 80 * 800 values, row-major [mel][frame], as the graph's
// `input_features` [1, 80, 800] wants it. The filter bank, window and FFT twiddles are built once.

export const SAMPLE_RATE = 16_000;
export const N_FFT = 400;
export const HOP_LENGTH = 160;
export const N_MELS = 80;
/** chunk_length 8 s. */
export const WINDOW_SECONDS = 8;
export const N_SAMPLES = WINDOW_SECONDS * SAMPLE_RATE;
export const N_FRAMES = N_SAMPLES / HOP_LENGTH;

const N_BINS = N_FFT / 2 + 1;
const LOG_FLOOR = 1e-10;
const NORM_EPSILON = 1e-7;

// ---- Slaney mel scale and filter bank (transformers' mel_filter_bank, norm and scale "slaney") ----

const MIN_LOG_HERTZ = 1000;
const MIN_LOG_MEL = 15;
const LOG_STEP = 27 / Math.log(6.4);

function hertzToMel(hz: number): number {
  return hz >= MIN_LOG_HERTZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HERTZ) * LOG_STEP : (3 * hz) / 200;
}

function melToHertz(mel: number): number {
  return mel >= MIN_LOG_MEL ? MIN_LOG_HERTZ * Math.exp((mel - MIN_LOG_MEL) / LOG_STEP) : (200 * mel) / 3;
}

/** One triangular filter, stored by its non-zero span of frequency bins. */
interface MelFilter {
  start: number;
  weights: Float64Array;
}

/**
 * 80 Slaney-normalised triangular filters over 201 FFT bins, 0 to 8 kHz: each as its span of
 * non-zero weights (a few bins each), so applying the bank costs ~400 multiply-adds per frame.
 */
export function melFilterBank(nMels = N_MELS, nBins = N_BINS, sampleRate = SAMPLE_RATE, maxHz = sampleRate / 2): number[][] {
  const melMax = hertzToMel(maxHz);
  const edges = Array.from({ length: nMels + 2 }, (_, i) => melToHertz((melMax * i) / (nMels + 1)));
  const binHz = Array.from({ length: nBins }, (_, k) => ((sampleRate / 2) * k) / (nBins - 1));
  const bank: number[][] = [];
  for (let m = 0; m < nMels; m++) {
    const [lower, centre, upper] = [edges[m]!, edges[m + 1]!, edges[m + 2]!];
    const norm = 2 / (upper - lower);
    bank.push(
      binHz.map((hz) => {
        const down = (hz - lower) / (centre - lower);
        const up = (upper - hz) / (upper - centre);
        return Math.max(0, Math.min(down, up)) * norm;
      }),
    );
  }
  return bank;
}

function sparseFilters(bank: number[][]): MelFilter[] {
  return bank.map((row) => {
    const first = row.findIndex((w) => w > 0);
    if (first < 0) return { start: 0, weights: new Float64Array(0) };
    let last = row.length - 1;
    while (row[last] === 0) last -= 1;
    return { start: first, weights: Float64Array.from(row.slice(first, last + 1)) };
  });
}

// ---- Complex FFT for lengths made of 2, 3, 4 and 5 (kissfft's recursive decimation in time) ----
// The 400-point real frame goes through one of length 200 = 4 * 2 * 5 * 5.

class MixedRadixFft {
  private readonly twRe: Float64Array;
  private readonly twIm: Float64Array;
  private readonly factors: number[] = [];
  private readonly scratchRe: Float64Array;
  private readonly scratchIm: Float64Array;

  constructor(readonly n: number) {
    this.twRe = new Float64Array(n);
    this.twIm = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const phase = (-2 * Math.PI * i) / n;
      this.twRe[i] = Math.cos(phase);
      this.twIm[i] = Math.sin(phase);
    }
    let rest = n;
    for (const p of [4, 2, 3, 5]) {
      while (rest % p === 0) {
        this.factors.push(p);
        rest /= p;
      }
    }
    if (rest !== 1) throw new Error(`FFT length ${n} has a prime factor above 5`);
    const maxRadix = Math.max(...this.factors);
    this.scratchRe = new Float64Array(maxRadix);
    this.scratchIm = new Float64Array(maxRadix);
  }

  /** Forward DFT of the complex input (`inRe`, `inIm`) into (`outRe`, `outIm`). */
  transform(inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    this.work(outRe, outIm, 0, inRe, inIm, 0, 1, 0, this.n);
  }

  private work(
    outRe: Float64Array,
    outIm: Float64Array,
    out: number,
    inRe: Float64Array,
    inIm: Float64Array,
    input: number,
    fstride: number,
    level: number,
    length: number,
  ): void {
    const p = this.factors[level]!;
    const m = length / p;
    if (m === 1) {
      for (let q = 0; q < p; q++) {
        outRe[out + q] = inRe[input + q * fstride]!;
        outIm[out + q] = inIm[input + q * fstride]!;
      }
    } else {
      for (let q = 0; q < p; q++) this.work(outRe, outIm, out + q * m, inRe, inIm, input + q * fstride, fstride * p, level + 1, m);
    }
    this.butterfly(outRe, outIm, out, fstride, p, m);
  }

  /** Radix-p butterflies over p sub-transforms of length m (kissfft's kf_bfly_generic); fstride * k < n. */
  private butterfly(re: Float64Array, im: Float64Array, out: number, fstride: number, p: number, m: number): void {
    const { twRe, twIm, scratchRe, scratchIm, n } = this;
    for (let u = 0; u < m; u++) {
      for (let q = 0, k = u; q < p; q++, k += m) {
        scratchRe[q] = re[out + k]!;
        scratchIm[q] = im[out + k]!;
      }
      for (let q1 = 0, k = u; q1 < p; q1++, k += m) {
        let sumRe = scratchRe[0]!;
        let sumIm = scratchIm[0]!;
        const step = fstride * k;
        let tw = 0;
        for (let q = 1; q < p; q++) {
          tw += step;
          if (tw >= n) tw -= n;
          const wr = twRe[tw]!;
          const wi = twIm[tw]!;
          const xr = scratchRe[q]!;
          const xi = scratchIm[q]!;
          sumRe += xr * wr - xi * wi;
          sumIm += xr * wi + xi * wr;
        }
        re[out + k] = sumRe;
        im[out + k] = sumIm;
      }
    }
  }
}

/**
 * Power spectrum |X[k]|^2, k = 0..n/2, of a real frame of even length n, through one complex FFT of
 * length n/2 (even samples as real parts, odd as imaginary, then the split step).
 */
class RealPowerSpectrum {
  private readonly half: number;
  private readonly fft: MixedRadixFft;
  private readonly zRe: Float64Array;
  private readonly zIm: Float64Array;
  private readonly outRe: Float64Array;
  private readonly outIm: Float64Array;
  private readonly wRe: Float64Array;
  private readonly wIm: Float64Array;

  constructor(readonly n: number) {
    this.half = n / 2;
    this.fft = new MixedRadixFft(this.half);
    this.zRe = new Float64Array(this.half);
    this.zIm = new Float64Array(this.half);
    this.outRe = new Float64Array(this.half);
    this.outIm = new Float64Array(this.half);
    this.wRe = Float64Array.from({ length: this.half + 1 }, (_, k) => Math.cos((-2 * Math.PI * k) / n));
    this.wIm = Float64Array.from({ length: this.half + 1 }, (_, k) => Math.sin((-2 * Math.PI * k) / n));
  }

  /** `frame` (length n) in, `power` (length n/2 + 1) out. */
  compute(frame: Float64Array, power: Float64Array): void {
    const { half, zRe, zIm, outRe: re, outIm: im, wRe, wIm } = this;
    for (let i = 0; i < half; i++) {
      zRe[i] = frame[2 * i]!;
      zIm[i] = frame[2 * i + 1]!;
    }
    this.fft.transform(zRe, zIm, re, im);
    for (let k = 0; k <= half; k++) {
      const a = k % half;
      const b = (half - k) % half;
      // Even part E = (Z[k] + conj Z[n/2-k]) / 2, odd part O = (Z[k] - conj Z[n/2-k]) / 2i.
      const eRe = (re[a]! + re[b]!) / 2;
      const eIm = (im[a]! - im[b]!) / 2;
      const oRe = (im[a]! + im[b]!) / 2;
      const oIm = (re[b]! - re[a]!) / 2;
      // X[k] = E + W^k O
      const xRe = eRe + wRe[k]! * oRe - wIm[k]! * oIm;
      const xIm = eIm + wRe[k]! * oIm + wIm[k]! * oRe;
      power[k] = xRe * xRe + xIm * xIm;
    }
  }
}

// ---- The extractor ----

let shared: { filters: MelFilter[]; window: Float64Array; spectrum: RealPowerSpectrum } | undefined;

function tables() {
  shared ??= {
    filters: sparseFilters(melFilterBank()),
    // Periodic Hann, as torch.hann_window and transformers' window_function(n, "hann").
    window: Float64Array.from({ length: N_FFT }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / N_FFT)),
    spectrum: new RealPowerSpectrum(N_FFT),
  };
  return shared;
}

/**
 * The 8 s window the model sees: the last `N_SAMPLES` of `audio16k`, zero-padded at the front when
 * shorter, then zero-mean unit-variance over the whole window (padding included), in float64.
 */
export function smartTurnWindow(audio16k: Float32Array): Float64Array {
  const tail = audio16k.length > N_SAMPLES ? audio16k.subarray(audio16k.length - N_SAMPLES) : audio16k;
  const window = new Float64Array(N_SAMPLES);
  const offset = N_SAMPLES - tail.length;
  let sum = 0;
  for (let i = 0; i < tail.length; i++) {
    const x = tail[i]!;
    window[offset + i] = x;
    sum += x;
  }
  const mean = sum / N_SAMPLES;
  let squares = 0;
  for (let i = 0; i < N_SAMPLES; i++) {
    const d = window[i]! - mean;
    squares += d * d;
  }
  const scale = 1 / Math.sqrt(squares / N_SAMPLES + NORM_EPSILON);
  for (let i = 0; i < N_SAMPLES; i++) window[i] = (window[i]! - mean) * scale;
  return window;
}

/** Whisper log-mel features [80][800] of the last 8 s of a 16 kHz turn, as Smart Turn v3 takes them. */
export function smartTurnFeatures(audio16k: Float32Array): Float32Array {
  const { filters, window: hann, spectrum } = tables();
  const x = smartTurnWindow(audio16k);
  const frame = new Float64Array(N_FFT);
  const power = new Float64Array(N_BINS);
  const logMel = new Float64Array(N_MELS * N_FRAMES);
  const half = N_FFT / 2;
  const last = N_SAMPLES - 1;
  let max = -Infinity;

  for (let t = 0; t < N_FRAMES; t++) {
    // Centred frame: sample t*hop - n_fft/2 + j of the window, reflected at both ends.
    const start = t * HOP_LENGTH - half;
    for (let j = 0; j < N_FFT; j++) {
      let i = start + j;
      if (i < 0) i = -i;
      else if (i > last) i = 2 * last - i;
      frame[j] = x[i]! * hann[j]!;
    }
    spectrum.compute(frame, power);
    for (let m = 0; m < N_MELS; m++) {
      const { start: first, weights } = filters[m]!;
      let energy = 0;
      for (let k = 0; k < weights.length; k++) energy += weights[k]! * power[first + k]!;
      const value = Math.log10(Math.max(energy, LOG_FLOOR));
      logMel[m * N_FRAMES + t] = value;
      if (value > max) max = value;
    }
  }

  const floor = max - 8;
  const features = new Float32Array(N_MELS * N_FRAMES);
  for (let i = 0; i < features.length; i++) features[i] = (Math.max(logMel[i]!, floor) + 4) / 4;
  return features;
}
