/**
 * Which WebLLM prebuilt (MLC-compiled) model runs the same language model as a set's ONNX model,
 * so a GPU runs the set the user chose rather than one fixed model. Ids from WebLLM's
 * `prebuiltAppConfig.model_list` (checked by a unit test against the installed version).
 *
 * Plain strings, no import of WebLLM: the planner runs on the main thread, which must not pull
 * WebLLM into its bundle.
 */
export interface WebLlmBuilds {
  /** For GPUs with `shader-f16`. */
  f16: string;
  /** The same weights with f32 shaders, for GPUs without `shader-f16`. */
  f32: string;
}

export const WEBLLM_BUILDS: Readonly<Record<string, WebLlmBuilds>> = {
  'onnx-community/Qwen2.5-0.5B-Instruct': { f16: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', f32: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC' },
  // WebLLM compiles SmolLM2-135M unquantized only (q0); it is small enough that it does not matter.
  'HuggingFaceTB/SmolLM2-135M-Instruct': { f16: 'SmolLM2-135M-Instruct-q0f16-MLC', f32: 'SmolLM2-135M-Instruct-q0f32-MLC' },
};

/** The WebLLM build of an ONNX model id for this GPU, or undefined when WebLLM has none. */
export function webLlmModelFor(onnxModel: string, shaderF16: boolean): string | undefined {
  const builds = WEBLLM_BUILDS[onnxModel];
  return builds && (shaderF16 ? builds.f16 : builds.f32);
}

/**
 * WebLLM's caches (Cache Storage, its default backend), keyed by each file's URL: the model store
 * puts a build's files there before the stage loads, and WebLLM then reads them without a download.
 * `config`: mlc-chat-config.json; `model`: the weight shards, their tensor-cache.json and the
 * tokenizer; `wasm`: the compiled library.
 */
export const WEBLLM_CACHES = { config: 'webllm/config', model: 'webllm/model', wasm: 'webllm/wasm' } as const;

/** Where the installed WebLLM (0.2.86) fetches its compiled libraries (its `modelLibURLPrefix` + `modelVersion`). */
export const WEBLLM_LIBRARY_BASE = 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/';

/** Each build's compiled library (prebuiltAppConfig's `model_lib`, checked by a unit test). */
const WEBLLM_LIBRARIES: Readonly<Record<string, string>> = {
  'Qwen2.5-0.5B-Instruct-q4f16_1-MLC': 'Qwen2-0.5B-Instruct-q4f16_1_cs1k-webgpu.wasm',
  'Qwen2.5-0.5B-Instruct-q4f32_1-MLC': 'Qwen2-0.5B-Instruct-q4f32_1_cs1k-webgpu.wasm',
  'SmolLM2-135M-Instruct-q0f16-MLC': 'SmolLM2-135M-Instruct-q0f16_cs1k-webgpu.wasm',
  'SmolLM2-135M-Instruct-q0f32-MLC': 'SmolLM2-135M-Instruct-q0f32_cs1k-webgpu.wasm',
};

/** Where a WebLLM build's files are: its hub repository (`mlc-ai/<id>`) and its compiled library's URL. */
export function webLlmBuildFiles(mlcId: string): { repo: string; library?: string } {
  const library = WEBLLM_LIBRARIES[mlcId];
  return { repo: `mlc-ai/${mlcId}`, ...(library ? { library: `${WEBLLM_LIBRARY_BASE}${library}` } : {}) };
}
