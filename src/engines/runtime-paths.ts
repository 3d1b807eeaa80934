// Where the runtime files each library loads at run time live, relative to the app's base URL.
// Shared by the Vite plugin that copies them (tools/vite/runtime-assets.ts) and the workers that
// point the libraries at them, so the two cannot drift apart. No CDN is ever used.

/**
 * onnxruntime-web's asyncify build (what `onnxruntime-web/webgpu` loads: wasm and WebGPU), for
 * every model stage: transformers.js (ASR, LLM, Kokoro) and parakeet.js. One binary, precached.
 */
export const ORT_RUNTIME = {
  dir: 'runtime/ort/',
  mjs: 'ort-wasm-simd-threaded.asyncify.mjs',
  wasm: 'ort-wasm-simd-threaded.asyncify.wasm',
} as const;

/**
 * The same onnxruntime-web's plain wasm build (`onnxruntime-web/wasm`) for the VAD worker
 * (Silero v5 on every 32 ms frame, Smart Turn at each pause), and Silero v5 itself. A second
 * binary, kept because the asyncify build runs these small CPU models slower (Smart Turn
 * 1.2-2.3x, a Silero frame 1.5-1.9x: bench/voice/ort-builds.ts, bench/README.md), and Smart
 * Turn's call is on the path from the user's last word to the reply.
 */
export const VAD_RUNTIME = {
  dir: 'runtime/vad/',
  mjs: 'ort-wasm-simd-threaded.mjs',
  wasm: 'ort-wasm-simd-threaded.wasm',
  model: 'silero_vad_v5.onnx',
} as const;

