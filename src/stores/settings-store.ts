import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { VadParams } from '../engines/types.ts';

export type ResponseMode = 'fast' | 'balanced' | 'detailed';
export type InputMode = 'hands-free' | 'push-to-talk';
export type BackendChoice = 'auto' | 'webgpu' | 'wasm';

/** Response modes trade answer length (and, with real models, model tier) for speed. */
export const responseModes: Record<ResponseMode, { label: string; maxTokens: number; hint: string }> = {
  fast: { label: 'Fast', maxTokens: 96, hint: 'short answers, quickest reply' },
  balanced: { label: 'Balanced', maxTokens: 256, hint: 'a few sentences' },
  detailed: { label: 'Detailed', maxTokens: 640, hint: 'longer, fuller answers' },
};

export const defaultSystemPrompt =
  'You are a helpful voice assistant. Answer in short, natural spoken sentences without lists or markdown.';

export const defaultVadParams: VadParams = {
  positiveSpeechThreshold: 0.5,
  negativeSpeechThreshold: 0.35,
  redemptionMs: 600,
  preSpeechPadMs: 300,
  minSpeechMs: 250,
};

export interface Settings {
  responseMode: ResponseMode;
  systemPrompt: string;
  voice: string;
  inputMode: InputMode;
  /** Stop listening while the assistant speaks: for speakers without good echo cancellation. */
  halfDuplex: boolean;
  backend: BackendChoice;
  vad: VadParams;
  /** Longest utterance sent to speech recognition, in seconds. */
  maxUtteranceSeconds: number;
}

interface SettingsState extends Settings {
  set(patch: Partial<Settings>): void;
  setVad(patch: Partial<VadParams>): void;
  reset(): void;
}

const defaults: Settings = {
  responseMode: 'balanced',
  systemPrompt: defaultSystemPrompt,
  voice: 'af_heart',
  inputMode: 'hands-free',
  halfDuplex: false,
  backend: 'auto',
  vad: defaultVadParams,
  maxUtteranceSeconds: 30,
};

export const useSettings = create<SettingsState>()(
  persist(
    (set) => ({
      ...defaults,
      set: (patch) => set(patch),
      setVad: (patch) => set((state) => ({ vad: { ...state.vad, ...patch } })),
      reset: () => set(defaults),
    }),
    { name: 'hearth-settings', version: 1 },
  ),
);
