// Where the runtime files each library loads at run time live, relative to the app's base URL.
// Shared by the Vite plugin that copies them (tools/vite/runtime-assets.ts) and the workers that
// point the libraries at them, so the two cannot drift apart. No CDN is ever used.

/** onnxruntime-web as nested inside @huggingface/transformers (its own version; the WebGPU build). */
export const TRANSFORMERS_ORT = {
  dir: 'runtime/ort/',
  mjs: 'ort-wasm-simd-threaded.asyncify.mjs',
  wasm: 'ort-wasm-simd-threaded.asyncify.wasm',
} as const;

/** The top-level onnxruntime-web that @ricky0123/vad-web uses (wasm-only build), and Silero v5. */
export const VAD_RUNTIME = {
  dir: 'runtime/vad/',
  mjs: 'ort-wasm-simd-threaded.mjs',
  wasm: 'ort-wasm-simd-threaded.wasm',
  model: 'silero_vad_v5.onnx',
} as const;

/**
 * The top-level onnxruntime-web's default build (wasm + WebGPU through JSEP), for parakeet.js.
 * Not precached (28 MB): only devices that run Parakeet fetch it, then the service worker keeps it.
 */
export const PARAKEET_ORT = {
  dir: 'runtime/parakeet/',
  mjs: 'ort-wasm-simd-threaded.jsep.mjs',
  wasm: 'ort-wasm-simd-threaded.jsep.wasm',
} as const;
