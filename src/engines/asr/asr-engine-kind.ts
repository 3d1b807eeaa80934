// Which library runs a speech recognition model. No runtime imports: the worker, the plan and the
// model store's file selection all ask.
import type { Backend } from '../types.ts';
import { PARAKEET_DEFAULT_DTYPE } from './parakeet-files.ts';

/**
 * transformers: Whisper and Moonshine (transformers.js's ASR pipeline; config.json says which).
 * parakeet: Parakeet TDT in parakeet.js's layout (encoder-model, decoder_joint-model, vocab.txt).
 */
export type AsrEngineKind = 'transformers' | 'parakeet';

/**
 * By the model's id: a Parakeet export has no config.json to tell, and its repositories are named
 * for it (`istupakov/parakeet-tdt-0.6b-v2-onnx`, `ysdede/parakeet-tdt-0.6b-v3-onnx`).
 */
export function asrEngineKind(model: string): AsrEngineKind {
  return /parakeet/i.test(model) ? 'parakeet' : 'transformers';
}

/**
 * The dtype the plan loads by default. transformers.js (`encoder/decoder`): the encoder in fp32
 * everywhere (it runs once per utterance; quantizing it costs accuracy), the per-token decoder q8
 * on wasm, fp32 on WebGPU where q8 kernels are slow. Parakeet: see PARAKEET_DEFAULT_DTYPE.
 */
export function defaultAsrDtype(model: string, backend: Backend): string {
  if (asrEngineKind(model) === 'parakeet') return PARAKEET_DEFAULT_DTYPE[backend];
  return backend === 'webgpu' ? 'fp32/fp32' : 'fp32/q8';
}
