import { ownedSamples } from '../audio-transfer.ts';
import { StageWorker } from '../stage-worker.ts';
import type { AsrEngine, Cancellable, LoadedStage, ProgressOptions, StageLoadOptions, Transcript } from '../types.ts';
import type { AsrWorkerApi } from './asr-api.ts';

/**
 * The main thread's ASR: the same AsrEngine interface, running Whisper, Moonshine or Parakeet in
 * its own worker (the worker picks the library by model: asr-engine-kind.ts).
 *
 *   const asr = new AsrClient();
 *   await asr.load({ model, source, backend: 'wasm', dtype: 'fp32/q8', onProgress });
 *   const { text } = await asr.transcribe(segment, { signal: turn.signal });
 */
export class AsrClient implements AsrEngine {
  private readonly worker = new StageWorker<AsrWorkerApi>(
    'asr',
    () => new Worker(new URL('./asr.worker.ts', import.meta.url), { type: 'module', name: 'asr' }),
    { name: 'asr', streams: {} },
  );

  /** Loads in a fresh worker (see StageWorker); a call still running on the old one rejects. */
  load({ onProgress, ...options }: StageLoadOptions & ProgressOptions): Promise<LoadedStage> {
    return this.worker.restart().load(options, { onProgress });
  }

  /**
   * The audio is transferred to the worker, not copied: a Float32Array that owns its buffer is
   * empty after the call (pass `audio.slice()` to keep one). Views and shared buffers are copied.
   */
  async transcribe(audio: Float32Array, options: Cancellable = {}): Promise<Transcript> {
    const samples = ownedSamples(audio);
    return this.worker.api.transcribe({ audio: samples }, { signal: options.signal, transfer: [samples.buffer] });
  }

  /** Ends the worker and frees the model. */
  terminate(): void {
    this.worker.terminate();
  }
}
