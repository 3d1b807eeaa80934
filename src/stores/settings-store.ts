import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { VadParams } from '../engines/types.ts';
import { DEFAULT_VAD_PARAMS } from '../engines/vad/vad-params.ts';
import { DEFAULT_VOICE_SETTINGS, type ResponseMode, type VoiceSettings } from '../voice/settings.ts';
import { DEFAULT_HANDOFF_SETTINGS, type HandoffSettings } from '../handoff/handoff-settings.ts';
import { blendVoiceId, normaliseParts, type VoicePart } from '../engines/tts/voice-blend.ts';

export type { ResponseMode };
export type InputMode = 'hands-free' | 'push-to-talk';
export type BackendChoice = 'auto' | 'webgpu' | 'wasm';
/** Who listens and speaks: Hearth's models, or the browser's own engines on this device (for weak devices). */
export type SpeechEngineChoice = 'models' | 'browser';
/** 'system' follows the device's light or dark scheme. */
export type ThemeChoice = 'system' | 'light' | 'dark';

/** Response modes trade answer length for speed (token caps: DEFAULT_VOICE_SETTINGS.maxTokens). */
export const responseModes: Record<ResponseMode, { label: string; hint: string }> = {
  fast: { label: 'Fast', hint: 'short answers, quickest reply' },
  balanced: { label: 'Balanced', hint: 'a few sentences' },
  detailed: { label: 'Detailed', hint: 'longer, fuller answers' },
};

/**
 * A voice the user made by blending Kokoro voices, kept on the device. `id` is the blend's id
 * (voice-blend.ts: it spells out `parts`), which is what `Settings.voice` holds when it is chosen.
 */
export interface CustomVoice {
  id: string;
  name: string;
  /** The recipe in its canonical form: shares in thousandths. */
  parts: VoicePart[];
}

export interface Settings {
  responseMode: ResponseMode;
  systemPrompt: string;
  /** A Kokoro voice id, or a custom voice's id. */
  voice: string;
  customVoices: CustomVoice[];
  /**
   * 'browser': the browser's speech recognition and synthesis run on this device instead of the
   * models, where it has them (never a cloud engine); the language model stays a model.
   */
  speechEngines: SpeechEngineChoice;
  /** The browser voice (`voiceURI`) used then; '' for its first on-device voice. */
  browserVoice: string;
  inputMode: InputMode;
  /** Stop listening while the assistant speaks: for speakers without good echo cancellation. */
  halfDuplex: boolean;
  backend: BackendChoice;
  vad: VadParams;
  /** Longest utterance sent to speech recognition, in seconds. */
  maxUtteranceSeconds: number;
  /** Show the words while the user speaks (off for slow devices). */
  partialTranscripts: boolean;
  /** High-pass the microphone at 90 Hz before the VAD: hum and rumble start no turns. */
  inputHighPass: boolean;
  /** Soft noise gate before the VAD: quiet stretches between words turned down 20 dB, never cut. */
  inputNoiseGate: boolean;
  /** Start on the reply at the user's pause, before they are known to be done (dropped unseen if they go on). */
  eagerReplies: boolean;
  /** When to offer the caller a person (src/handoff/): the triggers and their thresholds. */
  handoff: HandoffSettings;
  /**
   * Send each turn's timings (no words, no audio) to the relay for the operator's latency
   * dashboard (src/metrics/). On by default, as the product collects metrics from devices;
   * turning it off also drops turns still waiting to be sent.
   */
  shareLatencyMetrics: boolean;
  /** The user agreed to download the models (asked once, with their size, on the first visit). */
  modelDownloadsApproved: boolean;
  /** The model set chosen in the model manager ('' for the server's default). */
  modelSetId: string;
  theme: ThemeChoice;
}

interface SettingsState extends Settings {
  // Actions are closures over the store (no `this`): declared as function properties, so a
  // component can select one and call it detached.
  set: (patch: Partial<Settings>) => void;
  setVad: (patch: Partial<VadParams>) => void;
  setHandoff: (patch: Partial<HandoffSettings>) => void;
  /** Keeps a blend under `name` (renaming it if the same blend is kept already) and chooses it; returns its id. */
  saveCustomVoice: (name: string, parts: readonly VoicePart[]) => string;
  /** Forgets a custom voice; if it was the voice in use, the default voice takes over. */
  deleteCustomVoice: (id: string) => void;
  reset: () => void;
}

const defaults: Settings = {
  responseMode: DEFAULT_VOICE_SETTINGS.responseMode,
  systemPrompt: DEFAULT_VOICE_SETTINGS.systemPrompt,
  voice: DEFAULT_VOICE_SETTINGS.voice,
  customVoices: [],
  speechEngines: 'models',
  browserVoice: '',
  inputMode: 'hands-free',
  halfDuplex: DEFAULT_VOICE_SETTINGS.halfDuplex,
  backend: 'auto',
  vad: DEFAULT_VAD_PARAMS,
  maxUtteranceSeconds: DEFAULT_VOICE_SETTINGS.maxUtteranceSeconds,
  partialTranscripts: DEFAULT_VOICE_SETTINGS.partialTranscripts,
  inputHighPass: true,
  inputNoiseGate: true,
  eagerReplies: DEFAULT_VOICE_SETTINGS.eagerReplies,
  handoff: DEFAULT_HANDOFF_SETTINGS,
  shareLatencyMetrics: true,
  modelDownloadsApproved: false,
  modelSetId: '',
  theme: 'system',
};

/** The part of the settings the voice loop reads at the start of each turn. */
export function voiceSettingsOf(settings: Settings): Partial<VoiceSettings> {
  const { systemPrompt, responseMode, voice, halfDuplex, maxUtteranceSeconds, partialTranscripts, eagerReplies } = settings;
  return { systemPrompt, responseMode, voice, halfDuplex, maxUtteranceSeconds, partialTranscripts, eagerReplies };
}

/** The version of the stored settings (zustand persist); `migrateSettings` brings older ones up. */
export const SETTINGS_VERSION = 3;

/**
 * Stored settings of an older version as this version reads them. Version 1 had no end-of-turn
 * model: returning users get smart turn-taking with the rest of their voice-detection choices kept
 * (the merge fills it in). Version 2 had no input clean-up: returning users get it on, as new ones
 * do. Custom voices came within version 3: settings stored before them get none from the merge.
 */
export function migrateSettings(persisted: unknown, version: number): Partial<Settings> {
  const stored = (persisted ?? {}) as Partial<Settings>;
  if (version < 3) {
    return { ...stored, inputHighPass: stored.inputHighPass ?? defaults.inputHighPass, inputNoiseGate: stored.inputNoiseGate ?? defaults.inputNoiseGate };
  }
  return stored;
}

export const useSettings = create<SettingsState>()(
  persist(
    (set) => ({
      ...defaults,
      set: (patch) => set(patch),
      setVad: (patch) => set((state) => ({ vad: { ...state.vad, ...patch } })),
      setHandoff: (patch) => set((state) => ({ handoff: { ...DEFAULT_HANDOFF_SETTINGS, ...state.handoff, ...patch } })),
      saveCustomVoice: (name, parts) => {
        const voice: CustomVoice = { id: blendVoiceId(parts), name: name.trim(), parts: normaliseParts(parts) };
        if (!voice.name) throw new Error('a custom voice needs a name');
        set((state) => ({ voice: voice.id, customVoices: [...state.customVoices.filter((kept) => kept.id !== voice.id), voice] }));
        return voice.id;
      },
      deleteCustomVoice: (id) =>
        set((state) => ({
          customVoices: state.customVoices.filter((kept) => kept.id !== id),
          voice: state.voice === id ? defaults.voice : state.voice,
        })),
      // Resetting the preferences does not take back the consent to the model download, nor
      // delete the voices the user made (they are not preferences); the default voice is chosen.
      reset: () => set((state) => ({ ...defaults, modelDownloadsApproved: state.modelDownloadsApproved, customVoices: state.customVoices })),
    }),
    {
      name: 'hearth-settings',
      version: SETTINGS_VERSION,
      migrate: migrateSettings,
      // Nested groups merge field by field, so a setting added later gets its default instead
      // of leaving a stored group without it.
      merge: (persisted, current) => {
        const stored = (persisted ?? {}) as Partial<Settings>;
        return {
          ...current,
          ...stored,
          vad: { ...current.vad, ...stored.vad },
          handoff: { ...current.handoff, ...stored.handoff },
        };
      },
    },
  ),
);
