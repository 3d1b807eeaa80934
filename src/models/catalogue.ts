import type { ModelSet } from './model-set.ts';

/**
 * The model set real users get by default: downloaded by the browser from the Hugging Face hub.
 * Small enough to run on a laptop without a GPU; a mirror's `model-set.json` can choose others.
 */
export const HUB_DEFAULT_SET: ModelSet = {
  id: 'hub-default',
  label: 'Default (Hugging Face hub)',
  asr: 'onnx-community/whisper-base.en',
  llm: 'onnx-community/Qwen2.5-0.5B-Instruct',
  tts: 'onnx-community/Kokoro-82M-v1.0-ONNX',
  voice: 'af_heart',
};

/** The generated same-layout test models (`npm run fixtures`), served by `MODELS=fixtures`. */
export const FIXTURE_SET: ModelSet = {
  id: 'fixtures',
  label: 'Test fixtures',
  asr: 'fixtures/whisper-ask',
  llm: 'fixtures/chat-lm',
  tts: 'fixtures/kokoro',
  voice: 'af_heart',
};
