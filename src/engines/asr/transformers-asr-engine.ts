import { pipeline } from '@huggingface/transformers';
import { StageError } from '../stage-error.ts';
import { stopOnAbort, throwIfAborted } from '../transformers/abort-criteria.ts';
import { configureTransformersEnv } from '../transformers/configure-env.ts';
import { parseEncoderDecoderDtype } from '../transformers/dtypes.ts';
import { loadError } from '../transformers/load-error.ts';
import { progressForwarder } from '../transformers/load-progress.ts';
import { ortWebGpuDevice } from '../transformers/ort-device.ts';
import { finishLoad } from '../transformers/warm-up.ts';
import type { AsrEngine, Cancellable, LoadedStage, ProgressOptions, StageLoadOptions, Transcript } from '../types.ts';
import { DeviceLossTracker } from '../webgpu/device-loss.ts';
import { defaultAsrDtype } from './asr-engine-kind.ts';

const SAMPLE_RATE = 16_000;
/** Whisper sees 30 s windows; longer audio is transcribed in overlapping chunks. */
const WINDOW_SECONDS = 30;

/**
 * The encoder-decoder speech recognizers transformers.js's ASR pipeline runs, by config
 * `model_type`. Whisper reads a fixed 30 s log-mel window: every utterance costs a 30 s encoder
 * pass. Moonshine reads the raw samples, so its encoder costs what the utterance costs.
 */
export type TransformersAsrFamily = 'whisper' | 'moonshine';
const FAMILIES: readonly string[] = ['whisper', 'moonshine'] satisfies TransformersAsrFamily[];

/**
 * Moonshine's decoding limit: its paper's 6 tokens per second of audio, rounded up, plus a margin.
 * The pipeline's own limit rounds the seconds down, which cuts the last word of a 1.6 s question
 * and gives a sub-second "yes" no tokens at all.
 */
export function moonshineMaxTokens(samples: number): number {
  return Math.ceil((samples / SAMPLE_RATE) * 6) + 4;
}

type Transcriber = Awaited<ReturnType<typeof pipeline<'automatic-speech-recognition'>>>;

/**
 * The ASR warm-up: transcribes a second of silence. That is the encoder's one run and at least two
 * decoder steps, so both branches of the merged decoder run (the first step without a cache, the
 * next with one) even with a model that would end the transcript at once.
 */
export async function warmUpTranscriber(transcriber: Transcriber): Promise<void> {
  await transcriber(new Float32Array(SAMPLE_RATE), { max_new_tokens: 4, min_new_tokens: 2 });
}

/** Whisper or Moonshine through transformers.js; runs inside the ASR worker. */
export class TransformersAsrEngine implements AsrEngine {
  private transcriber: Transcriber | null = null;
  private family: TransformersAsrFamily = 'whisper';
  private readonly gpu = new DeviceLossTracker('asr');

  async load(options: StageLoadOptions & ProgressOptions): Promise<LoadedStage> {
    const started = performance.now();
    const dtype = options.dtype ?? defaultAsrDtype(options.model, options.backend);
    await this.unload();
    configureTransformersEnv(options.source, 'asr');
    let transcriber: Transcriber;
    try {
      transcriber = await pipeline('automatic-speech-recognition', options.model, {
        device: options.backend,
        dtype: parseEncoderDecoderDtype(dtype),
        progress_callback: progressForwarder('asr', options.onProgress),
      });
      if (options.backend === 'webgpu') {
        const device = await ortWebGpuDevice();
        if (device) this.gpu.watch(device);
      }
    } catch (error) {
      throw loadError('asr', options.model, options.backend, error, this.gpu);
    }
    const family = transcriber.model.config.model_type ?? 'unknown';
    if (!FAMILIES.includes(family)) {
      await transcriber.dispose();
      throw new StageError('asr', 'load-failed', `${options.model} is a "${family}" model; speech recognition runs Whisper or Moonshine models`);
    }
    this.family = family as TransformersAsrFamily;
    this.transcriber = transcriber;
    // The first run initialises kernels (compiles shaders on WebGPU) and sizes buffers: pay it
    // now, not on the user's first utterance.
    return finishLoad({
      stage: 'asr',
      model: options.model,
      backend: options.backend,
      dtype,
      onProgress: options.onProgress,
      startedAt: started,
      inference: () => warmUpTranscriber(transcriber),
      gpu: this.gpu,
      unload: () => this.unload(),
    });
  }

  async transcribe(audio: Float32Array, options: Cancellable = {}): Promise<Transcript> {
    const transcriber = this.transcriber;
    if (!transcriber) throw new StageError('asr', 'not-loaded', 'transcribe() called before load()');
    this.gpu.throwIfLost();
    throwIfAborted(options.signal);
    const started = performance.now();
    const { criteria, release } = stopOnAbort(options.signal);
    try {
      const output = await transcriber(audio, { stopping_criteria: criteria, ...this.familyOptions(audio) });
      throwIfAborted(options.signal);
      return { text: output.text.trim(), computeMs: performance.now() - started };
    } catch (error) {
      throw this.gpu.classify(error);
    } finally {
      release();
    }
  }

  private familyOptions(audio: Float32Array): Record<string, number> {
    if (this.family === 'moonshine') return { max_new_tokens: moonshineMaxTokens(audio.length) };
    // Whisper: longer than its window, the audio is transcribed in overlapping chunks.
    return audio.length > WINDOW_SECONDS * SAMPLE_RATE ? { chunk_length_s: WINDOW_SECONDS, stride_length_s: 5 } : {};
  }

  async unload(): Promise<void> {
    const transcriber = this.transcriber;
    this.transcriber = null;
    this.gpu.reset();
    await transcriber?.dispose();
  }
}
