import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { WEBLLM_BUILDS, webLlmBuildFiles, webLlmModelFor } from './webllm-models.ts';

describe('WebLLM builds of the sets’ language models', () => {
  const prebuilt = new Map(prebuiltAppConfig.model_list.map((record) => [record.model_id, record]));

  it('names only models the installed WebLLM has prebuilt, the f32 twin without shader-f16', () => {
    for (const [onnx, builds] of Object.entries(WEBLLM_BUILDS)) {
      expect(prebuilt.has(builds.f16), `${onnx} -> ${builds.f16}`).toBe(true);
      expect(prebuilt.has(builds.f32), `${onnx} -> ${builds.f32}`).toBe(true);
      expect(prebuilt.get(builds.f32)?.required_features ?? [], builds.f32).not.toContain('shader-f16');
      expect(builds.f16).toMatch(/f16/);
      expect(builds.f32).toBe(builds.f16.replace(/f16/, 'f32'));
    }
  });

  it('picks by shader-f16, and has nothing for unknown models', () => {
    expect(webLlmModelFor('onnx-community/Qwen2.5-0.5B-Instruct', true)).toBe('Qwen2.5-0.5B-Instruct-q4f16_1-MLC');
    expect(webLlmModelFor('onnx-community/Qwen2.5-0.5B-Instruct', false)).toBe('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
    expect(webLlmModelFor('HuggingFaceTB/SmolLM2-135M-Instruct', true)).toBe('SmolLM2-135M-Instruct-q0f16-MLC');
    expect(webLlmModelFor('HuggingFaceTB/SmolLM2-135M-Instruct', false)).toBe('SmolLM2-135M-Instruct-q0f32-MLC');
    expect(webLlmModelFor('fixtures/chat-lm', true)).toBeUndefined();
  });

  it('knows where WebLLM fetches each build: its hub repository and its compiled library', () => {
    for (const builds of Object.values(WEBLLM_BUILDS)) {
      for (const id of [builds.f16, builds.f32]) {
        const record = prebuilt.get(id)!;
        const files = webLlmBuildFiles(id);
        expect(`https://huggingface.co/${files.repo}`).toBe(record.model);
        expect(files.library).toBe(record.model_lib);
      }
    }
  });
});
