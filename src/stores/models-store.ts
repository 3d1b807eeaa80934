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

interface ModelsState {
  phase: ModelsPhase;
  inventory: StageInventory[];
  downloads: Partial<Record<StoreStage, StageDownload>>;
  /** The browser's answer to `navigator.storage.persist()`; null before asking or where unsupported. */
  persisted: boolean | null;
  // Actions are closures over the store (no `this`): declared as function properties, so a
  // component can select one and call it detached.
  set: (patch: Partial<Pick<ModelsState, 'phase' | 'inventory' | 'persisted' | 'downloads'>>) => void;
  setDownload: (stage: StoreStage, download: StageDownload) => void;
}

export const useModels = create<ModelsState>()((set) => ({
  phase: 'checking',
  inventory: [],
  downloads: {},
  persisted: null,
  set: (patch) => set(patch),
  setDownload: (stage, download) => set((s) => ({ downloads: { ...s.downloads, [stage]: download } })),
}));

/** Bytes still to download across the stages. */
export function missingBytes(inventory: StageInventory[]): number {
  return inventory.reduce((sum, stage) => sum + stage.missingBytes, 0);
}
