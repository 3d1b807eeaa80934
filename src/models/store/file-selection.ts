import { asrEngineKind } from '../../engines/asr/asr-engine-kind.ts';
import { parakeetFiles } from '../../engines/asr/parakeet-files.ts';
import { parseDtype, parseEncoderDecoderDtype, type ModelDtype } from '../../engines/transformers/dtypes.ts';
import { SMART_TURN_DTYPE, SMART_TURN_FILE } from '../../engines/turn/smart-turn-model.ts';
import { sourceVoices } from '../../engines/tts/voice-blend.ts';
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

/**
 * The JSON files the loaders read (transformers.js 4: config.json always; generation_config.json
 * for generating models; preprocessor_config.json for an ASR feature extractor; tokenizer.json
 * and tokenizer_config.json for a tokenizer; kokoro-js loads through the same calls). Not every
 * root `.json`: special_tokens_map.json, added_tokens.json, vocab.json, quantize_config.json and
 * the like are never fetched (tokenizer.json carries what they hold), and processor_config.json
 * and chat_template.jinja only for processors that declare them, which none of the catalogue's
 * models (src/models/catalogue.ts) use.
 */
const CONFIG_FILES = [
  'config.json',
  'generation_config.json',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
];

/** The ONNX sessions each stage's model runs, by the dtype part that applies to it. */
function sessionsFor(stage: StoreStage, dtype: string): { session: string; dtype: ModelDtype }[] {
  // Whisper and Moonshine: `encoder/decoder` dtypes, e.g. `fp32/q8`.
  if (stage === 'asr') return Object.entries(parseEncoderDecoderDtype(dtype)).map(([session, part]) => ({ session, dtype: part }));
  return [{ session: 'model', dtype: parseDtype(dtype) }];
}

export class MissingModelFileError extends Error {
  constructor(model: string, path: string, hint = 'is the dtype available for this model?') {
    super(`${model} has no ${path} at the model source (${hint})`);
    this.name = 'MissingModelFileError';
  }
}

/**
 * A file the loading library would read that the source lacks. `graph`: an ONNX graph of one
 * dtype (another dtype of the model may still load); `voice`: a Kokoro voice; `config`: the
 * model's config.json (not a transformers.js repository); `file`: a file of a fixed layout
 * (Smart Turn, Parakeet) without which the model does not load at all.
 */
export interface MissingFile {
  path: string;
  kind: 'graph' | 'voice' | 'config' | 'file';
  /** `graph`: the dtype of that graph (`q8`, not the ASR pair `fp32/q8`). */
  dtype?: string;
  hint: string;
}

export interface StageFileSelection {
  /** Each file once, in the order: configs, graphs (dtype by dtype, external weights after their graph), voices. */
  files: ListedFile[];
  missing: MissingFile[];
}

const DTYPE_HINT = 'is the dtype available for this model?';

/**
 * The end-of-turn model is one ONNX file read by onnxruntime directly (no transformers.js, no
 * configs): exactly `smart-turn-v3.2-cpu.onnx`, whatever else the repo holds.
 */
function turnPaths(dtype: string): { path: string; optional: boolean }[] {
  if (dtype !== SMART_TURN_DTYPE) throw new Error(`unknown dtype "${dtype}" for the end-of-turn model (it has one file, ${SMART_TURN_DTYPE})`);
  return [{ path: SMART_TURN_FILE, optional: false }];
}

/**
 * A Parakeet TDT export (parakeet.js's layout, no transformers.js configs): its two graphs for
 * the dtype, their `.data` external weights where the source has them, and `vocab.txt`.
 */
function parakeetPaths(dtype: string): { path: string; optional: boolean }[] {
  const files = parakeetFiles(dtype);
  return [files.encoder, files.decoder, files.vocab].flatMap((path) => [
    { path, optional: false },
    { path: `${path}.data`, optional: true },
  ]);
}

/**
 * The one rule for which of a model's files to fetch, used by the app's model store and by
 * `npm run models:download`: the files of `listing` that `stage` loads with any of `dtypes`
 * (the configs the loaders read, one ONNX graph per session and dtype with its external
 * weights, or a fixed layout's exact files), plus the TTS `voices`; and what it would read
 * but the source lacks. Throws on a dtype no loader knows.
 */
export function planStageFiles(stage: StoreStage, listing: ModelListing, dtypes: readonly string[], voices: readonly string[] = []): StageFileSelection {
  const byPath = new Map(listing.files.map((file) => [file.path, file]));
  const chosen = new Set<string>();
  const files: ListedFile[] = [];
  const missing: MissingFile[] = [];
  const take = (file: ListedFile): void => {
    if (chosen.has(file.path)) return;
    chosen.add(file.path);
    files.push(file);
  };
  const lack = (entry: MissingFile): void => {
    if (!missing.some((m) => m.path === entry.path)) missing.push(entry);
  };

  const fixedLayout = stage === 'turn' ? turnPaths : stage === 'asr' && asrEngineKind(listing.id) === 'parakeet' ? parakeetPaths : null;
  if (fixedLayout) {
    const hint = stage === 'turn' ? 'the end-of-turn model must be a Smart Turn v3 repository' : 'is it a Parakeet TDT export in the parakeet.js layout, with this dtype?';
    for (const dtype of dtypes) {
      for (const { path, optional } of fixedLayout(dtype)) {
        const file = byPath.get(path);
        if (file) take(file);
        else if (!optional) lack({ path, kind: 'file', hint });
      }
    }
    return { files, missing };
  }

  for (const path of CONFIG_FILES) {
    const file = byPath.get(path);
    if (file) take(file);
  }
  for (const dtype of dtypes) {
    for (const { session, dtype: part } of sessionsFor(stage, dtype)) {
      const graph = `onnx/${session}${DTYPE_SUFFIX[part]}.onnx`;
      const file = byPath.get(graph);
      if (!file) {
        lack({ path: graph, kind: 'graph', dtype: part, hint: DTYPE_HINT });
        continue;
      }
      take(file);
      // External weights: `model.onnx_data`, or chunked `model.onnx_data_1`, `_2`, ...
      for (const data of listing.files) if (data.path === `${graph}_data` || data.path.startsWith(`${graph}_data_`)) take(data);
    }
  }
  for (const voice of stage === 'tts' ? voices : []) {
    const path = `voices/${voice}.bin`;
    const file = byPath.get(path);
    if (file) take(file);
    else lack({ path, kind: 'voice', hint: 'is it a Kokoro voice this model has?' });
  }
  // transformers.js reads config.json before anything else: without it nothing loads.
  if (!byPath.has('config.json')) lack({ path: 'config.json', kind: 'config', hint: 'is it a transformers.js model repository?' });
  return { files, missing };
}

/**
 * The files of `listing` that a stage loads with `dtype`, plus the TTS voice (a blend's voices,
 * for a voice made on the device). Throws when a required file is absent: better to say so
 * before downloading than to fail halfway.
 */
export function selectStageFiles(stage: StoreStage, listing: ModelListing, dtype: string, voice?: string): ListedFile[] {
  const { files, missing } = planStageFiles(stage, listing, [dtype], voice ? sourceVoices(voice) : []);
  const [first] = missing;
  if (first) throw new MissingModelFileError(listing.id, first.path, first.hint);
  return files;
}

/** The dtypes the model manager offers sizes for. */
const ASR_DTYPES = ['fp32/fp32', 'fp32/q8', 'q8/q8', 'fp16/fp16', 'q4/q4'];
const PARAKEET_DTYPES = ['int8/int8', 'fp32/int8', 'fp32/fp32', 'fp16/fp16'];

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
