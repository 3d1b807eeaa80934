import { StageWorker } from '../stage-worker.ts';
import type { AudioChunk, LoadedStage, ProgressOptions, SynthesizeOptions, TtsEngine, TtsLoadOptions } from '../types.ts';
import type { TtsWorkerApi } from './tts-api.ts';

/**
 * The main thread's TTS: Kokoro in its own worker.
 *
 *   const tts = new TtsClient();
 *   await tts.load({ model, source, backend: 'wasm', voice: 'af_heart', onProgress });
 *   const { samples, sampleRate } = await tts.synthesize(sentence, { voice: 'af_heart', signal: turn.signal });
 *
 * `samples` arrive by transfer (no copy); `sampleRate` is 24000 for Kokoro.
 */
export class TtsClient implements TtsEngine {
  private readonly worker = new StageWorker<TtsWorkerApi>(
    'tts',
    () => new Worker(new URL('./tts.worker.ts', import.meta.url), { type: 'module', name: 'tts' }),
    { name: 'tts', streams: {} },
  );

  /** Loads in a fresh worker (see StageWorker); a call still running on the old one rejects. */
  load({ onProgress, ...options }: TtsLoadOptions & ProgressOptions): Promise<LoadedStage> {
    return this.worker.restart().load(options, { onProgress });
  }

  async synthesize(text: string, { signal, ...options }: SynthesizeOptions): Promise<AudioChunk> {
    return this.worker.api.synthesize({ text, ...options }, { signal });
  }

  terminate(): void {
    this.worker.terminate();
  }
}
