// Where a phrase's audio lives in Cache Storage. Audio made for one voice, speed or TTS model is
// wrong for any other, so all four parts are in the key; a custom voice's id changes whenever
// its blend does, so the id string alone tells blends apart.

/** Bumped when the stored format changes: a new name leaves the old entries to be deleted. */
export const PHRASE_AUDIO_CACHE = 'hearth-phrase-audio-v1';

/** What the audio was made with: the voice id, the speed and the TTS model (id and dtype). */
export interface PhraseVoice {
  voice: string;
  speed: number;
  model: string;
}

/** What an absent speed means: the TTS's own default (Kokoro's is 1). */
export const DEFAULT_SPEED = 1;

export interface PhraseEntry extends PhraseVoice {
  /** The sentence exactly as the speech pipeline hands it to the TTS. */
  text: string;
}

// Cache Storage keys are http(s) URLs; `.invalid` can never be fetched, so no request is ever
// mistaken for one of these entries.
const BASE = 'https://phrase-audio.hearth.invalid/v1';

export function phraseKey(text: string, { voice, speed, model }: PhraseVoice): string {
  return `${BASE}?${new URLSearchParams({ model, voice, speed: String(speed), text }).toString()}`;
}

/** The parts of a key made by `phraseKey`; undefined for anything else. */
export function parsePhraseKey(url: string): PhraseEntry | undefined {
  if (!url.startsWith(`${BASE}?`)) return undefined;
  const params = new URL(url).searchParams;
  const [model, voice, speed, text] = ['model', 'voice', 'speed', 'text'].map((name) => params.get(name));
  if (model == null || voice == null || speed == null || text == null) return undefined;
  return { model, voice, speed: Number(speed), text };
}
