import type { ModelSource } from '../engines/types.ts';

/** The models the app runs for each stage, by id (hub id, or id under the mirror). */
export interface ModelSet {
  id: string;
  label: string;
  asr: string;
  /**
   * Speech recognition where it runs on a capable GPU (WebGPU, large buffers): a model too heavy
   * for the CPU, such as Parakeet TDT 0.6B. Absent: `asr` everywhere.
   */
  asrWebgpu?: string;
  llm: string;
  tts: string;
  /** Kokoro voice id, e.g. `af_heart`. */
  voice: string;
  /**
   * End-of-turn model (Smart Turn v3 layout: `smart-turn-v3.2-cpu.onnx` at the repo's root), run
   * in the VAD worker. Sets written before it existed lack it: see ModelSetSchema for the default.
   */
  turn: string;
}

/** What the server tells the app at start: where models come from and which to use. */
export interface ClientConfig {
  modelSource: ModelSource;
  /** The set used unless the user chose another. */
  modelSet: ModelSet;
  /** Every set the source offers (the default among them), for the model manager's switch. */
  modelSets: ModelSet[];
}
