import { exposeWorker } from '../rpc/expose-worker.ts';
import type { LlmWorkerApi } from './llm-api.ts';
import { WebLlmEngine } from './webllm-engine.ts';

// WebLLM's own WebWorkerMLCEngine would bring a second RPC protocol; our RPC layer serves its
// MLCEngine instead, so abort, progress and errors behave the same as for every other stage.
const engine = new WebLlmEngine();

const handlers: LlmWorkerApi = {
  load: (options, ctx) => engine.load({ ...options, onProgress: (progress) => ctx.progress(progress) }),
  generate: ({ messages, maxTokens, temperature }, ctx) =>
    engine.generate(messages, { maxTokens, ...(temperature === undefined ? {} : { temperature }), signal: ctx.signal }),
};

exposeWorker(handlers, self);
