import type { ModelSource } from '../protocol/model-set.ts';
import type { ModelSet } from '../protocol/model-set.ts';
import type { StageModelRequest } from '../models/store/store-types.ts';
import type { AudioChunk } from '../engines/types.ts';

export interface ModelSourceInfo {
  source: ModelSource;
  current: ModelSet;
  requests: StageModelRequest[];
  /** The stages the browser's own on-device speech engines run instead of a model. */
  browserSpeech: ('asr' | 'tts')[];
  sets: ModelSet[];
  /** The files another set would load on this device. */
  requestsFor(set: ModelSet): StageModelRequest[];
}

/** Loudness right now, 0..1: the user's voice at the microphone and the reply at the output. */
export interface VoiceLevels {
  input: number;
  output: number;
}

/** What the UI can ask of the voice loop; implemented by the session that owns the workers. */
export interface VoiceController {
  /** Loads the models and opens the microphone; safe to call again after a failure. */
  start(): Promise<void>;
  submitText(text: string): void;
  setMuted(muted: boolean): void;
  /** Push-to-talk: true while the button is held. */
  pushToTalk(held: boolean): void;
  /** Stops the assistant's reply (as if the user talked over it). */
  interrupt(): void;
  /** Applies changed settings (system prompt, voice, VAD parameters...) from the next turn on. */
  applySettings(): void;
  /** The user agreed to the first model download (shown with its size): download, then start. */
  approveModelDownloads(): void;
  /**
   * On a weak device: the browser's on-device speech engines listen and speak instead of the
   * speech models (chosen on the first-visit offer); the rest is downloaded and the session starts.
   */
  useBrowserSpeech(): void;
  /** Where this session's models come from, which it loads, and the other sets on offer (undefined before the config is known). */
  modelSource(): ModelSourceInfo | undefined;
  /**
   * Synthesises `text` in `voice` with the loaded TTS, outside the conversation (the custom voice
   * editor's preview); rejects before the models have loaded. A reply being made goes first.
   */
  synthesizePreview(text: string, voice: string): Promise<AudioChunk>;
  /** A new conversation or a switch: the current turn is abandoned. */
  resetTurn(): void;
  /** Read every animation frame by the voice visual; cheap, and zeros before the audio is up. */
  levels(): VoiceLevels;
}
