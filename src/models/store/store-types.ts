import type { ModelSource } from '../../protocol/model-set.ts';
import type { ModelStage } from '../capabilities.ts';

/**
 * What the store keeps models for: the model stages (one worker each), plus `turn`, the
 * end-of-turn model (Smart Turn) that the VAD worker runs beside Silero. Silero itself ships with
 * the app, so `vad` never appears here.
 */
export type StoreStage = ModelStage | 'turn';

/** One stage's model as the app will load it. */
export interface StageModelRequest {
  stage: StoreStage;
  model: string;
  /** As in the stage plan (ASR: `encoder/decoder`, e.g. `fp32/q8`; turn: `int8`, its one file). */
  dtype: string;
  /** TTS only: the voice file to keep beside the model. */
  voice?: string;
  /**
   * LLM only: a WebLLM build (`model` is its hub repository, `mlc-ai/<id>`), read in WebLLM's
   * layout, with the URL of its compiled library (webllm-files.ts).
   */
  webllm?: { library?: string };
}

export interface StoreRequest {
  source: ModelSource;
  requests: StageModelRequest[];
  /** Hash large cached files too (slow): after a model failed to load from the cache. */
  deep?: boolean;
}

export type FileState = 'cached' | 'partial' | 'missing';

export interface InventoryFile {
  path: string;
  bytes: number;
  state: FileState;
  /** Bytes already on the device for a partial download (resumed from there). */
  haveBytes: number;
}

export interface StageInventory {
  stage: StoreStage;
  model: string;
  dtype: string;
  totalBytes: number;
  /** Bytes still to download (partial downloads count only their remainder). */
  missingBytes: number;
  files: InventoryFile[];
  /** Cached entries found damaged (wrong size or hash) and removed, to be fetched again. */
  repaired: string[];
  /** Why the stage's files could not be listed (unknown model, source unreachable); its load will say so too. */
  error?: string;
}

export interface DownloadProgress {
  stage: StoreStage;
  /** Bytes of this stage's files now on the device, and in total. */
  loaded: number;
  total: number;
  file: string;
}

/** A model found in the device's caches (for the model manager). */
export interface CachedModel {
  model: string;
  bytes: number;
  files: number;
}

export interface DtypeSize {
  dtype: string;
  bytes: number;
}

export interface CatalogueEntry {
  stage: StoreStage;
  model: string;
  sizes: DtypeSize[];
}
