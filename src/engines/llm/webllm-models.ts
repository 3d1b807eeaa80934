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
