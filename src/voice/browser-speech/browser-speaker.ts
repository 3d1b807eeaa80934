// The browser's speech synthesis as the voice loop's speaker. It plays the audio itself, so it
// cannot hand PCM to our player: each sentence goes to `speechSynthesis.speak` instead, and its
// utterance's events become the player's (start: audible, boundary: how far it got, end: played).
// The speech pipeline keeps at most a couple of sentences queued here, as with the player, so a
// barge-in (`stop`: `cancel()`) throws little away.
import type { PlayerEvent, SegmentMeta, StopReport } from '../player/types.ts';
import type { SpeakerSink } from '../player/combined-sink.ts';

/** What the speaker needs of the page: the synthesizer, the utterance class and the voices to use. */
export interface SpeakerScope {
  speechSynthesis: SpeechSynthesis;
  SpeechSynthesisUtterance: typeof SpeechSynthesisUtterance;
}

interface Queued {
  meta: SegmentMeta;
  length: number;
  utterance: SpeechSynthesisUtterance;
  started: boolean;
  /** Characters before the word being spoken. */
  spokenChars: number;
}

export class BrowserSpeaker implements SpeakerSink {
  /** Also keeps each utterance referenced until it ends (Chrome drops the events of a collected one). */
  private queue: Queued[] = [];
  private readonly listeners = new Set<(event: PlayerEvent) => void>();
  private voiceUri = '';

  constructor(
    private readonly scope: SpeakerScope,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The on-device voice to speak with (its `voiceURI`); '' for the first on-device one. */
  setVoice(voiceUri: string): void {
    this.voiceUri = voiceUri;
  }

  /** The voice sentences are spoken in: the chosen one, else the first on-device one; null when there is none. */
  currentVoice(): SpeechSynthesisVoice | null {
    const local = this.scope.speechSynthesis.getVoices().filter((voice) => voice.localService);
    return local.find((voice) => voice.voiceURI === this.voiceUri) ?? local.find((voice) => voice.lang.startsWith('en')) ?? local[0] ?? null;
  }

  /** `options.voice` names a model voice (Kokoro's); the browser speaks in its own on-device voice. */
  speakText(text: string, options: { voice: string; speed?: number }, meta: SegmentMeta): void {
    const voice = this.currentVoice();
    // Never a cloud voice: without an on-device one the sentence is not spoken (the turn says why).
    if (!voice) throw new Error('this browser has no voice that speaks on this device.');
    const utterance = new this.scope.SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = options.speed ?? 1;
    const entry: Queued = { meta, length: text.length, utterance, started: false, spokenChars: 0 };
    const live = () => this.queue.includes(entry);
    utterance.addEventListener('start', () => {
      if (!live()) return;
      entry.started = true;
      this.emit({ type: 'segment-start', at: this.now(), ...meta });
    });
    utterance.addEventListener('boundary', (event) => {
      if (live()) entry.spokenChars = Math.max(entry.spokenChars, event.charIndex);
    });
    utterance.addEventListener('end', () => this.finish(entry, entry.length));
    // A failed sentence ends where it stopped, so the reply goes on (cancel()'s errors come after stop() dropped it).
    utterance.addEventListener('error', (event) => {
      if (!live()) return;
      console.warn(`The browser could not speak a sentence (${event.error}).`);
      this.finish(entry, entry.started ? entry.spokenChars : 0);
    });
    this.queue.push(entry);
    this.scope.speechSynthesis.speak(utterance);
  }

  private finish(entry: Queued, playedChars: number): void {
    if (!this.queue.includes(entry)) return;
    this.queue = this.queue.filter((queued) => queued !== entry);
    const at = this.now();
    const played = { ...entry.meta, playedFrames: playedChars, totalFrames: entry.length };
    this.emit({ type: 'played', ...played });
    this.emit({ type: 'segment-end', at, ...played });
  }

  /** Silences at once and drops the queue; a sentence being spoken counts as heard up to its current word. */
  async stop(): Promise<StopReport> {
    const segments = this.queue.map(({ meta, started, spokenChars, length }) => ({ ...meta, playedFrames: started ? spokenChars : 0, totalFrames: length }));
    const speaking = this.queue.length > 0;
    this.queue = [];
    if (speaking) this.scope.speechSynthesis.cancel();
    return { segments };
  }

  /** Pauses while the user may be starting to talk, resumes on a misfire; nothing to do when silent. */
  hold(held: boolean): void {
    if (this.queue.length === 0) return;
    if (held) this.scope.speechSynthesis.pause();
    else this.scope.speechSynthesis.resume();
  }

  subscribe(listener: (event: PlayerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: PlayerEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
