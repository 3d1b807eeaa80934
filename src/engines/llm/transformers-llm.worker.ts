import { exposeWorker } from '../rpc/expose-worker.ts';
import type { LlmWorkerApi } from './llm-api.ts';
import { TransformersLlmEngine } from './transformers-llm-engine.ts';

const engine = new TransformersLlmEngine();

const handlers: LlmWorkerApi = {
  load: (options, ctx) => engine.load({ ...options, onProgress: (progress) => ctx.progress(progress) }),
  generate: ({ messages, maxTokens, temperature }, ctx) =>
    engine.generate(messages, { maxTokens, ...(temperature === undefined ? {} : { temperature }), signal: ctx.signal }),
};

exposeWorker(handlers, self);
