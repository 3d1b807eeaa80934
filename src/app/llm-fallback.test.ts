import { describe, expect, it } from 'vitest';
import { RemoteError } from '../engines/rpc/remote-error.ts';
import { StageError } from '../engines/stage-error.ts';
import { chooseStagePlans, type DeviceCapabilities, type LlmLoadStep, type LlmStagePlan } from '../models/capabilities.ts';
import { HUB_DEFAULT_SET } from '../models/catalogue.ts';
import type { ModelSet } from '../protocol/model-set.ts';
import type { ModelsOutcome } from './ensure-models.ts';
import {
  LLM_FALLBACK_NOTICE,
  LlmFilesPendingError,
  LlmUnavailableError,
  freshFallbackState,
  loadLlmWithFallback,
  planFromStep,
  whyLlmFailed,
  type LlmFallbackDeps,
} from './llm-fallback.ts';
import type { LoadedLlm } from '../engines/llm/llm-client.ts';

const set: ModelSet = {
  // Whatever else a set names (the end-of-turn model...) as in the hub's default set.
  ...HUB_DEFAULT_SET,
  id: 'test',
  label: 'Test',
  asr: 'onnx-community/whisper-base.en',
  llm: 'onnx-community/Qwen2.5-0.5B-Instruct',
  tts: 'onnx-community/Kokoro-82M-v1.0-ONNX',
  voice: 'af_heart',
};

const gpuDevice: DeviceCapabilities = {
  webgpu: { shaderF16: true, isFallbackAdapter: false, vendor: 'v', architecture: 'a', description: '', maxBufferSize: 2 ** 32, maxStorageBufferBindingSize: 2 ** 31 },
  deviceMemoryGb: 8,
  crossOriginIsolated: true,
  hardwareConcurrency: 8,
};

/** The real plan of a WebGPU device: WebLLM, then transformers.js on WebGPU, then on wasm. */
const plan: LlmStagePlan = chooseStagePlans(gpuDevice, set).llm;

const key = (step: LlmLoadStep): string => `${step.engine}/${step.backend}`;

/** WebLLM's library download blocked by the CSP, as the worker re-throws it. */
const blockedLibrary = new RemoteError('llm.load', {
  name: 'StageError',
  code: 'load-failed',
  message: 'llm: could not load Qwen2.5-0.5B-Instruct-q4f16_1-MLC with WebLLM: TypeError: Failed to fetch',
});

interface Fake {
  deps: LlmFallbackDeps;
  loads: string[];
  ensured: string[];
  notices: { level: string; text: string }[];
  dismissed: number;
}

/** Deps whose load fails with the error given for that step (engine/backend), else succeeds. */
function fake(failures: Record<string, Error>, files: Partial<Record<string, ModelsOutcome>> = {}, repaired = false): Fake {
  const result: Fake = { loads: [], ensured: [], notices: [], dismissed: 0, deps: undefined as unknown as LlmFallbackDeps };
  result.deps = {
    load: async (step): Promise<LoadedLlm> => {
      result.loads.push(key(step));
      const error = failures[key(step)];
      if (error) {
        if (repaired) delete failures[key(step)];
        throw error;
      }
      return { stage: 'llm', model: step.model, backend: step.backend, dtype: step.dtype, loadMs: 1, engine: step.engine };
    },
    ensureFiles: async (step) => {
      result.ensured.push(key(step));
      return files[key(step)] ?? 'ready';
    },
    repair: async () => repaired,
    notify: (notice) => {
      expect(notice.id).toBe(LLM_FALLBACK_NOTICE);
      result.notices.push({ level: notice.level, text: notice.text });
    },
    dismiss: (id) => {
      expect(id).toBe(LLM_FALLBACK_NOTICE);
      result.dismissed++;
    },
  };
  return result;
}

describe('the language model fallback chain', () => {
  it('runs WebLLM when it loads, with no notice (and clears an old one)', async () => {
    const f = fake({});
    const { info, step } = await loadLlmWithFallback(plan, f.deps);
    expect(f.loads).toEqual(['webllm/webgpu']);
    expect(info).toMatchObject({ engine: 'webllm', backend: 'webgpu', model: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC' });
    expect(step.engine).toBe('webllm');
    expect(f.ensured).toEqual([]);
    expect(f.notices).toEqual([]);
    expect(f.dismissed).toBe(1);
  });

  it('falls back to transformers.js on WebGPU when the WebLLM library download is blocked, fetching the ONNX files through the model store', async () => {
    const f = fake({ 'webllm/webgpu': blockedLibrary });
    const { info, step } = await loadLlmWithFallback(plan, f.deps);
    expect(f.loads).toEqual(['webllm/webgpu', 'transformers/webgpu']);
    expect(f.ensured).toEqual(['transformers/webgpu']);
    expect(info).toMatchObject({ engine: 'transformers', backend: 'webgpu', model: set.llm, dtype: 'q4f16' });
    expect(step).toEqual({ engine: 'transformers', backend: 'webgpu', model: set.llm, dtype: 'q4f16' });
    expect(f.notices).toEqual([
      {
        level: 'warning',
        text: 'The language model could not start with WebLLM on the GPU: its files could not be downloaded. Loading it with transformers.js on the GPU instead.',
      },
      {
        level: 'warning',
        text: 'The language model could not start with WebLLM on the GPU: its files could not be downloaded. It now runs with transformers.js on the GPU.',
      },
    ]);
  });

  it('goes on to transformers.js on wasm when WebGPU fails for both libraries', async () => {
    const f = fake({ 'webllm/webgpu': blockedLibrary, 'transformers/webgpu': new Error('no available backend found. ERR: [webgpu] RuntimeError: Aborted()') });
    const { info } = await loadLlmWithFallback(plan, f.deps);
    expect(f.loads).toEqual(['webllm/webgpu', 'transformers/webgpu', 'transformers/wasm']);
    expect(f.ensured).toEqual(['transformers/webgpu', 'transformers/wasm']);
    expect(info).toMatchObject({ engine: 'transformers', backend: 'wasm', dtype: 'q8' });
    expect(f.notices.at(-1)?.text).toBe(
      'The language model could not start with WebLLM on the GPU (its files could not be downloaded) nor with transformers.js on the GPU ' +
        '(it reported "no available backend found. ERR: [webgpu] RuntimeError: Aborted()"). It now runs with transformers.js on the CPU (slower).',
    );
  });

  it('skips the other WebGPU step when the GPU was lost', async () => {
    const f = fake({ 'webllm/webgpu': new StageError('llm', 'device-lost', 'GPU device lost') });
    const { info } = await loadLlmWithFallback(plan, f.deps);
    expect(f.loads).toEqual(['webllm/webgpu', 'transformers/wasm']);
    expect(info.backend).toBe('wasm');
    expect(f.notices[0]?.text).toBe(
      'The language model could not start with WebLLM on the GPU: the GPU stopped responding. Loading it with transformers.js on the CPU instead (slower).',
    );
  });

  it('stops at a fallback whose files wait for approval, and resumes there', async () => {
    const f = fake({ 'webllm/webgpu': blockedLibrary }, { 'transformers/webgpu': 'needs-approval' });
    const state = freshFallbackState();
    const pending = await loadLlmWithFallback(plan, f.deps, state).catch((error: unknown) => error);
    expect(pending).toBeInstanceOf(LlmFilesPendingError);
    expect((pending as LlmFilesPendingError).outcome).toBe('needs-approval');
    expect(f.loads).toEqual(['webllm/webgpu']);
    expect(f.notices.at(-1)).toEqual({
      level: 'warning',
      text: 'The language model could not start with WebLLM on the GPU: its files could not be downloaded. To run it with transformers.js on the GPU instead, its files must be downloaded first: approve the download to continue.',
    });
    expect(state.next).toBe(1);

    // The user approved: the same plan loads again, without trying WebLLM a second time.
    const again = fake({ 'webllm/webgpu': blockedLibrary });
    const { info } = await loadLlmWithFallback(plan, again.deps, state);
    expect(again.loads).toEqual(['transformers/webgpu']);
    expect(info.engine).toBe('transformers');
    expect(again.notices.at(-1)?.text).toMatch(/could not start with WebLLM on the GPU: its files could not be downloaded\. It now runs with transformers\.js on the GPU\.$/);
  });

  it('reports a failed fallback download as an error to retry, without going on to wasm', async () => {
    const f = fake({ 'webllm/webgpu': blockedLibrary }, { 'transformers/webgpu': 'failed' });
    await expect(loadLlmWithFallback(plan, f.deps)).rejects.toBeInstanceOf(LlmFilesPendingError);
    expect(f.loads).toEqual(['webllm/webgpu']);
    expect(f.notices.at(-1)).toEqual({
      level: 'error',
      text: 'The language model could not start with WebLLM on the GPU: its files could not be downloaded. Its files for transformers.js on the GPU could not be downloaded; retry to continue.',
    });
  });

  it('repairs damaged cached ONNX files and tries the same step once more before falling back', async () => {
    const f = fake({ 'transformers/webgpu': new Error('protobuf parsing failed') }, {}, true);
    const onnxFirst = chooseStagePlans(gpuDevice, set, { llmEngine: 'transformers' }).llm;
    const { info } = await loadLlmWithFallback(onnxFirst, f.deps);
    expect(f.loads).toEqual(['transformers/webgpu', 'transformers/webgpu']);
    expect(info.backend).toBe('webgpu');
    // The plan's own first step was downloaded before the stages loaded: not fetched again here.
    expect(f.ensured).toEqual([]);
  });

  it('fails with every reason when nothing loads, and starts over on the next try', async () => {
    const f = fake({ 'webllm/webgpu': blockedLibrary, 'transformers/webgpu': new Error('Failed to fetch'), 'transformers/wasm': new Error('Failed to fetch') });
    const state = freshFallbackState();
    const error = await loadLlmWithFallback(plan, f.deps, state).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    const text =
      'The language model could not be loaded: WebLLM on the GPU (its files could not be downloaded), transformers.js on the GPU (its files could not be downloaded), ' +
      'transformers.js on the CPU (its files could not be downloaded).';
    expect((error as Error).message).toBe(text);
    expect(f.notices.at(-1)).toEqual({ level: 'error', text });
    expect(state).toEqual(freshFallbackState());
  });

  it('has nothing to fall back to on wasm', async () => {
    const wasmOnly = chooseStagePlans({ ...gpuDevice, webgpu: null }, set).llm;
    const f = fake({ 'transformers/wasm': new Error('out of memory') });
    await expect(loadLlmWithFallback(wasmOnly, f.deps)).rejects.toThrow(
      'The language model could not be loaded: transformers.js on the CPU (this device does not have enough memory for it).',
    );
    expect(f.loads).toEqual(['transformers/wasm']);
  });

  it('reports the plan as it runs after a fallback', () => {
    const fallback = plan.fallbacks?.[0] as LlmLoadStep;
    expect(planFromStep(plan, fallback)).toEqual({ ...fallback, fallbacks: [plan.fallbacks?.[1]] });
    const last = plan.fallbacks?.[1] as LlmLoadStep;
    expect(planFromStep(plan, last)).toEqual(last);
  });
});

describe('whyLlmFailed', () => {
  it('says in plain words why a step failed', () => {
    expect(whyLlmFailed(blockedLibrary)).toBe('its files could not be downloaded');
    expect(whyLlmFailed(new Error('WebLLM has no prebuilt model "X-MLC" (e.g. ...)'))).toBe('it has no compiled build of this model');
    expect(whyLlmFailed(new Error('The WebGPU device was lost while loading the model. This issue often occurs due to running out of memory (OOM).'))).toBe(
      'the GPU does not have enough memory for it',
    );
    expect(whyLlmFailed(new Error('This model requires WebGPU extension shader-f16, which is not enabled in this browser.'))).toBe(
      'this browser or GPU lacks a WebGPU feature it needs',
    );
    expect(whyLlmFailed({ code: 'device-lost', message: 'x' })).toBe('the GPU stopped responding');
    expect(whyLlmFailed(new Error(`llm: ${'x'.repeat(300)}`))).toMatch(/^it reported "x{157}\.\.\."$/);
  });
});
