import { cacheFirstFetch } from '../model-files/model-cache.ts';
import { exposeWorker } from '../rpc/expose-worker.ts';
import { StageError } from '../stage-error.ts';
import type { AsrEngine, LoadedStage, ProgressOptions, StageLoadOptions } from '../types.ts';
import type { AsrWorkerApi } from './asr-api.ts';
import { asrEngineKind, type AsrEngineKind } from './asr-engine-kind.ts';
import { TransformersAsrEngine } from './transformers-asr-engine.ts';

interface LoadableAsrEngine extends AsrEngine {
  load(options: StageLoadOptions & ProgressOptions): Promise<LoadedStage>;
  unload(): Promise<void>;
}

/** parakeet.js (and its onnxruntime build) is only fetched by a worker that runs a Parakeet model. */
async function createEngine(kind: AsrEngineKind): Promise<LoadableAsrEngine> {
  if (kind === 'transformers') return new TransformersAsrEngine();
  const { ParakeetAsrEngine } = await import('./parakeet-engine.ts');
  return new ParakeetAsrEngine({ fetch: cacheFirstFetch });
}

let current: { kind: AsrEngineKind; engine: LoadableAsrEngine } | null = null;

async function engineFor(model: string): Promise<LoadableAsrEngine> {
  const kind = asrEngineKind(model);
  if (current?.kind !== kind) {
    await current?.engine.unload();
    current = { kind, engine: await createEngine(kind) };
  }
  return current.engine;
}

const handlers: AsrWorkerApi = {
  load: async (options, ctx) => (await engineFor(options.model)).load({ ...options, onProgress: (progress) => ctx.progress(progress) }),
  transcribe: ({ audio }, ctx) => {
    if (!current) return Promise.reject(new StageError('asr', 'not-loaded', 'transcribe() called before load()'));
    return current.engine.transcribe(audio, { signal: ctx.signal });
  },
};

exposeWorker(handlers, self);
