// One run of the browser's recognizer on a live track: continuous, with interim results, on this
// device only. It keeps what it heard, result by result, until it is finished (stop: the last
// words are finalised) or ends by itself (the browser's own silence limit, an error).
import type { RecognitionErrorEvent, RecognitionResultEvent, SpeechRecognitionClass, SpeechRecognitionLike } from './web-speech.ts';

/** Errors after which another session would fail the same way: the user has to be told. */
const FATAL_ERRORS: ReadonlySet<string> = new Set(['not-allowed', 'service-not-allowed', 'language-not-supported', 'audio-capture', 'network']);

/** The longest wait for the last words after `stop()`, before the session is abandoned. */
const FINISH_TIMEOUT_MS = 3000;

export interface SessionHooks {
  /** The session ended without being finished; `error` is the recognizer's code, when it failed. */
  onEndedByItself: (heard: string, error: string | undefined) => void;
}

export function isFatalRecognitionError(error: string | undefined): boolean {
  return error !== undefined && FATAL_ERRORS.has(error);
}

export class RecognitionSession {
  private readonly recognition: SpeechRecognitionLike;
  private readonly texts: string[] = [];
  private readonly finals: boolean[] = [];
  /** Results before this index belong to no utterance of ours. */
  private from = 0;
  private ended = false;
  private finishing = false;
  private error: string | undefined;
  private readonly endedPromise: Promise<void>;

  constructor(recognitionClass: SpeechRecognitionClass, lang: string, track: MediaStreamTrack, hooks: SessionHooks) {
    const recognition = new recognitionClass();
    recognition.lang = lang;
    recognition.continuous = true;
    recognition.interimResults = true;
    // On this device only: the audio never goes to a speech service.
    recognition.processLocally = true;
    this.recognition = recognition;
    this.endedPromise = new Promise((resolve) => {
      recognition.addEventListener('result', (event) => this.onResult(event as RecognitionResultEvent));
      recognition.addEventListener('error', (event) => (this.error ??= (event as RecognitionErrorEvent).error));
      recognition.addEventListener('end', () => {
        this.ended = true;
        resolve();
        if (!this.finishing) hooks.onEndedByItself(this.heard(), this.error);
      });
    });
    try {
      recognition.start(track);
    } catch (error) {
      this.ended = true;
      this.error = 'service-not-allowed';
      console.warn('The browser refused to start speech recognition:', error);
      queueMicrotask(() => hooks.onEndedByItself('', 'service-not-allowed'));
    }
  }

  /** The user started an utterance: what was heard before it (and is final) is not theirs to keep. */
  markUtteranceStart(): void {
    const open = this.finals.indexOf(false, this.from);
    this.from = open < 0 ? this.texts.length : open;
  }

  /** The words since the utterance began, final and interim. */
  heard(): string {
    return this.texts
      .slice(this.from)
      .map((text) => text.trim())
      .filter((text) => text !== '')
      .join(' ');
  }

  /** Stops listening, waits for the last words to be finalised, and returns what was heard. */
  async finish(): Promise<string> {
    this.finishing = true;
    if (!this.ended) {
      this.recognition.stop();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.endedPromise, new Promise((resolve) => (timer = setTimeout(resolve, FINISH_TIMEOUT_MS)))]);
      clearTimeout(timer);
      if (!this.ended) this.recognition.abort();
    }
    if (isFatalRecognitionError(this.error)) throw new Error(`The browser's speech recognition failed (${this.error}).`);
    return this.heard();
  }

  /** Drops the session and whatever it heard. */
  abort(): void {
    this.finishing = true;
    if (!this.ended) this.recognition.abort();
  }

  private onResult(event: RecognitionResultEvent): void {
    for (let index = event.resultIndex; index < event.results.length; index += 1) {
      const result = event.results[index];
      if (!result) continue;
      this.texts[index] = result[0]?.transcript ?? '';
      this.finals[index] = result.isFinal;
    }
  }
}
