import type { ModelSource } from '../../engines/types.ts';
import type { ModelStage } from '../capabilities.ts';

/** One stage's model as the app will load it. */
export interface StageModelRequest {
  stage: ModelStage;
  model: string;
  /** As in the stage plan (ASR: `encoder/decoder`, e.g. `fp32/q8`). */
  dtype: string;
  /** TTS only: the voice file to keep beside the model. */
  voice?: string;
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
  stage: ModelStage;
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
  stage: ModelStage;
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
  stage: ModelStage;
  model: string;
  sizes: DtypeSize[];
}
