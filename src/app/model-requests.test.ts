import { describe, expect, it } from 'vitest';
import type { StagePlans } from '../models/capabilities.ts';
import { stageRequests } from './model-requests.ts';

const plans = (engine: 'transformers' | 'webllm'): StagePlans => ({
  vad: { backend: 'wasm', dtype: 'fp32', model: 'silero_vad_v5' },
  asr: { backend: 'wasm', dtype: 'fp32/q8', model: 'org/whisper' },
  llm: { backend: engine === 'webllm' ? 'webgpu' : 'wasm', engine, dtype: 'q8', model: 'org/lm' },
  tts: { backend: 'wasm', dtype: 'q8', model: 'org/kokoro' },
  notes: [],
});

describe('stageRequests', () => {
  it('asks the model store for every model the plan loads, the end-of-turn model included', () => {
    expect(stageRequests(plans('transformers'), 'af_heart', 'pipecat-ai/smart-turn-v3')).toEqual([
      { stage: 'asr', model: 'org/whisper', dtype: 'fp32/q8' },
      { stage: 'llm', model: 'org/lm', dtype: 'q8' },
      { stage: 'tts', model: 'org/kokoro', dtype: 'q8', voice: 'af_heart' },
      { stage: 'turn', model: 'pipecat-ai/smart-turn-v3', dtype: 'int8' },
    ]);
  });

  it('asks for a WebLLM build by its hub repository and compiled library, and for no turn model the set does not name', () => {
    const webllm = plans('webllm');
    webllm.llm = { ...webllm.llm, model: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', dtype: 'q4f16_1' };
    expect(stageRequests(webllm, 'af_heart')).toEqual([
      { stage: 'asr', model: 'org/whisper', dtype: 'fp32/q8' },
      {
        stage: 'llm',
        model: 'mlc-ai/Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
        dtype: 'q4f16_1',
        webllm: { library: 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Qwen2-0.5B-Instruct-q4f16_1_cs1k-webgpu.wasm' },
      },
      { stage: 'tts', model: 'org/kokoro', dtype: 'q8', voice: 'af_heart' },
    ]);
  });

  it("asks for no model for a stage the browser's own speech runs", () => {
    const byBrowser = { ...plans('transformers'), browserSpeech: ['asr', 'tts'] as ('asr' | 'tts')[] };
    expect(stageRequests(byBrowser, 'af_heart', 'pipecat-ai/smart-turn-v3').map((request) => request.stage)).toEqual(['llm', 'turn']);
  });
});
