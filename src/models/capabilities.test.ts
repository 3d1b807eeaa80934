import { describe, expect, it } from 'vitest';
import { chooseStagePlans, describeAdapter, detectCapabilities, type DeviceCapabilities, type WebGpuCapabilities } from './capabilities.ts';
import { HUB_DEFAULT_SET } from './catalogue.ts';
import { weakDeviceReason } from './weak-device.ts';
import type { ModelSet } from '../protocol/model-set.ts';
import type { GpuAdapterLike } from '../engines/webgpu/webgpu-types.ts';

const modelSet: ModelSet = {
  // Whatever else a set names (the end-of-turn model...) as in the hub's default set.
  ...HUB_DEFAULT_SET,
  id: 'test',
  label: 'Test',
  asr: 'onnx-community/whisper-base.en',
  llm: 'onnx-community/Qwen2.5-0.5B-Instruct',
  tts: 'onnx-community/Kokoro-82M-v1.0-ONNX',
  voice: 'af_heart',
};

const realGpu: WebGpuCapabilities = {
  shaderF16: true,
  isFallbackAdapter: false,
  vendor: 'nvidia',
  architecture: 'ampere',
  description: '',
  maxBufferSize: 4 * 1024 ** 3,
  maxStorageBufferBindingSize: 2 * 1024 ** 3,
};

function caps(webgpu: WebGpuCapabilities | null, extra: Partial<DeviceCapabilities> = {}): DeviceCapabilities {
  return { webgpu, deviceMemoryGb: 8, crossOriginIsolated: true, hardwareConcurrency: 8, ...extra };
}

function adapter(options: { features?: string[]; info?: GpuAdapterLike['info']; isFallbackAdapter?: boolean }): GpuAdapterLike {
  return {
    features: new Set(options.features ?? []),
    limits: { maxBufferSize: 1024 ** 3, maxStorageBufferBindingSize: 128 * 1024 ** 2 },
    ...(options.info ? { info: options.info } : {}),
    ...(options.isFallbackAdapter === undefined ? {} : { isFallbackAdapter: options.isFallbackAdapter }),
    requestDevice: () => Promise.reject(new Error('not in tests')),
  };
}

describe('chooseStagePlans', () => {
  it('puts every model stage on WebGPU and the LLM on WebLLM with a real GPU', () => {
    const plans = chooseStagePlans(caps(realGpu), modelSet);
    expect(plans.asr).toEqual({ backend: 'webgpu', model: modelSet.asr, dtype: 'fp32/fp32' });
    expect(plans.llm).toEqual({
      backend: 'webgpu',
      engine: 'webllm',
      model: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
      dtype: 'q4f16_1',
      fallbacks: [
        { backend: 'webgpu', engine: 'transformers', model: modelSet.llm, dtype: 'q4f16' },
        { backend: 'wasm', engine: 'transformers', model: modelSet.llm, dtype: 'q8' },
      ],
    });
    expect(plans.tts).toEqual({ backend: 'webgpu', model: modelSet.tts, dtype: 'fp32' });
    expect(plans.notes).toEqual([]);
  });

  it('keeps the VAD on wasm whatever the GPU', () => {
    expect(chooseStagePlans(caps(realGpu), modelSet).vad).toEqual({ backend: 'wasm', dtype: 'fp32', model: 'silero_vad_v5' });
  });

  it('uses the q4f32 WebLLM build when the adapter lacks shader-f16', () => {
    const plans = chooseStagePlans(caps({ ...realGpu, shaderF16: false }), modelSet);
    expect(plans.llm.model).toBe('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
    expect(plans.llm.dtype).toBe('q4f32_1');
    expect(plans.notes.join(' ')).toMatch(/shader-f16/);
  });

  it('runs everything on wasm with transformers.js when there is no WebGPU, and says so', () => {
    const plans = chooseStagePlans(caps(null), modelSet);
    expect(plans.asr).toEqual({ backend: 'wasm', model: modelSet.asr, dtype: 'fp32/q8' });
    expect(plans.llm).toEqual({ backend: 'wasm', engine: 'transformers', model: modelSet.llm, dtype: 'q8' });
    expect(plans.tts).toEqual({ backend: 'wasm', model: modelSet.tts, dtype: 'q8' });
    expect(plans.notes.join(' ')).toMatch(/No WebGPU/);
  });

  it('does not pick a software adapter (SwiftShader) on its own', () => {
    const swiftshader = { ...realGpu, shaderF16: false, isFallbackAdapter: true, vendor: 'google', architecture: 'swiftshader' };
    const plans = chooseStagePlans(caps(swiftshader), modelSet);
    expect([plans.asr.backend, plans.llm.backend, plans.tts.backend]).toEqual(['wasm', 'wasm', 'wasm']);
    expect(plans.notes.join(' ')).toMatch(/software adapter \(swiftshader\)/);
  });

  it('uses a software adapter when WebGPU is asked for explicitly (tests of the WebGPU path)', () => {
    const swiftshader = { ...realGpu, shaderF16: false, isFallbackAdapter: true };
    const plans = chooseStagePlans(caps(swiftshader), modelSet, { backend: { asr: 'webgpu' } });
    expect(plans.asr).toEqual({ backend: 'webgpu', model: modelSet.asr, dtype: 'fp32/fp32' });
    expect(plans.tts.backend).toBe('wasm');
  });

  it('does not claim to use wasm when the user forced WebGPU on a software adapter', () => {
    const swiftshader = { ...realGpu, shaderF16: false, isFallbackAdapter: true };
    const plans = chooseStagePlans(caps(swiftshader), modelSet, { backend: 'webgpu' });
    expect([plans.asr.backend, plans.tts.backend]).toEqual(['webgpu', 'webgpu']);
    expect(plans.notes.join(' ')).toMatch(/running on it as asked/);
    expect(plans.notes.join(' ')).not.toMatch(/using wasm/);
  });

  it('honours a forced wasm backend (the user setting, or recovery after a lost GPU device)', () => {
    const plans = chooseStagePlans(caps(realGpu), modelSet, { backend: { llm: 'wasm' } });
    expect(plans.llm).toEqual({ backend: 'wasm', engine: 'transformers', model: modelSet.llm, dtype: 'q8' });
    expect(plans.asr.backend).toBe('webgpu');
    const allWasm = chooseStagePlans(caps(realGpu), modelSet, { backend: 'wasm' });
    expect([allWasm.asr.backend, allWasm.llm.backend, allWasm.tts.backend]).toEqual(['wasm', 'wasm', 'wasm']);
  });

  it('falls back to wasm when WebGPU is forced but absent', () => {
    const plans = chooseStagePlans(caps(null), modelSet, { backend: 'webgpu' });
    expect(plans.asr.backend).toBe('wasm');
    expect(plans.notes.join(' ')).toMatch(/asr: WebGPU was requested but is not available/);
  });

  it('runs the ONNX LLM on WebGPU when the transformers engine is chosen', () => {
    expect(chooseStagePlans(caps(realGpu), modelSet, { llmEngine: 'transformers' }).llm).toEqual({
      backend: 'webgpu',
      engine: 'transformers',
      model: modelSet.llm,
      dtype: 'q4f16',
      fallbacks: [{ backend: 'wasm', engine: 'transformers', model: modelSet.llm, dtype: 'q8' }],
    });
    expect(chooseStagePlans(caps({ ...realGpu, shaderF16: false }), modelSet, { llmEngine: 'transformers' }).llm.dtype).toBe('q4');
  });

  it('takes explicit dtypes and WebLLM model ids', () => {
    const plans = chooseStagePlans(caps(realGpu), modelSet, {
      dtype: { asr: 'fp16/q4', tts: 'q8' },
      webllmModel: 'Llama-3.2-1B-Instruct-q4f16_1-MLC',
    });
    expect(plans.asr.dtype).toBe('fp16/q4');
    expect(plans.tts.dtype).toBe('q8');
    expect(plans.llm.model).toBe('Llama-3.2-1B-Instruct-q4f16_1-MLC');
  });

  it("runs the set's own LLM on WebLLM: the small set gets SmolLM2-135M, not the default Qwen", () => {
    const small = { ...modelSet, llm: 'HuggingFaceTB/SmolLM2-135M-Instruct' };
    const plans = chooseStagePlans(caps(realGpu), small);
    expect(plans.llm).toMatchObject({ backend: 'webgpu', engine: 'webllm', model: 'SmolLM2-135M-Instruct-q0f16-MLC', dtype: 'q0f16' });
    expect(plans.llm.fallbacks?.map((step) => step.model)).toEqual([small.llm, small.llm]);
    expect(plans.notes).toEqual([]);
    const noF16 = chooseStagePlans(caps({ ...realGpu, shaderF16: false }), small);
    expect(noF16.llm).toMatchObject({ engine: 'webllm', model: 'SmolLM2-135M-Instruct-q0f32-MLC', dtype: 'q0f32' });
    expect(noF16.llm.fallbacks?.[0]).toEqual({ backend: 'webgpu', engine: 'transformers', model: small.llm, dtype: 'q4' });
    expect(noF16.notes.join(' ')).toMatch(/lacks shader-f16; using the q0f32 build/);
  });

  it('runs an LLM without a WebLLM build with transformers.js on WebGPU, and says why', () => {
    const other = { ...modelSet, llm: 'onnx-community/some-other-LM' };
    const plans = chooseStagePlans(caps(realGpu), other);
    expect(plans.llm).toEqual({
      backend: 'webgpu',
      engine: 'transformers',
      model: other.llm,
      dtype: 'q4f16',
      fallbacks: [{ backend: 'wasm', engine: 'transformers', model: other.llm, dtype: 'q8' }],
    });
    expect(plans.notes).toEqual(['llm: WebLLM has no build of onnx-community/some-other-LM; running it with transformers.js on WebGPU.']);
  });

  it('has nothing to fall back to on wasm, and fallbacks keep their own default dtypes', () => {
    expect(chooseStagePlans(caps(null), modelSet).llm.fallbacks).toBeUndefined();
    const plans = chooseStagePlans(caps(realGpu), modelSet, { llmEngine: 'transformers', dtype: { llm: 'fp16' } });
    expect(plans.llm.dtype).toBe('fp16');
    expect(plans.llm.fallbacks).toEqual([{ backend: 'wasm', engine: 'transformers', model: modelSet.llm, dtype: 'q8' }]);
  });

  it('avoids WebGPU when its buffers are too small for a model', () => {
    const plans = chooseStagePlans(caps({ ...realGpu, maxBufferSize: 128 * 1024 ** 2 }), modelSet);
    expect(plans.asr.backend).toBe('wasm');
  });

  it('notes single-threaded wasm without cross-origin isolation', () => {
    expect(chooseStagePlans(caps(null, { crossOriginIsolated: false }), modelSet).notes.join(' ')).toMatch(/single-threaded/);
  });
});

describe('detectCapabilities', () => {
  it('reports no WebGPU without navigator.gpu, and reads memory, cores and isolation', async () => {
    const result = await detectCapabilities({ navigator: { deviceMemory: 4, hardwareConcurrency: 2 }, crossOriginIsolated: true });
    expect(result).toEqual({ webgpu: null, deviceMemoryGb: 4, crossOriginIsolated: true, hardwareConcurrency: 2 });
  });

  it('treats a missing deviceMemory as unknown', async () => {
    expect((await detectCapabilities({ navigator: {} })).deviceMemoryGb).toBeNull();
  });

  it('reports no WebGPU when requestAdapter returns null or throws', async () => {
    const none = { gpu: { requestAdapter: () => Promise.resolve(null) } };
    expect((await detectCapabilities({ navigator: none })).webgpu).toBeNull();
    const broken = { gpu: { requestAdapter: () => Promise.reject(new Error('GPU process crashed')) } };
    expect((await detectCapabilities({ navigator: broken })).webgpu).toBeNull();
  });

  it('describes the adapter: features, limits, fallback flag', async () => {
    const gpu = { requestAdapter: () => Promise.resolve(adapter({ features: ['shader-f16'], info: { vendor: 'apple', architecture: 'metal-3' } })) };
    expect((await detectCapabilities({ navigator: { gpu } })).webgpu).toEqual({
      shaderF16: true,
      isFallbackAdapter: false,
      vendor: 'apple',
      architecture: 'metal-3',
      description: '',
      maxBufferSize: 1024 ** 3,
      maxStorageBufferBindingSize: 128 * 1024 ** 2,
    });
  });

  it('recognises SwiftShader as a software adapter even without the flag', () => {
    expect(describeAdapter(adapter({ info: { vendor: 'google', architecture: 'swiftshader' } })).isFallbackAdapter).toBe(true);
    expect(describeAdapter(adapter({ isFallbackAdapter: true })).isFallbackAdapter).toBe(true);
    expect(describeAdapter(adapter({ info: { isFallbackAdapter: true } })).isFallbackAdapter).toBe(true);
  });
});

describe('chooseStagePlans: speech recognition per device', () => {
  const parakeetSet: ModelSet = { ...modelSet, asr: 'onnx-community/moonshine-base-ONNX', asrWebgpu: 'ysdede/parakeet-tdt-0.6b-v2-onnx' };

  it('runs the GPU recognizer (Parakeet) on a GPU with large buffers, encoder fp32 and decoder int8', () => {
    const { asr } = chooseStagePlans(caps(realGpu), parakeetSet);
    expect(asr).toEqual({ backend: 'webgpu', model: 'ysdede/parakeet-tdt-0.6b-v2-onnx', dtype: 'fp32/int8' });
  });

  it('keeps Moonshine on a small GPU, saying why, and without a GPU', () => {
    const small = chooseStagePlans(caps({ ...realGpu, maxBufferSize: 512 * 1024 * 1024 }), parakeetSet);
    expect(small.asr).toEqual({ backend: 'webgpu', model: 'onnx-community/moonshine-base-ONNX', dtype: 'fp32/fp32' });
    expect(small.notes.join(' ')).toMatch(/too small for ysdede\/parakeet/);
    expect(chooseStagePlans(caps(null), parakeetSet).asr).toEqual({ backend: 'wasm', model: 'onnx-community/moonshine-base-ONNX', dtype: 'fp32/q8' });
  });

  it('loads a Parakeet model named as the set’s only recognizer in int8 on wasm', () => {
    expect(chooseStagePlans(caps(null), { ...modelSet, asr: 'fixtures/parakeet-ask' }).asr).toEqual({ backend: 'wasm', model: 'fixtures/parakeet-ask', dtype: 'int8/int8' });
  });
});

describe('the browser speech fallback in the plan', () => {
  it('says why a device with little memory may be too weak for the speech models', () => {
    expect(weakDeviceReason(caps(null, { deviceMemoryGb: 0.5 }))).toContain('512 MB of memory');
    expect(weakDeviceReason(caps(null, { deviceMemoryGb: 4, hardwareConcurrency: 2 }))).toContain('no usable GPU, 2 processor cores');
    expect(weakDeviceReason(caps(realGpu, { deviceMemoryGb: 4, hardwareConcurrency: 2 }))).toBeNull();
    expect(weakDeviceReason(caps(null))).toBeNull();
    // Browsers that do not tell the memory are not assumed weak for it.
    expect(weakDeviceReason(caps(null, { deviceMemoryGb: null, hardwareConcurrency: 2 }))).toBeNull();
  });

  it('runs the stages the user gave the browser with it, and says so; the language model stays a model', () => {
    const plans = chooseStagePlans(caps(null, { deviceMemoryGb: 0.5 }), modelSet, { browserSpeech: ['asr', 'tts'] });
    expect(plans.browserSpeech).toEqual(['asr', 'tts']);
    expect(plans.notes).toContain("tts: the browser's own speech synthesis, on this device.");
    expect(plans.llm).toMatchObject({ engine: 'transformers', backend: 'wasm' });
    expect(chooseStagePlans(caps(null), modelSet).browserSpeech).toBeUndefined();
  });
});
