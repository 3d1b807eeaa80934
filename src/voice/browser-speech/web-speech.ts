// The parts of the Web Speech API the browser speech fallback uses. TypeScript's DOM library has
// speech synthesis but not recognition (Chrome names it with and without the `webkit` prefix, and
// its on-device options, `processLocally`, `available()` and `install()`, are newer still).

/** Chrome's answer to `SpeechRecognition.available()`: whether this language can be recognised as asked. */
export type RecognitionAvailability = 'available' | 'downloadable' | 'downloading' | 'unavailable';

export interface RecognitionOptions {
  langs: string[];
  /** true: on this device only; the audio is never sent to a speech service. */
  processLocally: boolean;
}

export interface RecognitionAlternative {
  readonly transcript: string;
}

export interface RecognitionResult {
  readonly isFinal: boolean;
  readonly length: number;
  readonly [index: number]: RecognitionAlternative | undefined;
}

export interface RecognitionResultEvent extends Event {
  readonly resultIndex: number;
  readonly results: { readonly length: number; readonly [index: number]: RecognitionResult | undefined };
}

export interface RecognitionErrorEvent extends Event {
  readonly error: string;
  readonly message?: string;
}

export interface SpeechRecognitionLike extends EventTarget {
  lang: string;
  continuous: boolean;
  interimResults: boolean;
  processLocally: boolean;
  /** With a track, Chrome recognises that track instead of opening the default microphone. */
  start(track?: MediaStreamTrack): void;
  stop(): void;
  abort(): void;
}

export interface SpeechRecognitionClass {
  new (): SpeechRecognitionLike;
  available?: (options: RecognitionOptions) => Promise<RecognitionAvailability>;
  install?: (options: RecognitionOptions) => Promise<boolean>;
}

/** The page's globals the fallback reads; a parameter so unit tests can pass their own. */
export interface SpeechScope {
  speechSynthesis?: SpeechSynthesis;
  SpeechSynthesisUtterance?: typeof SpeechSynthesisUtterance;
  SpeechRecognition?: SpeechRecognitionClass;
  webkitSpeechRecognition?: SpeechRecognitionClass;
}

export function speechScope(): SpeechScope {
  return globalThis;
}

export function recognitionClass(scope: SpeechScope): SpeechRecognitionClass | null {
  return scope.SpeechRecognition ?? scope.webkitSpeechRecognition ?? null;
}
