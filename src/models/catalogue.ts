import { SMART_TURN_HUB_MODEL, type ModelSet } from '../protocol/model-set.ts';

/**
 * The model set real users get by default: downloaded by the browser from the Hugging Face hub.
 * Small enough to run on a laptop without a GPU; a mirror's `model-set.json` can choose others.
 * Speech recognition is Moonshine base: its encoder reads the utterance's own length where
 * Whisper always reads a 30 s window, so a short answer costs a fraction of Whisper base's time,
 * at similar accuracy (arXiv 2410.15608).
 */
export const HUB_DEFAULT_SET: ModelSet = {
  id: 'hub-default',
  label: 'Default (Hugging Face hub)',
  asr: 'onnx-community/moonshine-base-ONNX',
  llm: 'onnx-community/Qwen2.5-0.5B-Instruct',
  tts: 'onnx-community/Kokoro-82M-v1.0-ONNX',
  voice: 'af_heart',
  turn: SMART_TURN_HUB_MODEL,
};

/**
 * For weaker devices (phones, old laptops): Moonshine tiny and SmolLM2-135M answer several times
 * faster than the default set, at some cost in accuracy and answer quality. The repos publish
 * the ONNX graphs the wasm and WebGPU plans load (a missing one is reported before downloading).
 */
export const HUB_SMALL_SET: ModelSet = {
  id: 'hub-small',
  label: 'Small and fast (Hugging Face hub)',
  asr: 'onnx-community/moonshine-tiny-ONNX',
  llm: 'HuggingFaceTB/SmolLM2-135M-Instruct',
  tts: 'onnx-community/Kokoro-82M-v1.0-ONNX',
  voice: 'af_heart',
  turn: SMART_TURN_HUB_MODEL,
};

/** The default set with Whisper base.en for speech recognition, for those who prefer it. */
export const HUB_WHISPER_SET: ModelSet = {
  ...HUB_DEFAULT_SET,
  id: 'hub-whisper',
  label: 'Whisper speech recognition (Hugging Face hub)',
  asr: 'onnx-community/whisper-base.en',
};

/**
 * Parakeet TDT 0.6B v2 (NVIDIA, ~6% WER) where a capable GPU runs speech recognition, through
 * parakeet.js: its encoder on WebGPU is ~2.5 GB in fp32 (parakeet.js runs int8 encoders on wasm
 * only), so it is a choice, not the default. Devices without such a GPU get Moonshine base.
 */
export const HUB_PARAKEET_SET: ModelSet = {
  ...HUB_DEFAULT_SET,
  id: 'hub-parakeet',
  label: 'Most accurate speech recognition on a GPU: Parakeet (Hugging Face hub)',
  asrWebgpu: 'ysdede/parakeet-tdt-0.6b-v2-onnx',
};

/** The sets a user of the hub can switch between in the model manager. */
export const HUB_SETS: readonly ModelSet[] = [HUB_DEFAULT_SET, HUB_SMALL_SET, HUB_WHISPER_SET, HUB_PARAKEET_SET];

/** The generated same-layout test models (`npm run fixtures`), served by `MODELS=fixtures`. */
export const FIXTURE_SET: ModelSet = {
  id: 'fixtures',
  label: 'Test fixtures',
  asr: 'fixtures/whisper-ask',
  llm: 'fixtures/chat-lm',
  tts: 'fixtures/kokoro',
  voice: 'af_heart',
  /** Says "complete" to any speech; `?turn=fixtures/smart-turn-incomplete` for the other answer. */
  turn: 'fixtures/smart-turn-complete',
};

/** The fixture set with the paced LM (real compute per token): a second set to switch to. */
export const FIXTURE_PACED_SET: ModelSet = { ...FIXTURE_SET, id: 'fixtures-paced', label: 'Test fixtures, paced language model', llm: 'fixtures/chat-lm-paced' };

/** The fixture set with Moonshine-layout speech recognition: switching engine downloads only it. */
export const FIXTURE_MOONSHINE_SET: ModelSet = {
  ...FIXTURE_SET,
  id: 'fixtures-moonshine',
  label: 'Test fixtures, Moonshine speech recognition',
  asr: 'fixtures/moonshine-ask',
};

/** The fixture set with the Parakeet TDT-layout fixture, on every backend (parakeet.js runs on wasm too). */
export const FIXTURE_PARAKEET_SET: ModelSet = {
  ...FIXTURE_SET,
  id: 'fixtures-parakeet',
  label: 'Test fixtures, Parakeet speech recognition',
  asr: 'fixtures/parakeet-ask',
};

/** The sets the generated fixtures offer after the default one (`MODELS=fixtures`). */
export const FIXTURE_ALTERNATIVE_SETS: readonly ModelSet[] = [FIXTURE_PACED_SET, FIXTURE_MOONSHINE_SET, FIXTURE_PARAKEET_SET];
