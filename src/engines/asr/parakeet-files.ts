// The files and dtypes of a Parakeet TDT model as parakeet.js loads them (`ysdede/parakeet-tdt-0.6b-v2-onnx`
// / `-v3-onnx` layout). No runtime imports: the model store's file selection can use it too.
//
// dtype: `<encoder>/<decoder>` or one name for both, each `fp32` (no suffix), `int8` or `fp16`:
//   encoder-model{,.int8,.fp16}.onnx, decoder_joint-model{,.int8,.fp16}.onnx, vocab.txt,
//   plus `<graph file>.data` (external weights) where the source has it (the fp32 0.6B encoder).
// `nemo128.onnx` / `nemo80.onnx` (the ONNX mel preprocessor) are not read: the engine uses
// parakeet.js's JS mel step.

import type { Backend } from '../types.ts';

export type ParakeetQuant = 'fp32' | 'int8' | 'fp16';
const QUANTS: readonly string[] = ['fp32', 'int8', 'fp16'] satisfies ParakeetQuant[];

/** File name suffix of each quantization, as the hub repos (and parakeet.js's hub loader) name them. */
export const PARAKEET_QUANT_SUFFIX: Record<ParakeetQuant, string> = { fp32: '', int8: '.int8', fp16: '.fp16' };

export interface ParakeetDtype {
  encoder: ParakeetQuant;
  decoder: ParakeetQuant;
}

/** `int8` (both) or `fp32/int8` (encoder/decoder). Throws on anything else. */
export function parseParakeetDtype(dtype: string): ParakeetDtype {
  const parts = dtype.split('/');
  const [encoder, decoder = encoder] = parts;
  if (parts.length > 2 || !encoder || !QUANTS.includes(encoder) || !QUANTS.includes(decoder!)) {
    throw new Error(`unknown Parakeet dtype "${dtype}": use fp32, int8 or fp16, or encoder/decoder such as fp32/int8`);
  }
  return { encoder: encoder as ParakeetQuant, decoder: decoder as ParakeetQuant };
}

export interface ParakeetFiles {
  encoder: string;
  decoder: string;
  vocab: 'vocab.txt';
}

/** The files a dtype loads (besides optional `<encoder or decoder>.data` external weights). */
export function parakeetFiles(dtype: string): ParakeetFiles {
  const { encoder, decoder } = parseParakeetDtype(dtype);
  return {
    encoder: `encoder-model${PARAKEET_QUANT_SUFFIX[encoder]}.onnx`,
    decoder: `decoder_joint-model${PARAKEET_QUANT_SUFFIX[decoder]}.onnx`,
    vocab: 'vocab.txt',
  };
}

/**
 * wasm: int8 throughout (parakeet.js's own hub default; int8 weights are a quarter of fp32's).
 * WebGPU: the encoder in fp32 (parakeet.js's hub loader forces that, "int8 unsupported" on WebGPU,
 * src/hub.js) and the decoder int8, as the decoder runs on wasm in WebGPU mode.
 */
export const PARAKEET_DEFAULT_DTYPE: Record<Backend, string> = { wasm: 'int8/int8', webgpu: 'fp32/int8' };
