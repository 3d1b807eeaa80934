import { defaultAsrDtype } from '../engines/asr/asr-engine-kind.ts';
import { webLlmModelFor } from '../engines/llm/webllm-models.ts';
import type { Backend, LlmEngineKind, StageName } from '../engines/types.ts';
import type { ModelSet } from '../protocol/model-set.ts';
import { navigatorGpu, type GpuAdapterLike } from '../engines/webgpu/webgpu-types.ts';

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

/** One way to run the language model: which library, on which backend, which model and dtype. */
export interface LlmLoadStep extends StagePlan {
  engine: LlmEngineKind;
}

export interface LlmStagePlan extends LlmLoadStep {
  /**
   * What to load instead, in order, when this fails to load: after WebLLM, transformers.js on
   * WebGPU then on wasm; after transformers.js on WebGPU, on wasm. Absent on wasm (nothing after).
   * The transformers.js steps load the set's ONNX model with the backend's default dtype.
   */
  fallbacks?: LlmLoadStep[];
}

export interface StagePlans {
  vad: StagePlan;
  asr: StagePlan;
  llm: LlmStagePlan;
  tts: StagePlan;
  /**
   * Stages the browser's own on-device speech engines run instead of their model (the user chose
   * it and the browser can): their plan above is what would run otherwise, and nothing of it loads.
   */
  browserSpeech?: BrowserSpeechStage[];
  /** Why the plan is what it is, in words the UI can show ("No WebGPU: running on the CPU"). */
  notes: string[];
}

/** The stages the browser's speech engines can take over; the language model stays a model. */
export type BrowserSpeechStage = 'asr' | 'tts';

/** Whether the browser's own speech engine runs `stage` in these plans: it then has no model to load or download. */
export function runByBrowser(plans: Pick<StagePlans, 'browserSpeech'>, stage: StageName): boolean {
  return plans.browserSpeech?.some((byBrowser) => byBrowser === stage) === true;
}

/** What the user (settings) or the app (after a device loss) forces. */
export interface PlanOverrides {
  /** Stages to run with the browser's on-device speech engines (the caller checked that it has them). */
  browserSpeech?: BrowserSpeechStage[];
  /** One backend for every model stage, or per stage. */
  backend?: Backend | Partial<Record<ModelStage, Backend>>;
  dtype?: Partial<Record<ModelStage, string>>;
  llmEngine?: LlmEngineKind;
  /**
   * MLC model id for WebLLM instead of the set's own build (webllm-models.ts); its q4f32/q0f32
   * twin is used when the adapter lacks shader-f16.
   */
  webllmModel?: string;
  /** Choose a software WebGPU adapter automatically as if it were a GPU (a forced `webgpu` backend uses it anyway). */
  allowFallbackAdapter?: boolean;
}

/** WebLLM's 0.5B model wants about 1 GB of buffers; below 256 MB a single weight matrix will not fit. */
const MIN_WEBGPU_BUFFER_BYTES = 256 * 1024 * 1024;

/**
 * Per stage: which backend, dtype and model. WebGPU when a real adapter is there (unless
 * overridden), WebLLM for the LLM on WebGPU when the set's LLM has a WebLLM build (else
 * transformers.js on WebGPU), wasm otherwise. Pure: same inputs, same plan.
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
  const asrModel = chooseAsrModel(asrBackend, gpu, modelSet, notes);
  const asr: StagePlan = {
    backend: asrBackend,
    model: asrModel,
    dtype: overrides.dtype?.asr ?? defaultAsrDtype(asrModel, asrBackend),
  };

  const llmBackend = backendFor('llm');
  const llm = chooseLlmPlan(llmBackend, gpu?.shaderF16 === true, modelSet, overrides, notes);

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
  const browserSpeech = overrides.browserSpeech ?? [];
  for (const stage of browserSpeech) notes.push(`${stage}: the browser's own speech ${stage === 'asr' ? 'recognition' : 'synthesis'}, on this device.`);
  return { vad, asr, llm, tts, notes, ...(browserSpeech.length > 0 ? { browserSpeech } : {}) };
}

/**
 * Parakeet TDT 0.6B's fp32 encoder is 2.4 GB of weights in tensors up to ~50 MB; a GPU whose
 * largest buffer is under 1 GiB is a phone or an integrated GPU with little memory to spare.
 */
const MIN_ASR_WEBGPU_BUFFER_BYTES = 1024 * 1024 * 1024;

/** The set's GPU speech recognizer where ASR runs on a GPU that can hold it, else its `asr`. */
function chooseAsrModel(backend: Backend, gpu: WebGpuCapabilities | null, modelSet: ModelSet, notes: string[]): string {
  const gpuModel = modelSet.asrWebgpu;
  if (!gpuModel || backend !== 'webgpu' || !gpu) return modelSet.asr;
  if (gpu.maxBufferSize < MIN_ASR_WEBGPU_BUFFER_BYTES) {
    notes.push(`asr: this GPU is too small for ${gpuModel}; using ${modelSet.asr}.`);
    return modelSet.asr;
  }
  return gpuModel;
}

/** The ONNX model through transformers.js, with the backend's default dtype. */
function transformersStep(backend: Backend, shaderF16: boolean, modelSet: ModelSet): LlmLoadStep {
  return { backend, engine: 'transformers', model: modelSet.llm, dtype: backend === 'wasm' ? 'q8' : shaderF16 ? 'q4f16' : 'q4' };
}

function chooseLlmPlan(backend: Backend, shaderF16: boolean, modelSet: ModelSet, overrides: PlanOverrides, notes: string[]): LlmStagePlan {
  if (backend === 'wasm') {
    if (overrides.llmEngine === 'webllm') notes.push('llm: WebLLM needs WebGPU; using transformers.js on wasm.');
    const step = transformersStep('wasm', shaderF16, modelSet);
    return { ...step, dtype: overrides.dtype?.llm ?? step.dtype };
  }
  const onWasm = transformersStep('wasm', shaderF16, modelSet);
  const onGpu = transformersStep('webgpu', shaderF16, modelSet);
  if ((overrides.llmEngine ?? 'webllm') === 'webllm') {
    const model = overrides.webllmModel
      ? shaderF16
        ? overrides.webllmModel
        : withoutF16(overrides.webllmModel)
      : webLlmModelFor(modelSet.llm, shaderF16);
    if (model) {
      const quantization = mlcQuantization(model);
      if (!shaderF16) notes.push(`llm: this GPU lacks shader-f16; using the ${quantization ?? 'f32'} build.`);
      return { backend: 'webgpu', engine: 'webllm', model, dtype: overrides.dtype?.llm ?? quantization ?? 'q4f32_1', fallbacks: [onGpu, onWasm] };
    }
    notes.push(`llm: WebLLM has no build of ${modelSet.llm}; running it with transformers.js on WebGPU.`);
  }
  return { ...onGpu, dtype: overrides.dtype?.llm ?? onGpu.dtype, fallbacks: [onWasm] };
}

/** The quantization in an MLC model id: `q4f16_1`, `q4f32_1`, `q0f16`... */
function mlcQuantization(modelId: string): string | undefined {
  return /q\d+f\d+(?:_\d+)?/.exec(modelId)?.[0];
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

/** The f32-shader twin of an f16 MLC model id (q4f16_1 -> q4f32_1, q0f16 -> q0f32). */
export function withoutF16(modelId: string): string {
  return modelId.replace(/q4f16_1/, 'q4f32_1').replace(/q0f16/, 'q0f32');
}
