// The contract between the voice loop (main thread) and the model stages (one Web Worker each).
// Every stage has the same shape on both sides of the worker boundary: the worker implements
// the interface, and the main thread holds a client with the same methods that forwards calls.

import type { ModelSource } from '../protocol/model-set.ts';

export type StageName = 'vad' | 'asr' | 'llm' | 'tts';
export type Backend = 'webgpu' | 'wasm';

/**
 * Where model files come from: the Hugging Face hub, or a mirror on our own origin (`/models/`).
 * Part of the relay's contract, so defined in src/protocol; re-exported for the stages' callers.
 */
export type { ModelSource };

export interface LoadProgress {
  stage: StageName;
  file?: string;
  /** Bytes loaded so far and expected in total (0 when unknown). */
  loaded: number;
  total: number;
  status: 'downloading' | 'loading' | 'ready';
  /** 0..1 where the library reports a fraction rather than bytes (WebLLM). */
  fraction?: number;
}

export interface StageLoadOptions {
  /** Model id as on the hub (`onnx-community/whisper-base.en`) or in the mirror (`fixtures/whisper-ask`). */
  model: string;
  source: ModelSource;
  backend: Backend;
  /** e.g. `fp32`, `q8`, `q4f16`; the stage picks a default for the backend when absent. */
  dtype?: string;
}

export interface LoadedStage {
  stage: StageName;
  model: string;
  backend: Backend;
  dtype: string;
  loadMs: number;
  /** Time of the warm-up inference run at the end of the load (included in `loadMs`); absent where none ran. */
  warmupMs?: number;
  /** The warm-up failed: the model is loaded and usable, its first real call just runs cold. */
  warmupError?: string;
}

export interface ProgressOptions {
  onProgress?: (progress: LoadProgress) => void;
}

export interface Cancellable {
  signal?: AbortSignal;
}

// ---- ASR ----
export interface Transcript {
  text: string;
  /** Wall time spent in the model for this utterance. */
  computeMs: number;
}

export interface AsrEngine {
  load(options: StageLoadOptions & ProgressOptions): Promise<LoadedStage>;
  /** `audio` is 16 kHz mono float32 in [-1, 1]. */
  transcribe(audio: Float32Array, options?: Cancellable): Promise<Transcript>;
}

// ---- LLM ----
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerateOptions extends Cancellable {
  maxTokens: number;
  temperature?: number;
}

/** Which library runs the LLM: WebLLM (compiled for WebGPU) or transformers.js (ONNX, wasm or WebGPU). */
export type LlmEngineKind = 'webllm' | 'transformers';

export interface LlmLoadOptions extends StageLoadOptions {
  /** Defaults to `webllm` on WebGPU and `transformers` on wasm. For `webllm`, `model` is an MLC model id. */
  engine?: LlmEngineKind;
}

export interface LlmEngine {
  load(options: LlmLoadOptions & ProgressOptions): Promise<LoadedStage>;
  /** Streams text pieces (one per token) until the reply ends, `maxTokens` is reached or the signal aborts. */
  generate(messages: ChatMessage[], options: GenerateOptions): AsyncIterable<string>;
}

// ---- TTS ----
export interface AudioChunk {
  samples: Float32Array;
  sampleRate: number;
}

export interface SynthesizeOptions extends Cancellable {
  voice: string;
  speed?: number;
}

export interface TtsLoadOptions extends StageLoadOptions {
  /** Voice to fetch and warm up with during load, so the first sentence does not pay for it. */
  voice?: string;
}

export interface TtsEngine {
  load(options: TtsLoadOptions & ProgressOptions): Promise<LoadedStage>;
  synthesize(text: string, options: SynthesizeOptions): Promise<AudioChunk>;
}

// ---- VAD ----
export interface VadParams {
  /** Speech probability above which a frame counts as speech. */
  positiveSpeechThreshold: number;
  /** Probability below which a frame counts as silence (hysteresis). */
  negativeSpeechThreshold: number;
  /** Silence that ends a turn when no end-of-turn model decides (silence-only mode, or no model), in ms. */
  redemptionMs: number;
  /**
   * `smart`: at each short pause the end-of-turn model (Smart Turn) decides whether the user is
   * done; the turn still ends after `maxSilenceMs`. `silence`: the turn ends after `redemptionMs`.
   */
  endOfTurn: EndOfTurnMode;
  /** Silence after speech that counts as a pause: eager work starts and the turn model is asked, in ms. */
  shortPauseMs: number;
  /** Smart mode: the longest silence before the turn ends whatever the model says, in ms. */
  maxSilenceMs: number;
  /** Audio kept before speech start and after speech end, in ms. */
  preSpeechPadMs: number;
  /** Segments shorter than this are misfires (no turn). */
  minSpeechMs: number;
}

export type EndOfTurnMode = 'smart' | 'silence';

/** What decided that the user was done: the end-of-turn model, or the silence running out. */
export type EndOfTurnReason = 'turn-model' | 'silence';

/** The end-of-turn model's work on one utterance. */
export interface TurnModelStats {
  /** Times it was asked (once per pause, again as the silence grows). */
  calls: number;
  /** Inference time of each call (features included), in ms. */
  callMs: number[];
  /** Its last answer: the probability that the turn is complete. */
  probability: number;
}

/** `at` is `performance.now()` on the receiving thread's clock (the VAD client converts from the worker's). */
export type VadEvent =
  | { type: 'speech-start'; at: number }
  /** Speech confirmed (long enough to be more than a click): the moment barge-in acts. */
  | { type: 'speech-confirmed'; at: number }
  /**
   * While the user speaks (after speech-confirmed), at most about once per progress interval:
   * the utterance so far, pre-speech padding included, for a partial transcript.
   */
  | { type: 'speech-progress'; at: number; audio: Float32Array }
  /**
   * `lastSpeechAt`: when the last frame above the speech threshold arrived, before the silence
   * that ended the utterance (same clock as `at`); `at - lastSpeechAt` is the endpointing wait.
   */
  | {
      type: 'speech-end';
      at: number;
      audio: Float32Array;
      lastSpeechAt?: number;
      /** Silence heard after the last speech frame when the utterance ended, in audio time (frames). */
      silenceMs?: number;
      reason: EndOfTurnReason;
      /** Present when the end-of-turn model was asked during this utterance. */
      turnModel?: TurnModelStats;
    }
  /**
   * The user paused (`shortPauseMs` of silence after confirmed speech): the utterance so far, for
   * work that may start before the turn is committed. Followed by `speech-resumed` or `speech-end`.
   */
  | { type: 'speech-pause'; at: number; audio: Float32Array; lastSpeechAt: number }
  /** Speech again after a `speech-pause`: the user had not finished. */
  | { type: 'speech-resumed'; at: number }
  | { type: 'misfire'; at: number }
  | { type: 'error'; message: string };

export interface VadLoadOptions {
  /** URL of Silero v5 (`silero_vad_v5.onnx`); defaults to the copy the app serves itself. */
  modelUrl?: string;
  params?: Partial<VadParams>;
  /** URL of the Smart Turn graph, loaded beside Silero; without it (or if it fails) the turn ends on silence. */
  turnModelUrl?: string;
}

/** The VAD's load result: whether the end-of-turn model came up too. */
export interface VadLoadedStage extends LoadedStage {
  turnModel: { loaded: true; loadMs: number } | { loaded: false; error?: string };
}

export interface VadEngine {
  load(options: VadLoadOptions & ProgressOptions): Promise<VadLoadedStage>;
  /**
   * Runs Silero on the 16 kHz mono frames that arrive on `frames` (each message a Float32Array,
   * ideally 512 samples; other sizes are re-chunked) and yields events until the signal aborts.
   * One listener at a time: a new `listen` ends the previous one.
   */
  listen(frames: MessagePort, options?: Cancellable): AsyncIterable<VadEvent>;
  /** Takes effect from the next frame. */
  setParams(params: Partial<VadParams>): Promise<void>;
  /** Ends the utterance in progress now, as if its silence had run out. */
  endUtterance(): Promise<void>;
}
