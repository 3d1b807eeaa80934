// Clean-up of the microphone signal before the VAD (and so before the ASR, which gets the VAD's
// frames): a high-pass filter against hum and rumble, and a soft noise gate that turns quiet
// stretches down (never off) between words. Runs on the audio thread after the resampler, on the
// 16 kHz stream: a third of the samples of 48 kHz, coefficients that do not depend on the device's
// rate, and the gate measures exactly the frames the VAD will see. (The resampler is linear, so
// filtering after it is the same as before it for everything under 8 kHz.) Plain TypeScript, no
// DOM, nothing allocated per block.

/** Where the high-pass turns down: below a man's lowest voice fundamentals, above mains hum. */
export const HIGH_PASS_HZ = 90;

/**
 * Butterworth Q for the two sections of a 4th-order high-pass. One biquad (2nd order) at 90 Hz
 * takes only ~11 dB off 50 Hz hum; two take ~20 dB at 50 Hz and ~28 dB at 40 Hz, and still pass
 * 200 Hz and up within 0.1 dB.
 */
const BUTTERWORTH_4_Q = [0.5411961, 1.3065630] as const;

/** Values this small in a filter's memory are flushed to 0 (denormals are slow on some CPUs). */
const DENORMAL = 1e-25;

/** One RBJ-cookbook high-pass biquad, transposed direct form II, in doubles. */
class HighPassSection {
  private readonly b0: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly a1: number;
  private readonly a2: number;
  private z1 = 0;
  private z2 = 0;

  constructor(sampleRate: number, frequency: number, q: number) {
    const w0 = (2 * Math.PI * frequency) / sampleRate;
    const cos = Math.cos(w0);
    const alpha = Math.sin(w0) / (2 * q);
    const a0 = 1 + alpha;
    this.b0 = (1 + cos) / 2 / a0;
    this.b1 = -(1 + cos) / a0;
    this.b2 = this.b0;
    this.a1 = (-2 * cos) / a0;
    this.a2 = (1 - alpha) / a0;
  }

  process(samples: Float32Array, count: number): void {
    const { b0, b1, b2, a1, a2 } = this;
    let { z1, z2 } = this;
    for (let i = 0; i < count; i += 1) {
      const x = samples[i] as number;
      const y = b0 * x + z1;
      z1 = b1 * x - a1 * y + z2;
      z2 = b2 * x - a2 * y;
      samples[i] = y;
    }
    this.z1 = Math.abs(z1) < DENORMAL ? 0 : z1;
    this.z2 = Math.abs(z2) < DENORMAL ? 0 : z2;
  }

  reset(): void {
    this.z1 = 0;
    this.z2 = 0;
  }
}

/** 4th-order Butterworth high-pass (two biquads in series). */
export class HighPassFilter {
  private readonly sections: HighPassSection[];

  constructor(sampleRate: number, frequency = HIGH_PASS_HZ) {
    this.sections = BUTTERWORTH_4_Q.map((q) => new HighPassSection(sampleRate, frequency, q));
  }

  /** Filters the first `count` samples in place. */
  process(samples: Float32Array, count = samples.length): void {
    // Indexed, not for-of: no iterator on the audio thread.
    for (let s = 0; s < this.sections.length; s += 1) this.sections[s]!.process(samples, count);
  }

  reset(): void {
    for (const section of this.sections) section.reset();
  }
}

export interface NoiseGateOptions {
  /** Gain while closed, in dB (negative: the gate turns noise down, it never cuts it). */
  floorDb: number;
  /** Level above the noise floor that opens the gate, in dB. */
  openDb: number;
  /** Level above the noise floor that keeps an open gate open, in dB. */
  closeDb: number;
  /** How long the gate stays open once the level drops under `closeDb`, in ms (word endings). */
  holdMs: number;
  /** Time constant of the gain going up (the onset of a word), in ms. */
  attackMs: number;
  /** Time constant of the gain going down after the hold, in ms. */
  releaseMs: number;
  /**
   * Time constant of the level the gate compares with the floor: the mean power over about this
   * long, not the peaks (a buzz's spikes or a noise's crests are not a louder sound).
   */
  levelMs: number;
  /** The noise floor is the quietest level, averaged over about this long, ... */
  floorSmoothMs: number;
  /** ... within this long a window: a new steady noise is learnt within this time. */
  floorWindowMs: number;
  /**
   * The gate stays open for this long after a reset, while it learns the room: someone who
   * starts talking the moment the microphone is unmuted (push-to-talk) would otherwise have
   * their first syllables taken for the floor, and turned down.
   */
  warmupMs: number;
}

export const DEFAULT_NOISE_GATE: NoiseGateOptions = {
  floorDb: -20,
  openDb: 10,
  closeDb: 6,
  holdMs: 150,
  attackMs: 1,
  releaseMs: 150,
  levelMs: 10,
  floorSmoothMs: 100,
  floorWindowMs: 2000,
  warmupMs: 500,
};

/** The floor's level is taken every this long (the ring of the window holds one per block). */
const FLOOR_BLOCK_MS = 20;
/** No floor is taken as quieter than this (-90 dBFS, in power): digital silence is not a floor. */
const MIN_FLOOR_POWER = 1e-9;

const dbToPower = (db: number): number => 10 ** (db / 10);
const coefficient = (ms: number, sampleRate: number): number => 1 - Math.exp(-1000 / (ms * sampleRate));

/**
 * A soft noise gate (a downward expander with a floor): it learns the noise floor as the quietest
 * level (averaged over ~100 ms) of the last ~2 s, opens within a few ms when the level (the mean
 * power over ~10 ms) rises well above it, holds through short dips, and otherwise turns the signal
 * down smoothly to `floorDb`, never to zero.
 */
export class NoiseGate {
  private readonly floorGain: number;
  private readonly openRatio: number;
  private readonly closeRatio: number;
  private readonly holdSamples: number;
  private readonly gainUp: number;
  private readonly gainDown: number;
  private readonly levelRate: number;
  private readonly floorRate: number;
  private readonly blockSamples: number;
  private readonly warmupBlocks: number;
  /** The averaged level at the end of each of the last blocks, a ring: the floor is their minimum. */
  private readonly blocks: Float64Array;
  private blockCount = 0;
  private blockNext = 0;
  private blockSum = 0;
  private blockFill = 0;
  /** The block powers averaged over ~`floorSmoothMs` (-1: no block yet). */
  private smoothed = -1;
  private floor = MIN_FLOOR_POWER;
  private level = 0;
  private gain = 1;
  private open = true;
  private holdLeft = 0;

  constructor(sampleRate: number, options: Partial<NoiseGateOptions> = {}) {
    const o = { ...DEFAULT_NOISE_GATE, ...options };
    if (!(o.floorDb < 0)) throw new RangeError(`floorDb must be below 0, got ${o.floorDb}`);
    this.floorGain = 10 ** (o.floorDb / 20);
    this.openRatio = dbToPower(o.openDb);
    this.closeRatio = dbToPower(o.closeDb);
    this.holdSamples = Math.round((o.holdMs * sampleRate) / 1000);
    this.gainUp = coefficient(o.attackMs, sampleRate);
    this.gainDown = coefficient(o.releaseMs, sampleRate);
    this.levelRate = coefficient(o.levelMs, sampleRate);
    this.blockSamples = Math.max(1, Math.round((FLOOR_BLOCK_MS * sampleRate) / 1000));
    this.floorRate = 1 - Math.exp(-FLOOR_BLOCK_MS / o.floorSmoothMs);
    this.blocks = new Float64Array(Math.max(1, Math.round(o.floorWindowMs / FLOOR_BLOCK_MS)));
    this.warmupBlocks = Math.min(this.blocks.length, Math.max(1, Math.ceil(o.warmupMs / FLOOR_BLOCK_MS)));
    this.reset();
  }

  /** The gain applied to the last sample (1: open; down to the floor gain: closed). */
  get currentGain(): number {
    return this.gain;
  }

  /** The learnt noise floor in dBFS (of power; a full-scale sine is -3 dBFS). */
  get floorDbfs(): number {
    return 10 * Math.log10(this.floor);
  }

  /**
   * Forgets the signal: the floor is learnt anew and the gate starts open, so nothing said right
   * after a reset is turned down while the gate has not heard the room yet.
   */
  reset(): void {
    this.blockCount = 0;
    this.blockNext = 0;
    this.blockSum = 0;
    this.blockFill = 0;
    this.smoothed = -1;
    this.floor = MIN_FLOOR_POWER;
    this.level = 0;
    this.gain = 1;
    this.open = true;
    this.holdLeft = this.holdSamples;
  }

  /** Gates the first `count` samples in place. */
  process(samples: Float32Array, count = samples.length): void {
    const { openRatio, closeRatio, holdSamples, floorGain, gainUp, gainDown, levelRate, blockSamples } = this;
    let { level, gain, open, holdLeft, blockSum, blockFill } = this;
    for (let i = 0; i < count; i += 1) {
      const x = samples[i] as number;
      const power = x * x;
      level += levelRate * (power - level);
      blockSum += power;
      blockFill += 1;
      if (blockFill === blockSamples) {
        this.learnFloor(blockSum / blockSamples);
        blockSum = 0;
        blockFill = 0;
      }
      // Until the room is learnt the gate stays as it is: open after a reset.
      if (this.blockCount >= this.warmupBlocks) {
        const floor = this.floor;
        if (level > floor * openRatio || (open && level > floor * closeRatio)) {
          open = true;
          holdLeft = holdSamples;
        } else if (holdLeft > 0) {
          holdLeft -= 1;
        } else {
          open = false;
        }
      }
      const target = open ? 1 : floorGain;
      gain += (target > gain ? gainUp : gainDown) * (target - gain);
      samples[i] = x * gain;
    }
    this.level = level < DENORMAL ? 0 : level;
    this.gain = gain;
    this.open = open;
    this.holdLeft = holdLeft;
    this.blockSum = blockSum;
    this.blockFill = blockFill;
  }

  /**
   * The floor: the quietest averaged level of the window (so it falls at once to a quieter room
   * and rises to a louder one within the window). Averaged first, because the minimum of raw
   * 20 ms powers of a rumble or a fan sits far under its mean, and the gate would never close.
   */
  private learnFloor(power: number): void {
    this.smoothed = this.smoothed < 0 ? power : this.smoothed + this.floorRate * (power - this.smoothed);
    const blocks = this.blocks;
    blocks[this.blockNext] = this.smoothed;
    this.blockNext = (this.blockNext + 1) % blocks.length;
    if (this.blockCount < blocks.length) this.blockCount += 1;
    let floor = Infinity;
    for (let i = 0; i < this.blockCount; i += 1) floor = Math.min(floor, blocks[i] as number);
    this.floor = Math.max(floor, MIN_FLOOR_POWER);
  }
}

export interface InputCleanupSettings {
  highPass: boolean;
  noiseGate: boolean;
}

/** The high-pass, then the gate (which then measures the levels without the hum or rumble). */
export class InputCleanup {
  readonly highPassFilter: HighPassFilter;
  readonly noiseGate: NoiseGate;
  private settings: InputCleanupSettings;

  constructor(sampleRate: number, settings: InputCleanupSettings = { highPass: true, noiseGate: true }, gate: Partial<NoiseGateOptions> = {}) {
    this.highPassFilter = new HighPassFilter(sampleRate);
    this.noiseGate = new NoiseGate(sampleRate, gate);
    this.settings = { ...settings };
  }

  get enabled(): Readonly<InputCleanupSettings> {
    return this.settings;
  }

  /** Switches either stage; one switched on starts from a clean state. */
  configure(settings: InputCleanupSettings): void {
    if (settings.highPass && !this.settings.highPass) this.highPassFilter.reset();
    if (settings.noiseGate && !this.settings.noiseGate) this.noiseGate.reset();
    this.settings = { highPass: settings.highPass, noiseGate: settings.noiseGate };
  }

  reset(): void {
    this.highPassFilter.reset();
    this.noiseGate.reset();
  }

  /** Cleans the first `count` samples in place. */
  process(samples: Float32Array, count = samples.length): void {
    if (this.settings.highPass) this.highPassFilter.process(samples, count);
    if (this.settings.noiseGate) this.noiseGate.process(samples, count);
  }
}
