import { exposeWorker } from '../rpc/expose-worker.ts';
import type { AsrWorkerApi } from './asr-api.ts';
import { TransformersAsrEngine } from './transformers-asr-engine.ts';

const engine = new TransformersAsrEngine();

const handlers: AsrWorkerApi = {
  load: (options, ctx) => engine.load({ ...options, onProgress: (progress) => ctx.progress(progress) }),
  transcribe: ({ audio }, ctx) => engine.transcribe(audio, { signal: ctx.signal }),
};

exposeWorker(handlers, self);
