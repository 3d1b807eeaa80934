import type { DataType } from '@huggingface/transformers';

const KNOWN_DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16'] as const satisfies readonly DataType[];
export type ModelDtype = (typeof KNOWN_DTYPES)[number];

export function parseDtype(value: string): ModelDtype {
  const dtype = KNOWN_DTYPES.find((known) => known === value);
  if (!dtype) throw new Error(`unknown dtype "${value}" (expected one of ${KNOWN_DTYPES.join(', ')})`);
  return dtype;
}

/**
 * Encoder-decoder models take one dtype for both parts (`q8`) or one each as `encoder/decoder`
 * (`fp32/q8`): the encoder runs once per utterance and loses accuracy when quantized, the decoder
 * runs once per token and gains the most from it.
 */
export function parseEncoderDecoderDtype(value: string): { encoder_model: ModelDtype; decoder_model_merged: ModelDtype } {
  const [encoder, decoder = encoder] = value.split('/');
  return { encoder_model: parseDtype(encoder ?? ''), decoder_model_merged: parseDtype(decoder ?? '') };
}
