// How many wasm threads each onnxruntime worker may start. Left alone, every worker takes
// onnxruntime's default, min(4, cores / 2): on an 8-core laptop the ASR, LLM and TTS workers
// start 12 threads between them, plus the VAD's, and onnxruntime's pool threads spin while they
// wait, so oversubscribed cores slow every stage at once. The budget splits the cores instead,
// by what runs together: the LLM decodes while the TTS speaks (they share the cores), the ASR
// runs at the end of a turn, before the LLM starts, beside the VAD and the end-of-turn model.

export type ThreadedStage = 'asr' | 'llm' | 'tts' | 'vad';

export type ThreadBudget = Readonly<Record<ThreadedStage, number>>;

/** onnxruntime's wasm build gains little past 4 threads. */
const MAX_THREADS = 4;

/**
 * Threads per stage for a device with `cores` logical cores. Without cross-origin isolation
 * there is no SharedArrayBuffer and every stage runs on 1 thread whatever is asked.
 */
export function threadBudget(cores: number, crossOriginIsolated: boolean): ThreadBudget {
  if (!crossOriginIsolated || !Number.isFinite(cores) || cores < 2) return { asr: 1, llm: 1, tts: 1, vad: 1 };
  // One core stays with the page: audio, the interface and the browser itself.
  const usable = Math.max(1, Math.floor(cores) - 1);
  const clamp = (threads: number) => Math.min(MAX_THREADS, Math.max(1, threads));
  // The VAD runs a frame in under a millisecond and the end-of-turn model once per pause: one
  // thread, which sits idle most of the time.
  const vad = 1;
  // Decoding is what the user waits on, token by token: the LLM gets the larger half; the TTS,
  // which runs beside it, the rest.
  const llm = clamp(Math.ceil(usable / 2));
  const tts = clamp(usable - llm);
  // The ASR does not overlap the LLM's decoding; at the end of a turn it shares the cores with
  // the end-of-turn model.
  const asr = clamp(usable - vad);
  return { asr, llm, tts, vad };
}

/** This worker's (or page's) budget. */
export function deviceThreadBudget(): ThreadBudget {
  return threadBudget(globalThis.navigator?.hardwareConcurrency ?? 1, globalThis.crossOriginIsolated === true);
}
