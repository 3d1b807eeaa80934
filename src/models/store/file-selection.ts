import { asrEngineKind } from '../../engines/asr/asr-engine-kind.ts';
import { parakeetFiles } from '../../engines/asr/parakeet-files.ts';
import type { ModelDtype } from '../../engines/transformers/dtypes.ts';
import { SMART_TURN_DTYPE, SMART_TURN_FILE } from '../../engines/turn/smart-turn-model.ts';
import type { ModelStage } from '../capabilities.ts';
import type { ListedFile, ModelListing } from './listing.ts';
import type { StoreStage } from './store-types.ts';

// Which of a model's files the loading libraries will read for a given dtype. transformers.js
// (and kokoro-js, which loads through it) read the JSON configs below when present, and one ONNX
// graph per session, named `<session><dtype suffix>.onnx`, with `…onnx_data*` beside it when the
// weights are stored as external data. Selecting from the source's own listing (instead of
// asking the library) lets the app know every size before downloading, and works offline.

/** transformers.js's file suffix per dtype (DEFAULT_DTYPE_SUFFIX_MAPPING in its dtypes.js); fp32 is the bare name. */
export const DTYPE_SUFFIX: Record<ModelDtype, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

const CONFIG_FILES = [
  'config.json',
  'generation_config.json',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
];

/** The ONNX sessions each stage's model runs, by the dtype part that applies to it. */
function sessionsFor(stage: ModelStage, dtype: string): { session: string; dtype: string }[] {
  if (stage === 'asr') {
    // Whisper and Moonshine: `encoder/decoder` dtypes, e.g. `fp32/q8` (see parseEncoderDecoderDtype).
    const [encoder = dtype, decoder = encoder] = dtype.split('/');
    return [
      { session: 'encoder_model', dtype: encoder },
      { session: 'decoder_model_merged', dtype: decoder },
    ];
  }
  return [{ session: 'model', dtype }];
}

export class MissingModelFileError extends Error {
  constructor(model: string, path: string, hint = 'is the dtype available for this model?') {
    super(`${model} has no ${path} at the model source (${hint})`);
    this.name = 'MissingModelFileError';
  }
}

/**
 * The end-of-turn model is one ONNX file read by onnxruntime directly (no transformers.js, no
 * configs): exactly `smart-turn-v3.2-cpu.onnx`, whatever else the repo holds.
 */
function selectTurnFile(listing: ModelListing, dtype: string): ListedFile[] {
  if (dtype !== SMART_TURN_DTYPE) throw new Error(`unknown dtype "${dtype}" for the end-of-turn model (it has one file, ${SMART_TURN_DTYPE})`);
  const file = listing.files.find((f) => f.path === SMART_TURN_FILE);
  if (!file) throw new MissingModelFileError(listing.id, SMART_TURN_FILE, 'the end-of-turn model must be a Smart Turn v3 repository');
  return [file];
}

/**
 * A Parakeet TDT export (parakeet.js's layout, no transformers.js configs): its two graphs for
 * the dtype, their `.data` external weights where the source has them, and `vocab.txt`.
 */
function selectParakeetFiles(listing: ModelListing, dtype: string): ListedFile[] {
  const files = parakeetFiles(dtype);
  const selected: ListedFile[] = [];
  for (const path of [files.encoder, files.decoder, files.vocab]) {
    const file = listing.files.find((f) => f.path === path);
    if (!file) throw new MissingModelFileError(listing.id, path, 'is it a Parakeet TDT export in the parakeet.js layout, with this dtype?');
    selected.push(file, ...listing.files.filter((f) => f.path === `${path}.data`));
  }
  return selected;
}

/** The dtypes the model manager offers sizes for. */
const ASR_DTYPES = ['fp32/fp32', 'fp32/q8', 'q8/q8', 'fp16/fp16', 'q4/q4'];
const PARAKEET_DTYPES = ['int8/int8', 'fp32/int8', 'fp32/fp32', 'fp16/fp16'];

/**
 * The files of `listing` that a stage loads with `dtype`, plus the TTS voice. Throws when a
 * required graph is absent: better to say so before downloading than to fail halfway.
 */
export function selectStageFiles(stage: StoreStage, listing: ModelListing, dtype: string, voice?: string): ListedFile[] {
  if (stage === 'turn') return selectTurnFile(listing, dtype);
  if (stage === 'asr' && asrEngineKind(listing.id) === 'parakeet') return selectParakeetFiles(listing, dtype);
  const byPath = new Map(listing.files.map((file) => [file.path, file]));
  const selected: ListedFile[] = CONFIG_FILES.flatMap((path) => byPath.get(path) ?? []);
  for (const { session, dtype: part } of sessionsFor(stage, dtype)) {
    const suffix = (DTYPE_SUFFIX as Record<string, string | undefined>)[part];
    if (suffix === undefined) throw new Error(`unknown dtype "${part}"`);
    const graph = `onnx/${session}${suffix}.onnx`;
    const file = byPath.get(graph);
    if (!file) throw new MissingModelFileError(listing.id, graph);
    selected.push(file);
    // External weights: `model.onnx_data`, or chunked `model.onnx_data_1`, `_2`, ...
    selected.push(...listing.files.filter((f) => f.path === `${graph}_data` || f.path.startsWith(`${graph}_data_`)));
  }
  if (stage === 'tts' && voice) {
    const path = `voices/${voice}.bin`;
    const file = byPath.get(path);
    if (!file) throw new MissingModelFileError(listing.id, path);
    selected.push(file);
  }
  return selected;
}

/** Download size of a stage's model for each dtype the source offers (for the model manager). */
export function sizesByDtype(stage: StoreStage, listing: ModelListing): { dtype: string; bytes: number }[] {
  const asrDtypes = asrEngineKind(listing.id) === 'parakeet' ? PARAKEET_DTYPES : ASR_DTYPES;
  const dtypes = stage === 'turn' ? [SMART_TURN_DTYPE] : stage === 'asr' ? asrDtypes : Object.keys(DTYPE_SUFFIX);
  return dtypes.flatMap((dtype) => {
    try {
      const bytes = selectStageFiles(stage, listing, dtype).reduce((sum, file) => sum + file.bytes, 0);
      return [{ dtype, bytes }];
    } catch {
      return [];
    }
  });
}
