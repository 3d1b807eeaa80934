// What the browser can do on this device by itself: voices that synthesise locally
// (`localService`), and recognition that runs locally (`processLocally`). A cloud voice or
// recognizer would send the user's words or audio away, so they never count.
import { recognitionClass, type RecognitionAvailability, type SpeechScope } from './web-speech.ts';

/** The language the fallback listens and speaks in: the assistant answers in English. */
export const BROWSER_SPEECH_LANG = 'en-US';

export interface LocalVoice {
  name: string;
  voiceURI: string;
  lang: string;
}

export interface BrowserSpeechSupport {
  /** On-device voices in the assistant's language, the best first. */
  voices: LocalVoice[];
  /** `downloadable`: the browser can fetch its on-device recognizer for the language once. */
  recognition: RecognitionAvailability;
}

/** Chrome fills the voice list after the page starts; this long at most for it. */
const VOICES_WAIT_MS = 1500;

export async function detectBrowserSpeech(scope: SpeechScope, lang = BROWSER_SPEECH_LANG): Promise<BrowserSpeechSupport> {
  const [voices, recognition] = await Promise.all([localVoices(scope, lang), localRecognition(scope, lang)]);
  return { voices, recognition };
}

/** Whether the fallback can run these stages here: TTS needs a local voice, ASR a local recognizer. */
export function browserSpeechStages(support: BrowserSpeechSupport): ('asr' | 'tts')[] {
  const stages: ('asr' | 'tts')[] = [];
  if (support.recognition === 'available' || support.recognition === 'downloadable' || support.recognition === 'downloading') stages.push('asr');
  if (support.voices.length > 0) stages.push('tts');
  return stages;
}

async function localVoices(scope: SpeechScope, lang: string): Promise<LocalVoice[]> {
  const synth = scope.speechSynthesis;
  if (!synth) return [];
  let all = synth.getVoices();
  if (all.length === 0) {
    all = await new Promise<SpeechSynthesisVoice[]>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        synth.removeEventListener('voiceschanged', done);
        resolve(synth.getVoices());
      };
      const timer = setTimeout(done, VOICES_WAIT_MS);
      synth.addEventListener('voiceschanged', done);
    });
  }
  const language = lang.split('-')[0]!.toLowerCase();
  return all
    .filter((voice) => voice.localService && voice.lang.toLowerCase().startsWith(language))
    .sort((a, b) => Number(b.lang === lang) - Number(a.lang === lang) || Number(b.default) - Number(a.default))
    .map(({ name, voiceURI, lang: voiceLang }) => ({ name, voiceURI, lang: voiceLang }));
}

/** Only a browser that can say it recognises on the device is trusted to: no `available()`, no fallback. */
async function localRecognition(scope: SpeechScope, lang: string): Promise<RecognitionAvailability> {
  const recognition = recognitionClass(scope);
  if (!recognition?.available) return 'unavailable';
  try {
    return await recognition.available({ langs: [lang], processLocally: true });
  } catch {
    return 'unavailable';
  }
}

/** Asks the browser to fetch its on-device recognizer for the language (Chrome: a language pack). */
export async function installLocalRecognition(scope: SpeechScope, lang = BROWSER_SPEECH_LANG): Promise<boolean> {
  const recognition = recognitionClass(scope);
  if (!recognition?.install) return false;
  return recognition.install({ langs: [lang], processLocally: true }).catch(() => false);
}
