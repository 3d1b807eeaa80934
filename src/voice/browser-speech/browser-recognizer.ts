// Speech recognition by the browser, on this device only, as the voice loop's ASR.
//
// It listens to the microphone's own track while the user speaks, and a turn's transcript is
// what it heard when our VAD ends the turn. Why the live track rather than the finished utterance
// played into a MediaStreamAudioDestinationNode track: the recognizer hears the words as they
// are said, so at the end of the turn only the last words are left to finalise; a replay would
// make it listen to the whole utterance again in real time (a 3 s question, 3 s more before the
// reply can start). The session runs from the moment the microphone opens, so no first syllable
// is lost to a recognizer still starting at speech start; what it heard before the utterance
// (the reply's echo, a cough that made no turn) is dropped at the VAD's speech start.
import type { Cancellable, Transcript } from '../../engines/types.ts';
import { BROWSER_SPEECH_LANG } from './availability.ts';
import { isFatalRecognitionError, RecognitionSession } from './recognition-session.ts';
import type { SpeechRecognitionClass } from './web-speech.ts';

/** After a session fails, this long before the next one, so a broken recognizer does not spin. */
const RESTART_AFTER_ERROR_MS = 500;

export class BrowserRecognizer {
  private session: RecognitionSession | null = null;
  private track: MediaStreamTrack | null = null;
  /** What sessions that ended by themselves heard since the utterance began. */
  private carried: string[] = [];
  private failure: Error | null = null;

  constructor(
    private readonly recognition: SpeechRecognitionClass,
    private readonly lang = BROWSER_SPEECH_LANG,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The microphone opened: listen to its track from now on. */
  attach(track: MediaStreamTrack): void {
    this.detach();
    this.track = track;
    this.failure = null;
    this.carried = [];
    this.startSession();
  }

  /** The microphone closed. */
  detach(): void {
    this.track = null;
    this.session?.abort();
    this.session = null;
  }

  /** The VAD heard speech start: the words from here on are the utterance's. */
  utteranceStarted(): void {
    this.carried = [];
    this.session?.markUtteranceStart();
  }

  /**
   * The VAD ended the utterance: the words the recognizer heard in it. `_audio` is the same
   * utterance as our VAD cut it; the recognizer heard it live.
   */
  async transcribe(_audio: Float32Array, _options: Cancellable = {}): Promise<Transcript> {
    const started = this.now();
    if (this.failure) throw this.failure;
    const session = this.session;
    if (!session) throw new Error("The browser's speech recognition is not listening (the microphone is closed).");
    this.session = null;
    try {
      const heard = await session.finish();
      return { text: [...this.carried, heard].filter((text) => text !== '').join(' '), computeMs: this.now() - started };
    } finally {
      this.carried = [];
      this.startSession();
    }
  }

  private startSession(): void {
    const track = this.track;
    if (!track || track.readyState === 'ended' || this.session) return;
    const session: RecognitionSession = new RecognitionSession(this.recognition, this.lang, track, {
      onEndedByItself: (heard, error) => {
        if (this.session !== session) return;
        this.session = null;
        if (heard !== '') this.carried.push(heard);
        if (isFatalRecognitionError(error)) {
          this.failure = new Error(`The browser's speech recognition stopped (${error}).`);
          return;
        }
        setTimeout(() => this.startSession(), error ? RESTART_AFTER_ERROR_MS : 0);
      },
    });
    this.session = session;
  }
}
