import { create } from 'zustand';
import type { StageInventory, StoreStage } from '../models/store/store-types.ts';

/**
 * Where the models stand on this device: checking, waiting for the user to agree to the first
 * download, downloading (per stage), ready, or blocked (no room, download failed).
 */
export type ModelsPhase = 'checking' | 'needs-approval' | 'downloading' | 'ready' | 'blocked';

export interface StageDownload {
  loaded: number;
  total: number;
  secondsLeft: number | undefined;
}

/**
 * The browser's own speech engines, offered where the device may be too weak for the speech
 * models (or in use because the user chose them).
 */
export interface BrowserSpeechOffer {
  /** Why they are offered: the plan's reason; undefined when the device is not weak (chosen earlier). */
  reason?: string;
  /** The stages the browser can run on this device; empty: it has no on-device engine (nothing is offered). */
  stages: ('asr' | 'tts')[];
  /** The on-device voices it would speak with (names and `voiceURI`s). */
  voices: { name: string; voiceURI: string }[];
  /** The browser must fetch its on-device recognizer once (a language pack) before it can listen. */
  recognitionDownload: boolean;
  /** The stages it runs now (the user chose it). */
  inUse: ('asr' | 'tts')[];
}

interface ModelsState {
  phase: ModelsPhase;
  inventory: StageInventory[];
  downloads: Partial<Record<StoreStage, StageDownload>>;
  /** The browser's answer to `navigator.storage.persist()`; null before asking or where unsupported. */
  persisted: boolean | null;
  /** null until known, and where the device is fine for the models and they were not chosen. */
  browserSpeech: BrowserSpeechOffer | null;
  // Actions are closures over the store (no `this`): declared as function properties, so a
  // component can select one and call it detached.
  set: (patch: Partial<Pick<ModelsState, 'phase' | 'inventory' | 'persisted' | 'downloads' | 'browserSpeech'>>) => void;
  setDownload: (stage: StoreStage, download: StageDownload) => void;
}

export const useModels = create<ModelsState>()((set) => ({
  phase: 'checking',
  inventory: [],
  downloads: {},
  persisted: null,
  browserSpeech: null,
  set: (patch) => set(patch),
  setDownload: (stage, download) => set((s) => ({ downloads: { ...s.downloads, [stage]: download } })),
}));

/** Bytes still to download across the stages. */
export function missingBytes(inventory: StageInventory[]): number {
  return inventory.reduce((sum, stage) => sum + stage.missingBytes, 0);
}
