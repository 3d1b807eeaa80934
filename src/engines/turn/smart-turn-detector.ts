import { N_FRAMES, N_MELS, smartTurnFeatures } from './smart-turn-features.ts';

// Smart Turn v3 (Pipecat) on onnxruntime: is the user's turn complete, from its audio alone?
// Input `input_features` float32 [batch, 80, 800] (smart-turn-features.ts), output `logits`
// [batch, 1], already a sigmoid probability; above the threshold (0.5) the turn is complete.

/** A tensor as far as the detector reads it. */
export interface OrtTensorLike {
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** onnxruntime's value metadata (1.22+); older builds have none, and the names are checked alone. */
export interface OrtValueMetadataLike {
  readonly name: string;
  readonly isTensor: boolean;
  readonly type?: string;
  readonly shape?: ReadonlyArray<number | string>;
}

export interface OrtSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly OrtValueMetadataLike[];
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}

/**
 * The part of onnxruntime the detector uses: `import * as ort from 'onnxruntime-web/wasm'` (the
 * VAD worker's own), onnxruntime-web or onnxruntime-node all fit, so it shares the caller's runtime.
 */
export interface OrtLike {
  InferenceSession: { create(model: Uint8Array): Promise<OrtSessionLike> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensorLike;
}

export interface TurnVerdict {
  /** The model's probability that the turn is complete, 0..1. */
  probability: number;
  /** probability > threshold. */
  complete: boolean;
  /** Wall time of this call: features and inference, in ms. */
  computeMs: number;
}

export const INPUT_NAME = 'input_features';
export const OUTPUT_NAME = 'logits';
export const DEFAULT_THRESHOLD = 0.5;

/** 1 s of a quiet 220 Hz tone, for the warm-up call. */
const WARM_UP_AUDIO = Float32Array.from({ length: 16_000 }, (_, i) => 0.1 * Math.sin((2 * Math.PI * 220 * i) / 16_000));

/** Throws unless the graph has Smart Turn's input and output (names, and the input's type and shape where known). */
function checkGraph(session: OrtSessionLike): void {
  const layout = `inputs [${session.inputNames.join(', ')}], outputs [${session.outputNames.join(', ')}]`;
  if (!session.inputNames.includes(INPUT_NAME) || !session.outputNames.includes(OUTPUT_NAME)) {
    throw new Error(`Not a Smart Turn v3 model: it needs input "${INPUT_NAME}" and output "${OUTPUT_NAME}", this graph has ${layout}.`);
  }
  const input = session.inputMetadata?.find((meta) => meta.name === INPUT_NAME);
  if (!input?.isTensor || !input.shape || input.shape.length === 0) return;
  // A symbolic (or -1) dim accepts any size: only a fixed size that differs is wrong.
  const fits = (dim: number | string | undefined, size: number) => typeof dim === 'string' || dim === -1 || dim === size;
  const [, mels, frames] = input.shape;
  const shapeOk = input.shape.length === 3 && fits(mels, N_MELS) && fits(frames, N_FRAMES);
  if ((input.type !== undefined && input.type !== 'float32') || !shapeOk) {
    throw new Error(
      `Not a Smart Turn v3 model: "${INPUT_NAME}" must be float32 [batch, ${N_MELS}, ${N_FRAMES}], this graph's is ${input.type ?? '?'} [${input.shape.join(', ')}].`,
    );
  }
}

export class SmartTurnDetector {
  /** onnxruntime runs one inference per session at a time: calls wait their turn. */
  private queue: Promise<unknown> = Promise.resolve();
  private released = false;

  private constructor(
    private readonly ort: OrtLike,
    private readonly session: OrtSessionLike,
    readonly threshold: number,
  ) {}

  /**
   * Loads the graph (the bytes of `smart-turn-v3.2-cpu.onnx`) and runs it once; throws when it is
   * not Smart Turn's layout or does not run.
   */
  static async create(ort: OrtLike, model: ArrayBuffer | Uint8Array, options: { threshold?: number } = {}): Promise<SmartTurnDetector> {
    const threshold = options.threshold ?? DEFAULT_THRESHOLD;
    if (!(threshold > 0 && threshold < 1)) throw new Error(`Smart Turn threshold must be between 0 and 1, got ${threshold}.`);
    const bytes = model instanceof Uint8Array ? model : new Uint8Array(model);
    if (bytes.byteLength === 0) throw new Error('Smart Turn model is empty (0 bytes).');
    const session = await ort.InferenceSession.create(bytes);
    const detector = new SmartTurnDetector(ort, session, threshold);
    try {
      checkGraph(session);
      // One call now: the feature code's first run (JIT) and the session's first inference are
      // several times slower than later ones, and the first real turn must not wait for them.
      await detector.predict(WARM_UP_AUDIO);
    } catch (error) {
      await session.release().catch(() => undefined);
      throw error;
    }
    return detector;
  }

  /** Is the turn whose 16 kHz mono audio this is complete? Only its last 8 s are used. */
  predict(audio16k: Float32Array): Promise<TurnVerdict> {
    if (this.released) return Promise.reject(new Error('SmartTurnDetector.predict() after release()'));
    const run = this.queue.then(() => this.run(audio16k));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(audio16k: Float32Array): Promise<TurnVerdict> {
    const started = performance.now();
    const features = smartTurnFeatures(audio16k);
    const input = new this.ort.Tensor('float32', features, [1, N_MELS, N_FRAMES]);
    const outputs = await this.session.run({ [INPUT_NAME]: input });
    const data = outputs[OUTPUT_NAME]?.data as ArrayLike<number> | undefined;
    const probability = Number(data?.[0]);
    if (!Number.isFinite(probability)) throw new Error(`Smart Turn gave no probability (${OUTPUT_NAME}: ${data?.[0]})`);
    return { probability, complete: probability > this.threshold, computeMs: performance.now() - started };
  }

  /** Frees the session once the calls already made are done; predict() fails afterwards. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.queue;
    await this.session.release();
  }
}
