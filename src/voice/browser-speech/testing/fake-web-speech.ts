// Fakes of the Web Speech API for unit tests, driven by the test: utterances start, reach word
// boundaries and end when told; recognition sessions get results and end when told.
import type { RecognitionOptions, SpeechRecognitionClass, SpeechRecognitionLike } from '../web-speech.ts';

function fire(target: EventTarget, type: string, fields: Record<string, unknown> = {}): void {
  const event = new Event(type);
  for (const [key, value] of Object.entries(fields)) Object.defineProperty(event, key, { value });
  target.dispatchEvent(event);
}

export class FakeUtterance extends EventTarget {
  voice: SpeechSynthesisVoice | null = null;
  lang = '';
  rate = 1;
  constructor(public text: string) {
    super();
  }
  start(): void {
    fire(this, 'start', { charIndex: 0 });
  }
  boundary(charIndex: number): void {
    fire(this, 'boundary', { charIndex });
  }
  end(): void {
    fire(this, 'end', { charIndex: this.text.length });
  }
}

export function fakeVoice(name: string, localService: boolean, lang = 'en-US'): SpeechSynthesisVoice {
  return { name, voiceURI: name, lang, localService, default: false };
}

export class FakeSynthesis extends EventTarget {
  readonly spoken: FakeUtterance[] = [];
  cancels = 0;
  paused = false;
  constructor(public voices: SpeechSynthesisVoice[]) {
    super();
  }
  getVoices(): SpeechSynthesisVoice[] {
    return this.voices;
  }
  speak(utterance: FakeUtterance): void {
    this.spoken.push(utterance);
  }
  cancel(): void {
    this.cancels += 1;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
}

/** The synthesizer and utterance class as the speaker takes them. */
export function fakeSpeakerScope(synth: FakeSynthesis) {
  return {
    speechSynthesis: synth as unknown as SpeechSynthesis,
    SpeechSynthesisUtterance: FakeUtterance as unknown as typeof SpeechSynthesisUtterance,
  };
}

export class FakeRecognition extends EventTarget implements SpeechRecognitionLike {
  static sessions: FakeRecognition[] = [];
  static availability: Awaited<ReturnType<NonNullable<SpeechRecognitionClass['available']>>> = 'available';
  static asked: RecognitionOptions[] = [];
  static async available(options: RecognitionOptions) {
    FakeRecognition.asked.push(options);
    return FakeRecognition.availability;
  }
  lang = '';
  continuous = false;
  interimResults = false;
  processLocally = false;
  track: MediaStreamTrack | undefined;
  stopped = false;
  aborted = false;
  private readonly results: { isFinal: boolean; length: number; 0: { transcript: string } }[] = [];
  start(track?: MediaStreamTrack): void {
    this.track = track;
    FakeRecognition.sessions.push(this);
  }
  stop(): void {
    this.stopped = true;
  }
  abort(): void {
    this.aborted = true;
  }
  /** Sets result `index` (interim or final). */
  result(index: number, transcript: string, isFinal: boolean): void {
    this.results[index] = { isFinal, length: 1, 0: { transcript } };
    fire(this, 'result', { resultIndex: index, results: this.results });
  }
  error(code: string): void {
    fire(this, 'error', { error: code });
  }
  end(): void {
    fire(this, 'end');
  }
}
