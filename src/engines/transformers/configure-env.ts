import { env } from '@huggingface/transformers';
import { ORT_RUNTIME } from '../runtime-paths.ts';
import { deviceThreadBudget, type ThreadedStage } from '../thread-budget.ts';
import type { ModelSource } from '../types.ts';
import { absoluteHost, appUrl } from '../worker-urls.ts';

/**
 * Points transformers.js (and kokoro-js, which uses the same instance) at our model source and
 * our own copy of the onnxruntime files. Must run before the first model load in a worker:
 * transformers.js otherwise fetches onnxruntime from a CDN, which breaks offline use. `stage`
 * picks this worker's share of the cores (thread-budget.ts); onnxruntime reads it once, at its
 * first session.
 */
export function configureTransformersEnv(source: ModelSource, stage: ThreadedStage): void {
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.remoteHost = absoluteHost(source.host);
  env.remotePathTemplate = source.pathTemplate;
  env.useBrowserCache = true;
  const wasm = env.backends.onnx.wasm;
  if (!wasm) throw new Error('transformers.js has no onnxruntime wasm backend in this environment');
  wasm.numThreads = deviceThreadBudget()[stage];
  // The object form (not a prefix) lets transformers.js fetch and cache the binary itself.
  wasm.wasmPaths = {
    mjs: appUrl(ORT_RUNTIME.dir + ORT_RUNTIME.mjs),
    wasm: appUrl(ORT_RUNTIME.dir + ORT_RUNTIME.wasm),
  };
}
