import type { VadEvent } from '../engines/types.ts';
import type { VadClient } from '../engines/vad/vad-client.ts';
import type { BrowserRecognizer } from '../voice/browser-speech/browser-recognizer.ts';
import { useSession } from '../stores/session-store.ts';
import { useSettings, type Settings } from '../stores/settings-store.ts';
import { openMicrophone, toMicrophoneError, type InputCleanupSettings, type Microphone } from '../voice/mic/index.ts';
import type { TurnManager } from '../voice/turn-manager.ts';

/** How long the microphone stays open after push-to-talk is released: the end of the last word. */
const RELEASE_TAIL_MS = 300;

function inputCleanup(settings: Pick<Settings, 'inputHighPass' | 'inputNoiseGate'>): InputCleanupSettings {
  return { highPass: settings.inputHighPass, noiseGate: settings.inputNoiseGate };
}

/**
 * The microphone as the voice session uses it: opened once the models can listen, released when
 * muted (so the browser's recording indicator goes off), its frames fed to the VAD worker and the
 * VAD's events to the turn manager; hands-free or push-to-talk.
 */
export class MicrophoneLink {
  private mic: Microphone | undefined;
  private listening: AbortController | undefined;
  private opening: Promise<void> | undefined;
  private pushToTalkRelease: ReturnType<typeof setTimeout> | undefined;
  /** Stops passing the input clean-up settings to the open microphone. */
  private unfollowSettings: (() => void) | undefined;

  constructor(
    private readonly vad: VadClient,
    private readonly turns: TurnManager,
    /** The browser's recognizer, when it listens instead of the ASR model: it hears the microphone's track. */
    private readonly recognizer: Pick<BrowserRecognizer, 'attach' | 'detach' | 'utteranceStarted'> | null = null,
  ) {}

  /** Opens the microphone unless it is open or opening (start and unmute can race). */
  ensureOpen(): Promise<void> {
    if (this.mic) return Promise.resolve();
    this.opening ??= this.open().finally(() => (this.opening = undefined));
    return this.opening;
  }

  async close(): Promise<void> {
    this.turns.setListening(false);
    this.listening?.abort();
    this.listening = undefined;
    this.unfollowSettings?.();
    this.unfollowSettings = undefined;
    this.recognizer?.detach();
    const closing = this.mic;
    this.mic = undefined;
    await closing?.stop();
  }

  /** How loud the user is right now, 0..1; 0 while muted or closed. */
  level(): number {
    return this.mic?.level() ?? 0;
  }

  /** Hands-free listens all the time; push-to-talk only while the button is held. */
  applyInputMode(): void {
    if (!this.mic) return;
    const handsFree = useSettings.getState().inputMode === 'hands-free';
    this.mic.setMuted(!handsFree);
    this.turns.setListening(handsFree);
  }

  pushToTalk(held: boolean): void {
    if (!this.mic) return;
    clearTimeout(this.pushToTalkRelease);
    if (held) {
      this.mic.setMuted(false);
      this.turns.setListening(true);
      return;
    }
    // Releasing the button says the user is done. The microphone stays open a moment longer, so
    // the last word is not cut off, then the utterance ends there: no silence to wait out.
    this.pushToTalkRelease = setTimeout(() => {
      void this.vad.endUtterance().finally(() => {
        this.mic?.setMuted(true);
        this.turns.setListening(false);
      });
    }, RELEASE_TAIL_MS);
  }

  private async open(): Promise<void> {
    const session = useSession.getState;
    try {
      this.mic = await openMicrophone({ cleanup: inputCleanup(useSettings.getState()), onEnded: (error) => this.unavailable(error.message) });
    } catch (error) {
      this.unavailable(toMicrophoneError(error).message);
      return;
    }
    session().set({ micUnavailable: false });
    // The clean-up switches take effect on the running microphone (and one changed while it opened).
    this.unfollowSettings = useSettings.subscribe((settings, before) => {
      if (settings.inputHighPass !== before.inputHighPass || settings.inputNoiseGate !== before.inputNoiseGate) this.mic?.setCleanup(inputCleanup(settings));
    });
    this.mic.setCleanup(inputCleanup(useSettings.getState()));
    if (session().muted) {
      // Muted while the browser was still opening the microphone: release it at once.
      await this.close();
      return;
    }
    this.listening = new AbortController();
    const events = this.vad.listen(this.mic.port, { signal: this.listening.signal });
    const track = this.mic.stream.getAudioTracks()[0];
    if (this.recognizer && track) this.recognizer.attach(track);
    void this.turns.consumeVad(this.recognizer ? tapSpeechStart(events, this.recognizer) : events);
    this.applyInputMode();
  }

  private unavailable(message: string): void {
    const session = useSession.getState();
    session.set({ micUnavailable: true });
    session.notify({ id: 'mic', level: 'warning', action: 'use-text', text: `${message} You can keep the conversation going by typing.` });
    this.turns.setListening(false);
  }
}

/** The VAD's events, telling the browser's recognizer where each utterance starts on the way. */
async function* tapSpeechStart(events: AsyncIterable<VadEvent>, recognizer: Pick<BrowserRecognizer, 'utteranceStarted'>): AsyncGenerator<VadEvent> {
  for await (const event of events) {
    if (event.type === 'speech-start') recognizer.utteranceStarted();
    yield event;
  }
}
