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
  /** A new conversation or a switch: the current turn is abandoned. */
  resetTurn(): void;
}
