import type { Backend, LlmEngineKind, StageName } from '../engines/types.ts';
import type { ModelSet } from './model-set.ts';
import { navigatorGpu, type GpuAdapterLike } from './webgpu-types.ts';

/** What this device offers the model stages, probed once at start. */
export interface DeviceCapabilities {
  /** null when there is no usable WebGPU adapter at all. */
  webgpu: WebGpuCapabilities | null;
  /** `navigator.deviceMemory` in GiB (coarse, capped at 8 by browsers); null where unsupported. */
  deviceMemoryGb: number | null;
  /** COOP/COEP in force: SharedArrayBuffer, so multi-threaded wasm. */
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

export interface WebGpuCapabilities {
  shaderF16: boolean;
  /** A software adapter (SwiftShader, WARP...): correct but far slower than wasm. */
  isFallbackAdapter: boolean;
  vendor: string;
  architecture: string;
  description: string;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

/** The globals probed; a parameter so tests (and workers) can pass their own. */
export interface CapabilityScope {
  navigator: object;
  crossOriginIsolated?: boolean;
}

const ADAPTER_TIMEOUT_MS = 3000;

export async function detectCapabilities(scope: CapabilityScope = globalThis): Promise<DeviceCapabilities> {
  const nav = scope.navigator as { deviceMemory?: unknown; hardwareConcurrency?: unknown };
  return {
    webgpu: await probeWebGpu(scope.navigator),
    deviceMemoryGb: typeof nav.deviceMemory === 'number' ? nav.deviceMemory : null,
    crossOriginIsolated: scope.crossOriginIsolated === true,
    hardwareConcurrency: typeof nav.hardwareConcurrency === 'number' ? nav.hardwareConcurrency : 1,
  };
}

async function probeWebGpu(nav: object): Promise<WebGpuCapabilities | null> {
  const gpu = navigatorGpu(nav);
  if (!gpu) return null;
  try {
    // Some drivers never answer; a missing answer is the same as no adapter.
    const adapter = await Promise.race([
      gpu.requestAdapter({ powerPreference: 'high-performance' }),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), ADAPTER_TIMEOUT_MS)),
    ]);
    return adapter ? describeAdapter(adapter) : null;
  } catch {
    return null;
  }
}

export function describeAdapter(adapter: GpuAdapterLike): WebGpuCapabilities {
  const info = adapter.info ?? {};
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const description = info.description ?? '';
  const software = /swiftshader|warp|llvmpipe|software/i.test(`${architecture} ${description}`);
  return {
    shaderF16: adapter.features.has('shader-f16'),
    isFallbackAdapter: info.isFallbackAdapter === true || adapter.isFallbackAdapter === true || software,
    vendor,
    architecture,
    description,
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

// ---- Plans ----

export type ModelStage = Exclude<StageName, 'vad'>;

export interface StagePlan {
  backend: Backend;
  /** Explicit dtype for the engine (ASR: `encoder/decoder`, e.g. `fp32/q8`). */
  dtype: string;
  model: string;
}

export interface LlmStagePlan extends StagePlan {
  engine: LlmEngineKind;
}

export interface StagePlans {
  vad: StagePlan;
  asr: StagePlan;
  llm: LlmStagePlan;
  tts: StagePlan;
  /** Why the plan is what it is, in words the UI can show ("No WebGPU: running on the CPU"). */
  notes: string[];
}

/** What the user (settings) or the app (after a device loss) forces. */
export interface PlanOverrides {
  /** One backend for every model stage, or per stage. */
  backend?: Backend | Partial<Record<ModelStage, Backend>>;
  dtype?: Partial<Record<ModelStage, string>>;
  llmEngine?: LlmEngineKind;
  /** MLC model id for WebLLM; the q4f32 twin is used when the adapter lacks shader-f16. */
  webllmModel?: string;
  /** Choose a software WebGPU adapter automatically as if it were a GPU (a forced `webgpu` backend uses it anyway). */
  allowFallbackAdapter?: boolean;
}

export const DEFAULT_WEBLLM_MODEL = 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC';

/** WebLLM's 0.5B model wants about 1 GB of buffers; below 256 MB a single weight matrix will not fit. */
const MIN_WEBGPU_BUFFER_BYTES = 256 * 1024 * 1024;

/**
 * Per stage: which backend, dtype and model. WebGPU when a real adapter is there (unless
 * overridden), WebLLM for the LLM on WebGPU, wasm otherwise. Pure: same inputs, same plan.
 */
export function chooseStagePlans(caps: DeviceCapabilities, modelSet: ModelSet, overrides: PlanOverrides = {}): StagePlans {
  const notes: string[] = [];
  // Chosen automatically only when it is worth it; used whenever explicitly asked for and present.
  const autoGpu = usableWebGpu(caps, overrides, notes);
  const gpu = caps.webgpu;

  const backendFor = (stage: ModelStage): Backend => {
    const forced = typeof overrides.backend === 'string' ? overrides.backend : overrides.backend?.[stage];
    if (forced === 'webgpu' && !gpu) {
      notes.push(`${stage}: WebGPU was requested but is not available here; using wasm.`);
      return 'wasm';
    }
    return forced ?? (autoGpu ? 'webgpu' : 'wasm');
  };

  const asrBackend = backendFor('asr');
  const asr: StagePlan = {
    backend: asrBackend,
    model: modelSet.asr,
    // fp32 exists in every export; on wasm the per-token decoder gains most from q8.
    dtype: overrides.dtype?.asr ?? (asrBackend === 'webgpu' ? 'fp32/fp32' : 'fp32/q8'),
  };

  const llmBackend = backendFor('llm');
  const engine: LlmEngineKind = llmBackend === 'wasm' ? 'transformers' : (overrides.llmEngine ?? 'webllm');
  if (llmBackend === 'wasm' && overrides.llmEngine === 'webllm') notes.push('llm: WebLLM needs WebGPU; using transformers.js on wasm.');
  let llm: LlmStagePlan;
  if (engine === 'webllm') {
    const requested = overrides.webllmModel ?? DEFAULT_WEBLLM_MODEL;
    const model = gpu?.shaderF16 ? requested : withoutF16(requested);
    if (model !== requested) notes.push('llm: this GPU lacks shader-f16; using the q4f32 build.');
    llm = { backend: 'webgpu', engine, model, dtype: overrides.dtype?.llm ?? (/q\d+f\d+_\d+/.exec(model)?.[0] ?? 'q4f32_1') };
  } else {
    const f16 = llmBackend === 'webgpu' && gpu?.shaderF16 === true;
    llm = {
      backend: llmBackend,
      engine,
      model: modelSet.llm,
      dtype: overrides.dtype?.llm ?? (llmBackend === 'wasm' ? 'q8' : f16 ? 'q4f16' : 'q4'),
    };
  }

  const ttsBackend = backendFor('tts');
  const tts: StagePlan = {
    backend: ttsBackend,
    model: modelSet.tts,
    dtype: overrides.dtype?.tts ?? (ttsBackend === 'webgpu' ? 'fp32' : 'q8'),
  };

  if (!caps.crossOriginIsolated) notes.push('Not cross-origin isolated: wasm runs single-threaded (slower).');
  // Silero is tiny and per-frame; the GPU would add latency, and the WebGPU build of onnxruntime
  // computed Silero's first layer wrongly on SwiftShader.
  const vad: StagePlan = { backend: 'wasm', dtype: 'fp32', model: 'silero_vad_v5' };
  return { vad, asr, llm, tts, notes };
}

function usableWebGpu(caps: DeviceCapabilities, overrides: PlanOverrides, notes: string[]): WebGpuCapabilities | null {
  const gpu = caps.webgpu;
  if (!gpu) {
    notes.push('No WebGPU: running every model on the CPU (wasm).');
    return null;
  }
  if (gpu.isFallbackAdapter && !overrides.allowFallbackAdapter) {
    const adapter = gpu.architecture || gpu.vendor || 'fallback';
    notes.push(
      overrides.backend === 'webgpu'
        ? `WebGPU is a software adapter (${adapter}): running on it as asked, but wasm would be faster.`
        : `WebGPU is a software adapter (${adapter}): wasm is faster, using wasm.`,
    );
    return null;
  }
  if (gpu.maxBufferSize < MIN_WEBGPU_BUFFER_BYTES) {
    notes.push('WebGPU buffers are too small for the models: using wasm.');
    return null;
  }
  return gpu;
}

/** The q4f32 twin of a q4f16 MLC model id (same weights, no f16 shaders). */
export function withoutF16(modelId: string): string {
  return modelId.replace(/q4f16_1/, 'q4f32_1').replace(/q0f16/, 'q0f32');
}
