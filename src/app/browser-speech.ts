// The browser's own speech engines on this page (src/voice/browser-speech/): whether this device
// has them, the offer on a weak device, and the speaker and recognizer the voice loop uses once
// the user chose them. Only on-device engines are ever used: a browser without them is told so.
import type { BrowserSpeechStage } from '../models/capabilities.ts';
import { useModels } from '../stores/models-store.ts';
import { useSession } from '../stores/session-store.ts';
import { useSettings } from '../stores/settings-store.ts';
import { browserSpeechStages, detectBrowserSpeech, installLocalRecognition } from '../voice/browser-speech/availability.ts';
import { BrowserRecognizer } from '../voice/browser-speech/browser-recognizer.ts';
import { BrowserSpeaker } from '../voice/browser-speech/browser-speaker.ts';
import { BROWSER_ENGINE_IDS } from '../voice/browser-speech/engine-ids.ts';
import { recognitionClass, speechScope, type SpeechScope } from '../voice/browser-speech/web-speech.ts';
import type { VoiceSettings } from '../voice/settings.ts';
import type { VoiceEngines } from '../voice/turn.ts';

export class BrowserSpeech {
  /** Present where the browser has speech synthesis at all (whether it has on-device voices is `prepare`'s to say). */
  readonly speaker: BrowserSpeaker | null;
  private recognizer: BrowserRecognizer | null = null;
  private stages: BrowserSpeechStage[] = [];
  /** The recognizer's one fetch (started by the user's click, awaited by the start after it). */
  private installing: Promise<boolean> | null = null;

  constructor(private readonly scope: SpeechScope = speechScope()) {
    const { speechSynthesis, SpeechSynthesisUtterance } = scope;
    this.speaker = speechSynthesis && SpeechSynthesisUtterance ? new BrowserSpeaker({ speechSynthesis, SpeechSynthesisUtterance }) : null;
  }

  /**
   * Which stages the browser runs: looks for its on-device engines where the device is weak
   * (`weakDevice`, the plan's reason) or the user chose them, and publishes the offer. A
   * recognizer the browser must fetch first is fetched here once the user has chosen it.
   */
  async prepare(weakDevice: string | undefined): Promise<BrowserSpeechStage[]> {
    const chosen = useSettings.getState().speechEngines === 'browser';
    this.stages = [];
    if (!weakDevice && !chosen) {
      useModels.getState().set({ browserSpeech: null });
      return [];
    }
    const support = await detectBrowserSpeech(this.scope);
    const possible = browserSpeechStages(support);
    let stages = chosen ? possible : [];
    if (stages.includes('asr') && support.recognition !== 'available' && !(await this.installRecognition())) {
      useSession.getState().notify({ id: 'browser-asr', level: 'warning', text: "The browser could not fetch its on-device speech recognition; Hearth's own model listens instead." });
      stages = stages.filter((stage) => stage !== 'asr');
    }
    this.stages = stages;
    useModels.getState().set({
      browserSpeech: {
        ...(weakDevice ? { reason: weakDevice } : {}),
        stages: possible,
        voices: support.voices.map(({ name, voiceURI }) => ({ name, voiceURI })),
        recognitionDownload: support.recognition !== 'available',
        inUse: stages,
      },
    });
    this.speaker?.setVoice(useSettings.getState().browserVoice);
    return stages;
  }

  /** The stages the browser's engines run now (empty before `prepare`). */
  inUse(): BrowserSpeechStage[] {
    return this.stages;
  }

  /** The user chose the browser's speech (with a click: Chrome fetches a recognizer only then). */
  choose(): void {
    if (useModels.getState().browserSpeech?.recognitionDownload) void this.installRecognition();
    useSettings.getState().set({ speechEngines: 'browser' });
  }

  private installRecognition(): Promise<boolean> {
    this.installing ??= installLocalRecognition(this.scope);
    return this.installing;
  }

  /** Listens to the microphone's track while browser recognition is in use. */
  activeRecognizer(): BrowserRecognizer | null {
    const recognition = recognitionClass(this.scope);
    if (!this.stages.includes('asr') || !recognition) return null;
    this.recognizer ??= new BrowserRecognizer(recognition);
    return this.recognizer;
  }

  /** What replaces the models in the voice loop, named as each turn records it. */
  engines<E extends Pick<VoiceEngines, 'asr' | 'models' | 'backends'>>(models: E): E & Pick<VoiceEngines, 'speaker'> {
    const recognizer = this.activeRecognizer();
    const speaker = this.stages.includes('tts') ? this.speaker : null;
    const names = { ...models.models, ...(recognizer ? { asr: BROWSER_ENGINE_IDS.asr } : {}), ...(speaker ? { tts: BROWSER_ENGINE_IDS.tts } : {}) };
    const backends = { ...models.backends };
    if (recognizer) delete backends.asr;
    if (speaker) delete backends.tts;
    return { ...models, ...(recognizer ? { asr: recognizer } : {}), ...(speaker ? { speaker } : {}), models: names, backends };
  }

  /**
   * The browser's recognizer hears the utterance once, live: finishing it is the end of the turn,
   * so there are no partial passes or eager transcripts of the audio so far.
   */
  voiceSettings(): Partial<VoiceSettings> {
    return this.stages.includes('asr') ? { partialTranscripts: false, eagerReplies: false } : {};
  }
}
